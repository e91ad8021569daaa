"""What a move of a return does to its department's score sheet (得分表).

A sheet describes a return as the reviewer judges it. Once the return is sent back (退回修改, or a
locked one 解除锁定), its figures no longer stand: the department will change them. Keeping the old
sheet let it be ranked, published and finalised although the return it came from was being
rewritten, so the sheet is withdrawn (deleted, with an audit row holding its last values) and the
year re-ranked without it. When the return comes back (重新提交), the sheet is computed again from
the new figures. Both happen inside the transaction of the move (reviews' AppConfig.ready registers
`score_sheet_follow_move` in assessments.services.workflow.RETURN_MOVE_LISTENERS), so a move and its
sheet never disagree; both are idempotent.
"""

from django.db import transaction

from accounts.models import User
from assessments.models import AnnualReturn, ReturnTransition

from ..models import Publication, ScoreSheet
from .audit import review_audit_entry_record
from .errors import ScoresLocked
from .scoring import AUDITED_FIELDS, score_sheet_compute, score_sheets_rank

Status = AnnualReturn.Status


@transaction.atomic
def score_sheet_withdraw(*, annual_return: AnnualReturn, user: User | None, reason: str = "") -> bool:
    """Remove the department's sheet for the return's year; False when there is none. Refused once
    the year's results are published: a published sheet changes only through 复核."""
    sheet = (
        ScoreSheet.objects.select_for_update(of=("self",))
        .select_related("department")
        .filter(department_id=annual_return.department_id, year=annual_return.year)
        .first()
    )
    if sheet is None:
        return False
    if sheet.is_final or Publication.objects.filter(year=sheet.year).exists():
        raise ScoresLocked(
            f"{sheet.year}年度考核结果已公示，{sheet.department.display_name}的得分表不能作废，"
            "因此不能退回这份填报；分数只能通过异议复核改变。"
        )
    before = {name: getattr(sheet, name) for name in AUDITED_FIELDS}
    subject, year, department = str(sheet), sheet.year, sheet.department
    sheet.delete()
    review_audit_entry_record(
        action="score_sheet_withdraw",
        subject=subject,
        year=year,
        department=department,
        user=user,
        before=before,
        after={},
        reason=reason,
    )
    score_sheets_rank(year=year)
    return True


def _was_sent_back_before(annual_return: AnnualReturn) -> bool:
    return ReturnTransition.objects.filter(annual_return=annual_return, to_status=Status.RETURNED).exists()


def score_sheet_follow_move(*, annual_return: AnnualReturn, user: User | None, reason: str = "") -> None:
    """Called by the workflow after every move, with the return already in its new status and
    locked. Sent back: withdraw the sheet. Resubmitted after a send-back: recompute it (the first
    submission keeps the old behaviour — the sheet appears when the reviewer starts scoring)."""
    if annual_return.status == Status.RETURNED:
        score_sheet_withdraw(annual_return=annual_return, user=user, reason=reason or "填报退回修改，得分表作废")
    elif annual_return.status == Status.SUBMITTED and _was_sent_back_before(annual_return):
        score_sheet_compute(annual_return=annual_return, user=user, reason="退回修改后重新提交，重新计算得分")

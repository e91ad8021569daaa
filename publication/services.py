"""Writes of publications: start the 保密审查, reword a part of the public edition, confirm the
review, publish, withdraw. Each is a consequential action: it checks who acts, moves the row under a
lock (a conditional change of status), and writes one AuditEvent in the same transaction.

发布 renders the public edition once, into files of its own (a tagged PDF/A, the accessible HTML page
and its plain text for search): the public site serves those, never the internal edition's file and
never the live data, so what was published stays exactly what was reviewed.
"""

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from files.storage import files_kept_only_if_saved
from reports.kinds import BuildRequest, ReportDataMissing, build_document, spec_for
from reports.models import ReportRun
from reports.pdf import render_pdf_document

from . import permissions
from .documents import clean_part_text, document_from_json, document_to_json, parts_of, public_document
from .models import PUBLISHABLE_KINDS, PublicationRedaction, ReportPublication

Status = ReportPublication.Status
MIN_REASON = 4


class StalePublicationError(ValidationError):
    pass


def _locked(publication: ReportPublication, *, user: User) -> ReportPublication:
    if not permissions.can_publish(user, publication.run):
        raise PermissionDenied
    return (
        ReportPublication.objects.select_for_update(of=("self",))
        .select_related("department", "run")
        .get(pk=publication.pk)
    )


def _require_reviewing(publication: ReportPublication, *, version: int | None = None) -> None:
    if not publication.is_reviewing:
        raise ValidationError(f"该报告公开已{publication.get_status_display()}，不能再修改公开版。")
    if version is not None and publication.version != version:
        raise StalePublicationError("公开版已被他人修改，请刷新页面查看最新内容后再提交。")


@transaction.atomic
def publication_start(*, run: ReportRun, user: User) -> ReportPublication:
    """保密审查 starts: the final edition's text is frozen as the public edition's source."""
    if not permissions.can_publish(user, run):
        raise PermissionDenied
    run = ReportRun.objects.select_for_update(of=("self",)).select_related("department").get(pk=run.pk)
    if run.kind not in PUBLISHABLE_KINDS or run.department is None:
        raise ValidationError("只有部门、本级政府的法治政府建设年度报告需要向社会公开。")
    if not run.is_final:
        raise ValidationError("报告定稿后才能进行保密审查和公开。")
    current = ReportPublication.objects.filter(kind=run.kind, year=run.year, department=run.department).exclude(
        status=Status.WITHDRAWN
    )
    if current.exists():
        raise ValidationError("该报告已在保密审查中或已发布。")
    try:
        document = build_document(
            BuildRequest(kind=run.kind, year=run.year, department=run.department, options=dict(run.options))
        )
    except ReportDataMissing as missing:
        raise ValidationError(str(missing)) from missing
    figures = document.facts.snapshot() if document.facts else {}
    if run.figure_snapshot and figures != run.figure_snapshot:
        # The data moved after 定稿 (a return reopened and changed): the text built now is not the
        # final edition's, and the public must get what was signed.
        raise ValidationError("定稿后报告数据有变化，公开版将与定稿版本不一致。请核实数据，或联系管理员处理。")
    publication = ReportPublication.objects.create(
        run=run,
        kind=run.kind,
        year=run.year,
        department=run.department,
        title=document.title,
        source_document=document_to_json(document),
        figures=run.figure_snapshot or figures,
        started_by=user,
    )
    audit_record(
        action="change", user=user, obj=publication, department=run.department,
        after={"保密审查": "开始", "定稿版本": f"第{run.edition}版"},
    )  # fmt: skip
    return publication


@transaction.atomic
def publication_redact(
    *, publication: ReportPublication, number: int, text: str, version: int, user: User
) -> ReportPublication:
    """The public edition's wording of part `number` (parts_of's numbering); an empty text puts the
    final edition's wording back. Any change voids an earlier 保密审查 confirmation."""
    publication = _locked(publication, user=user)
    _require_reviewing(publication, version=version)
    redactions = dict(publication.redactions.values_list("key", "text"))
    parts = parts_of(document_from_json(publication.source_document), redactions)
    part = next((p for p in parts if p.number == number), None)
    if part is None:
        raise ValidationError("报告没有这一部分，请刷新页面。")
    text = clean_part_text(part.key, text)
    if text == part.original:
        text = ""  # the same words as the final edition: nothing redacted
    before = part.public
    PublicationRedaction.objects.update_or_create(
        publication=publication, key=part.key, defaults={"text": text, "updated_by": user}
    )
    ReportPublication.objects.filter(pk=publication.pk).update(version=F("version") + 1)
    publication.refresh_from_db()
    audit_record(
        action="change", user=user, obj=publication, department=publication.department,
        before={"部分": part.heading, "公开版": before}, after={"部分": part.heading, "公开版": text or part.original},
    )  # fmt: skip
    return publication


@transaction.atomic
def publication_confirm_review(*, publication: ReportPublication, version: int, user: User) -> ReportPublication:
    """保密审查确认: the person confirms this wording of the public edition holds nothing secret or personal."""
    publication = _locked(publication, user=user)
    _require_reviewing(publication, version=version)
    publication.reviewed_by = user
    publication.reviewed_at = timezone.now()
    publication.reviewed_version = publication.version
    publication.save(update_fields=["reviewed_by", "reviewed_at", "reviewed_version"])
    audit_record(
        action="change", user=user, obj=publication, department=publication.department,
        after={"保密审查": "确认公开版不含涉密和个人信息", "公开版版本": publication.version},
    )  # fmt: skip
    return publication


def render_public_edition(publication: ReportPublication) -> tuple[bytes, int, str, str]:
    """The public edition's PDF/A bytes, page count, accessible HTML body and plain text."""
    redactions = {r.key: r.text for r in publication.redactions.all() if r.is_edited}
    document = public_document(document_from_json(publication.source_document), redactions)
    rendered = render_pdf_document(spec_for(publication.kind).template_name, {"document": document}, archival=True)
    html = render_to_string("publication/public_document.html", {"document": document})
    return rendered.content, rendered.page_count, html, document.all_text()


def publication_publish(*, publication: ReportPublication, user: User) -> ReportPublication:
    """发布: the public edition is rendered once and goes on the public site.

    Rendering takes seconds, so it happens before the row is locked; the lock then checks that the
    edition rendered is still the one reviewed (no wording changed meanwhile, nobody published it
    first). The commit happens inside `files_kept_only_if_saved`, so a refused or failed publication
    leaves no file behind."""
    if not permissions.can_publish(user, publication.run):
        raise PermissionDenied
    publication.refresh_from_db()
    _require_reviewing(publication)
    if not publication.is_review_confirmed:
        raise ValidationError("请先完成保密审查确认（公开版修改后须重新确认），再发布。")
    rendered_version = publication.version
    pdf, page_count, html, text = render_public_edition(publication)
    with files_kept_only_if_saved() as stored, transaction.atomic():
        publication = _locked(publication, user=user)
        _require_reviewing(publication, version=rendered_version)
        stem = f"{publication.kind}-{publication.department.code}-{publication.year}-p{publication.pk}"
        stored.save(publication.pdf_file, f"{stem}.pdf", pdf)
        publication.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
        publication.pdf_size = len(pdf)
        publication.page_count = page_count
        publication.html = html
        publication.text = text
        publication.status = Status.PUBLISHED
        publication.published_at = timezone.now()
        publication.published_by = user
        publication.save()
        audit_record(
            action="change", user=user, obj=publication, department=publication.department,
            before={"status": Status.REVIEWING},
            after={"status": Status.PUBLISHED, "PDF SHA-256": publication.pdf_sha256},
        )  # fmt: skip
    return publication


@transaction.atomic
def publication_withdraw(*, publication: ReportPublication, reason: str, user: User) -> ReportPublication:
    """撤回: off the public site at once (or a review given up), with the reason. The files stay, for
    the record; a new publication of the report may follow."""
    publication = _locked(publication, user=user)
    reason = reason.strip()
    if len(reason) < MIN_REASON:
        raise ValidationError({"reason": f"请说明撤回理由（至少{MIN_REASON}个字）。"})
    if publication.is_withdrawn:
        raise ValidationError("该报告公开已撤回。")
    before = publication.status
    publication.status = Status.WITHDRAWN
    publication.withdrawn_at = timezone.now()
    publication.withdrawn_by = user
    publication.withdrawal_reason = reason
    publication.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit_record(
        action="change", user=user, obj=publication, department=publication.department,
        before={"status": before}, after={"status": Status.WITHDRAWN, "撤回理由": reason},
    )  # fmt: skip
    return publication

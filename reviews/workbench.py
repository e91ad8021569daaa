"""The reviewer's 工作台: returns to review (first submissions and resubmissions), appeals to 复核 and
adjustments to approve (four eyes: not the reviewer's own entries or decisions), in their scope."""

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.permissions import departments_for_user
from accounts.workbench import WorkItem
from assessments.models import AnnualReturn

from .models import Adjustment, Appeal
from .permissions import appeals_for_user, first_reviewer_ids
from .selectors import _overdue_q, queue_base, queue_years


def reviewer_work(user: User) -> list[WorkItem]:
    if not (user.is_authenticated and user.is_reviewer):
        return []
    year = next(iter(queue_years()), None)
    submitted = queue_base(user, year).filter(status=AnnualReturn.Status.SUBMITTED)
    first_time = submitted.filter(submitted_at=F("first_submitted_at")).count()
    again = submitted.exclude(submitted_at=F("first_submitted_at")).count()
    late = queue_base(user, year).filter(_overdue_q(timezone.localdate())).count()
    queue = reverse("reviews:queue") + (f"?year={year}&status=submitted" if year else "?status=submitted")
    pending_appeals = (
        appeals_for_user(user).filter(status=Appeal.Status.PENDING).select_related("review_score", "adjustment")
    )
    appeals = sum(1 for appeal in pending_appeals if user.pk not in first_reviewer_ids(appeal))
    adjustments = Adjustment.objects.filter(
        status=Adjustment.Status.PENDING, department__in=departments_for_user(user)
    ).exclude(entered_by=user)
    if user.department_id is not None:
        adjustments = adjustments.exclude(department_id=user.department_id)
    adjustment_year = adjustments.order_by("-year").values_list("year", flat=True).first() or year
    return [
        WorkItem("待审核的填报（首次提交）", first_time, queue),
        WorkItem("重新提交待审核的填报", again, queue),
        WorkItem("逾期未交或逾期提交", late, reverse("reviews:queue") + f"?year={year or ''}&status=&overdue=on"),
        WorkItem("待复核的异议", appeals, reverse("reviews:appeals")),
        WorkItem(
            "待审批的加减分",
            adjustments.count(),
            reverse("reviews:adjustments", args=[adjustment_year]) if adjustment_year else reverse("reviews:queue"),
        ),
    ]

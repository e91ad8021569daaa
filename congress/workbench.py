"""人大工作人员's 工作台: 审议意见 and 代表建议 whose departments' answers are due or overdue, and
opinions fully answered that wait for the 回头看."""

import datetime

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.workbench import WorkItem

from .models import Assignment, CongressYear, DeliberationOpinion
from .permissions import can_manage_congress

DUE_WITHIN_DAYS = 30


def congress_work(user: User) -> list[WorkItem]:
    if not (can_manage_congress(user) and user.is_congress_staff):
        return []
    congress_year = CongressYear.objects.order_by("-year").first()
    if congress_year is None:
        return []
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_WITHIN_DAYS)
    unanswered = Assignment.objects.filter(opinion__congress_year=congress_year, status="")
    opinions = reverse("congress:opinion_list", args=[congress_year.year])
    items = []
    for kind, label in DeliberationOpinion.Kind.choices:
        of_kind = unanswered.filter(opinion__kind=kind)
        overdue = of_kind.filter(deadline__lt=today).count()
        due = of_kind.filter(deadline__lte=soon).count()
        note = f"其中 {overdue} 件已逾期" if overdue else ""
        items.append(WorkItem(f"{DUE_WITHIN_DAYS} 天内到期的{label}交办", due, opinions, note=note))
    still_open = Assignment.objects.filter(opinion=OuterRef("pk"), status="")
    awaiting_review = (
        DeliberationOpinion.objects.filter(congress_year=congress_year, reviewed_at__isnull=True)
        .filter(Exists(Assignment.objects.filter(opinion=OuterRef("pk"))))
        .exclude(Exists(still_open))
        .count()
    )
    items.append(WorkItem("已全部答复、待回头看的意见建议", awaiting_review, opinions))
    items.append(
        WorkItem("逾期未答复的交办", unanswered.filter(deadline__lt=today).count(), reverse("congress:overdue_list"))
    )
    return items

"""Reports this person asked for that are ready to download (the last 30 days), on the 工作台."""

import datetime

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.workbench import WorkItem

from .models import ReportRun

RECENT_DAYS = 30


def reports_ready(user: User) -> list[WorkItem]:
    if not (user.is_authenticated and (user.is_reviewer or user.is_congress_staff)):
        return []
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    mine = ReportRun.objects.filter(requested_by=user, created_at__gte=since)
    ready = mine.filter(status=ReportRun.Status.DONE).count()
    pending = mine.filter(status__in=(ReportRun.Status.QUEUED, ReportRun.Status.RUNNING)).count()
    note = f"另有 {pending} 份正在生成" if pending else ""
    return [WorkItem(f"近 {RECENT_DAYS} 天生成完成的报告", ready, reverse("reports:index"), note=note)]

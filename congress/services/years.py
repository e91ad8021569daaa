from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record

from ..models import CongressYear
from .common import require_manager


@transaction.atomic
def congress_year_create(*, year: int, title: str = "", user: User) -> CongressYear:
    require_manager(user)
    if CongressYear.objects.filter(year=year).exists():
        raise ValidationError({"year": f"{year}年度已存在。"})
    congress_year = CongressYear.objects.create(year=year, title=title)
    audit_record(action="change", user=user, obj=congress_year, after={"year": year, "title": title})
    return congress_year


@transaction.atomic
def congress_year_update(*, congress_year: CongressYear, title: str, user: User) -> CongressYear:
    require_manager(user)
    before = {"title": congress_year.title}
    congress_year.title = title
    congress_year.save(update_fields=["title"])
    audit_record(action="change", user=user, obj=congress_year, before=before, after={"title": title})
    return congress_year


@transaction.atomic
def congress_year_finalise(*, congress_year: CongressYear, user: User) -> CongressYear:
    """Marks the year's survey report final; recommendations are frozen from then on.

    A conditional UPDATE, so two people finalising at once leave one timestamp and one name.
    """
    require_manager(user)
    now = timezone.now()
    updated = CongressYear.objects.filter(pk=congress_year.pk, report_finalised_at__isnull=True).update(
        report_finalised_at=now, report_finalised_by=user
    )
    if not updated:
        raise ValidationError("该年度调研报告已经定稿。")
    congress_year.refresh_from_db(fields=["report_finalised_at", "report_finalised_by"])
    audit_record(action="change", user=user, obj=congress_year, before={"finalised": False}, after={"finalised": True})
    return congress_year


@transaction.atomic
def congress_year_reopen(*, congress_year: CongressYear, user: User) -> CongressYear:
    require_manager(user)
    reopened = CongressYear.objects.filter(pk=congress_year.pk, report_finalised_at__isnull=False).update(
        report_finalised_at=None, report_finalised_by=None
    )
    congress_year.refresh_from_db(fields=["report_finalised_at", "report_finalised_by"])
    if reopened:  # reopening a year that is not final changes nothing, so records nothing
        audit_record(
            action="change", user=user, obj=congress_year, before={"finalised": True}, after={"finalised": False}
        )
    return congress_year

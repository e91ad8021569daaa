from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User

from ..models import CongressYear
from .common import require_manager


@transaction.atomic
def congress_year_create(*, year: int, title: str = "", user: User) -> CongressYear:
    require_manager(user)
    if CongressYear.objects.filter(year=year).exists():
        raise ValidationError({"year": f"{year}年度已存在。"})
    return CongressYear.objects.create(year=year, title=title)


@transaction.atomic
def congress_year_update(*, congress_year: CongressYear, title: str, user: User) -> CongressYear:
    require_manager(user)
    congress_year.title = title
    congress_year.save(update_fields=["title"])
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
    return congress_year


@transaction.atomic
def congress_year_reopen(*, congress_year: CongressYear, user: User) -> CongressYear:
    require_manager(user)
    CongressYear.objects.filter(pk=congress_year.pk).update(report_finalised_at=None, report_finalised_by=None)
    congress_year.refresh_from_db(fields=["report_finalised_at", "report_finalised_by"])
    return congress_year

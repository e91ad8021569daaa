"""历史数据年度: a past year opened after the fact, so that a city that starts using lawgov has last
year's figures and its first report can already say 较上年.

Two steps, both the justice bureau's and both audited like 开启年度填报:
1. `historical_year_prepare` copies a framework (usually the shipped default) as a draft edition of
   the past year, marked historical, which the bureau may adjust (admin, or export/import) to what
   was really assessed that year;
2. `historical_year_open` publishes that edition and opens one return per active department with no
   deadline: nothing is owed by a date, nothing is overdue, and no score sheet is made unless a
   reviewer reviews a return. The figures then come in through the bureau's bulk import (preview,
   all or nothing), like any year's.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import User
from audit.models import AuditEvent
from audit.services import audit_record
from indicators.models import IndicatorFramework
from indicators.selectors import framework_published_for_year
from indicators.services import framework_clone, framework_publish

from ..models import AnnualReturn
from ..selectors.deadlines import local_today
from .errors import ReturnActionError
from .opening import OpeningResult, _ensure_bureau, returns_open_for_framework

FIRST_YEAR = 2000


def historical_year_check(*, year: int, today: datetime.date | None = None) -> None:
    """Why `year` cannot become a 历史数据年度 (ReturnActionError), or nothing."""
    today = today or local_today()
    if not FIRST_YEAR <= year < today.year:
        raise ReturnActionError(f"历史数据年度须为 {FIRST_YEAR} 年至 {today.year - 1} 年之间的以前年度。")
    if AnnualReturn.objects.filter(year=year).exists():
        raise ReturnActionError(f"{year}年度已经开启填报，不能再作为历史数据年度开启。")
    published = framework_published_for_year(year)
    if published is not None and not published.is_historical:
        raise ReturnActionError(f"{year}年度已有发布的指标体系“{published}”，请在“开启年度填报”中开启。")
    draft = IndicatorFramework.objects.filter(year=year, is_historical=True, status=IndicatorFramework.Status.DRAFT)
    if draft.exists():
        raise ReturnActionError(f"{year}年度的历史数据指标体系已在草稿中，请调整后发布并开启。")


@transaction.atomic
def historical_year_prepare(
    *, year: int, source: IndicatorFramework, user: User, today: datetime.date | None = None
) -> IndicatorFramework:
    """A draft copy of `source` for the past `year`, marked 历史数据年度 (to adjust, then open)."""
    _ensure_bureau(user)
    if source.is_draft:
        raise ReturnActionError("请选择已发布或已归档的指标体系作为底本。")
    historical_year_check(year=year, today=today)
    framework = framework_clone(framework=source, user=user, year=year)
    framework.is_historical = True
    framework.save(update_fields=["is_historical", "updated_at"])
    audit_record(
        action=AuditEvent.Action.CHANGE,
        user=user,
        obj=framework,
        after={"历史数据年度": year, "底本": str(source), "指标体系": str(framework)},
    )
    return framework


def historical_year_open(*, framework: IndicatorFramework, user: User) -> OpeningResult:
    """Publish the year's historical edition (if still a draft) and open a return, with no
    deadline, for every active department that has none for the year."""
    _ensure_bureau(user)
    if not framework.is_historical:
        raise ReturnActionError(f"“{framework}”不是历史数据年度的指标体系。")
    with transaction.atomic():
        if framework.is_draft:
            try:
                framework = framework_publish(framework=framework, user=user)
            except ValidationError as error:
                raise ReturnActionError("指标体系还不能发布：" + "；".join(error.messages)) from None
        elif framework.status != IndicatorFramework.Status.PUBLISHED:
            raise ReturnActionError(f"“{framework}”已归档，不能开启。")
        result = returns_open_for_framework(framework=framework, user=user)
        if result.opened:
            audit_record(
                action=AuditEvent.Action.CHANGE,
                user=user,
                obj=framework,
                after={"开启历史数据年度": framework.year, "新开启": result.opened, "截止日期": "无"},
            )
    return result

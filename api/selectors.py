"""Reads of the API: which token a key names and what it may see; the published reports, their
figures and the framework that defines them (through publication.selectors.published_reports only,
so nothing under review or withdrawn is ever read here)."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import Department
from accounts.selectors import department_subtree_ids
from indicators.models import Indicator, IndicatorFramework
from indicators.selectors import framework_published_for_year, framework_tree
from publication.models import ReportPublication
from publication.selectors import published_reports

from .models import ApiToken
from .services import key_digest


def api_token_for_key(key: str) -> ApiToken | None:
    """The live token a key names; None for an unknown or revoked key."""
    return ApiToken.objects.select_related("scope").filter(key_digest=key_digest(key), revoked_at__isnull=True).first()


def token_department_ids(token: ApiToken) -> set[int]:
    """The units a token may read: its scope and everything below it."""
    return department_subtree_ids(root_id=token.scope_id)


# --- published reports and their figures (the public ones only) ------------------------------


def published_reports_in(*, year: int | None = None, unit: Department | None = None) -> QuerySet[ReportPublication]:
    """Reports on the public site now, of `unit` and every unit below it when given."""
    reports = published_reports(year=year)
    if unit is not None:
        reports = reports.filter(department_id__in=department_subtree_ids(root_id=unit.pk))
    return reports


def framework_of_year(year: int) -> IndicatorFramework | None:
    """The edition a year's reports were written against: the published one, else the latest
    archived one (a year whose edition was replaced); never a draft."""
    return framework_published_for_year(year) or (
        IndicatorFramework.objects.filter(year=year, status=IndicatorFramework.Status.ARCHIVED)
        .order_by("-version")
        .first()
    )


@dataclass(frozen=True)
class PublishedFigure:
    indicator_code: str
    indicator_name: str
    figure: str  # as the published report prints it


@dataclass(frozen=True)
class PublishedReportFigures:
    report: ReportPublication
    figures: tuple[PublishedFigure, ...]


@dataclass(frozen=True)
class OpenDataYear:
    """A year's open data: every published report's figures, and the framework that defines them."""

    year: int
    framework: IndicatorFramework | None
    indicators: tuple[Indicator, ...]  # the ones some published report prints, in the framework's order
    reports: tuple[PublishedReportFigures, ...]


def _indicators_by_code(year: int) -> tuple[IndicatorFramework | None, dict[str, Indicator]]:
    framework = framework_of_year(year)
    if framework is None:
        return None, {}
    return framework, {indicator.code: indicator for indicator in framework_tree(framework).indicators}


def report_figures(reports: Iterable[ReportPublication]) -> list[PublishedReportFigures]:
    """Each report's published figures in its framework's order (one tree per year, cached)."""
    trees: dict[int, dict[str, Indicator]] = {}
    found = []
    for report in reports:
        if report.year not in trees:
            trees[report.year] = _indicators_by_code(report.year)[1]
        found.append(PublishedReportFigures(report=report, figures=_figures(report, trees[report.year])))
    return found


def _figures(report: ReportPublication, indicators: dict[str, Indicator]) -> tuple[PublishedFigure, ...]:
    printed = {str(code): str(text) for code, text in (report.figures or {}).items() if text}
    order = [code for code in indicators if code in printed] + sorted(set(printed) - set(indicators))
    return tuple(
        PublishedFigure(
            indicator_code=code,
            indicator_name=indicators[code].name if code in indicators else "",
            figure=printed[code],
        )
        for code in order
    )


def open_data_for_year(year: int) -> OpenDataYear:
    framework, indicators = _indicators_by_code(year)
    reports = report_figures(published_reports(year=year))
    printed = {figure.indicator_code for item in reports for figure in item.figures}
    return OpenDataYear(
        year=year,
        framework=framework,
        indicators=tuple(indicator for code, indicator in indicators.items() if code in printed),
        reports=tuple(reports),
    )

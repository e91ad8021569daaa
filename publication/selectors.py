"""Reads of publications. `published_reports` is what every public reader builds on (the public site,
open data, the API): only editions that are published now, never one under review or withdrawn."""

from django.db.models import QuerySet

from accounts.models import Department

from .models import ReportPublication


def published_reports(*, year: int | None = None, unit: Department | int | None = None) -> QuerySet[ReportPublication]:
    """Publications on the public site now (status 已发布; withdrawn and in-review ones never), with
    their unit and final run joined, newest year first then in the unit tree's order. `unit` is one
    unit (an instance or its id), not its subtree."""
    publications = ReportPublication.objects.filter(status=ReportPublication.Status.PUBLISHED).select_related(
        "department", "run"
    )
    if year is not None:
        publications = publications.filter(year=year)
    if unit is not None:
        publications = publications.filter(department=unit)
    return publications.order_by("-year", "department__sort_order", "department__code", "kind")

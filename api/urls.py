from collections.abc import Callable
from typing import Any

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"


def _csrf_checked(view: Callable[..., Any]) -> Callable[..., Any]:
    """DRF marks its views csrf_exempt, for clients that post with a session. This API takes no
    session and answers only GET, so Django's CSRF check stays on like everywhere else (a forged POST
    is refused before it reaches a view that would refuse it anyway)."""
    view.csrf_exempt = False  # type: ignore[attr-defined]  # the flag CsrfViewMiddleware reads
    return view


urlpatterns = [
    # The schema and its docs page are public and take no credential (the page renders a template,
    # whose context processors expect a person, not a system, as request.user).
    path("schema/", _csrf_checked(SpectacularAPIView.as_view(authentication_classes=[])), name="schema"),
    path(
        "docs/",
        _csrf_checked(SpectacularSwaggerSplitView.as_view(url_name="api:schema", authentication_classes=[])),
        name="docs",
    ),
    path("v1/years/", _csrf_checked(views.YearList.as_view()), name="years"),
    path("v1/frameworks/", _csrf_checked(views.FrameworkList.as_view()), name="frameworks"),
    path("v1/frameworks/<int:pk>/", _csrf_checked(views.FrameworkDetail.as_view()), name="framework"),
    path("v1/frameworks/<int:pk>/indicators/", _csrf_checked(views.IndicatorList.as_view()), name="indicators"),
    path("v1/units/", _csrf_checked(views.UnitList.as_view()), name="units"),
    path("v1/reports/", _csrf_checked(views.ReportList.as_view()), name="reports"),
    path("v1/reports/<int:pk>/", _csrf_checked(views.ReportDetail.as_view()), name="report"),
    path("v1/reports/<int:pk>/pdf/", _csrf_checked(views.ReportPdf.as_view()), name="report_pdf"),
    path("v1/published-figures/", _csrf_checked(views.PublishedFigureList.as_view()), name="published_figures"),
    path("v1/open-data/<int:year>.csv", _csrf_checked(views.OpenDataCsv.as_view()), name="open_data_csv"),
    path("v1/open-data/<int:year>.json", _csrf_checked(views.OpenDataJson.as_view()), name="open_data_json"),
    path("v1/token/", _csrf_checked(views.TokenDetail.as_view()), name="token"),
    path("v1/approved-figures/", _csrf_checked(views.ApprovedFigureList.as_view()), name="approved_figures"),
]

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

urlpatterns = [
    # The schema and its docs page are public and take no credential (the page renders a template,
    # whose context processors expect a person, not a system, as request.user).
    path("schema/", SpectacularAPIView.as_view(authentication_classes=[]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", authentication_classes=[]),
        name="docs",
    ),
    path("v1/years/", views.YearList.as_view(), name="years"),
    path("v1/frameworks/", views.FrameworkList.as_view(), name="frameworks"),
    path("v1/frameworks/<int:pk>/", views.FrameworkDetail.as_view(), name="framework"),
    path("v1/frameworks/<int:pk>/indicators/", views.IndicatorList.as_view(), name="indicators"),
    path("v1/units/", views.UnitList.as_view(), name="units"),
    path("v1/token/", views.TokenDetail.as_view(), name="token"),
    path("v1/approved-figures/", views.ApprovedFigureList.as_view(), name="approved_figures"),
]

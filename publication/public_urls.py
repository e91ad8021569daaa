from django.urls import path

from . import public_views

app_name = "public"

urlpatterns = [
    path("", public_views.index, name="index"),
    path("reports/<int:pk>/", public_views.report, name="report"),
    path("reports/<int:pk>/pdf/", public_views.report_pdf, name="report_pdf"),
    path("compliance/", public_views.compliance, name="compliance"),
]

from django.urls import path

from . import draft_views, views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("request/", views.request_run, name="request_run"),
    path("preview/", views.preview, name="preview"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/status/", views.run_status, name="run_status"),
    path("runs/<int:pk>/pdf/", views.run_download, name="run_download"),
    path("runs/<int:pk>/docx/", views.run_download_docx, name="run_download_docx"),
    path("runs/<int:pk>/retry/", views.run_retry, name="run_retry"),
    path("runs/<int:pk>/final/", views.run_finalize, name="run_finalize"),
    path("runs/<int:pk>/health/acknowledge/", views.run_health_acknowledge, name="run_health_acknowledge"),
    path("drafts/open/", draft_views.draft_open, name="draft_open"),
    path("drafts/<str:kind>/<int:year>/<int:scope_id>/", draft_views.draft_edit, name="draft_edit"),
    path(
        "drafts/<str:kind>/<int:year>/<int:scope_id>/sections/<int:number>/",
        draft_views.draft_section_edit,
        name="draft_section_edit",
    ),
    path(
        "drafts/<str:kind>/<int:year>/<int:scope_id>/sections/<int:number>/reset/",
        draft_views.draft_section_reset,
        name="draft_section_reset",
    ),
    path("batches/", views.batch_request, name="batch_request"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/status/", views.batch_status, name="batch_status"),
    path("batches/<int:pk>/zip/", views.batch_download, name="batch_download"),
]

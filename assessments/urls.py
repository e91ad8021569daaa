from django.urls import path

from .views import deadlines, entry, evidence, excel, opening, progress, provided, returns, submission

app_name = "assessments"

urlpatterns = [
    path("", returns.return_list, name="return_list"),
    path("<int:pk>/", returns.return_detail, name="return_detail"),
    path("<int:pk>/history/", returns.return_history, name="return_history"),
    path("<int:pk>/edit/", entry.return_edit, name="return_edit"),
    path("<int:pk>/values/<int:indicator_pk>/", entry.value_save, name="value_save"),
    path("<int:pk>/narratives/<slug:kind>/", entry.narrative_save_view, name="narrative_save"),
    path("<int:pk>/submit/", submission.return_submit, name="return_submit"),
    path("<int:pk>/extension/", deadlines.extension_grant, name="extension_grant"),
    path("<int:pk>/evidence/", evidence.evidence_list, name="evidence_list"),
    path("<int:pk>/evidence/panel/", evidence.evidence_panel, name="evidence_panel"),
    path("<int:pk>/evidence/upload/", evidence.evidence_upload_view, name="evidence_upload"),
    path("<int:pk>/indicators/<int:indicator_pk>/evidence/", evidence.evidence_panel, name="evidence_indicator_panel"),
    path(
        "<int:pk>/indicators/<int:indicator_pk>/evidence/upload/",
        evidence.evidence_upload_view,
        name="evidence_indicator_upload",
    ),
    path("evidence/<int:pk>/", evidence.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/delete/", evidence.evidence_delete_view, name="evidence_delete"),
    path("<int:pk>/excel/", excel.excel_fill, name="excel_fill"),
    path("<int:pk>/excel/template/", excel.excel_template, name="excel_template"),
    path("<int:pk>/excel/upload/", excel.excel_upload, name="excel_upload"),
    path("<int:pk>/excel/apply/", excel.excel_apply, name="excel_apply"),
    path("bulk-import/", excel.bulk_import, name="bulk_import"),
    path("bulk-import/template/", excel.bulk_import_template, name="bulk_import_template"),
    path("bulk-import/upload/", excel.bulk_import_upload, name="bulk_import_upload"),
    path("bulk-import/apply/", excel.bulk_import_apply_view, name="bulk_import_apply"),
    path(
        "<int:pk>/provided/<int:indicator_pk>/dispute/", provided.provided_dispute_raise, name="provided_dispute_raise"
    ),
    path("provided/", provided.provided_grid, name="provided_grid"),
    path("provided/save/", provided.provided_save, name="provided_save"),
    path("provided/xlsx/", provided.provided_xlsx_template, name="provided_xlsx_template"),
    path("provided/xlsx/upload/", provided.provided_xlsx_upload, name="provided_xlsx_upload"),
    path("provided/xlsx/apply/", provided.provided_xlsx_apply, name="provided_xlsx_apply"),
    path("provided/submit/", provided.provided_submit, name="provided_submit"),
    path("provided/disputes/<int:pk>/", provided.provided_dispute_answer, name="provided_dispute_answer"),
    path("provided/disputes/<int:pk>/evidence/", provided.provided_dispute_evidence, name="provided_dispute_evidence"),
    path("progress/", progress.progress_dashboard, name="progress_dashboard"),
    path("progress/export/", progress.progress_export, name="progress_export"),
    path("years/open/", opening.year_open_view, name="year_open"),
    path("years/<int:year>/deadline/", opening.year_deadline_view, name="year_deadline"),
    path("years/historical/", opening.historical_years_view, name="historical_years"),
    path("years/historical/<int:pk>/open/", opening.historical_year_open_view, name="historical_year_open"),
]

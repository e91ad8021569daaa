from django.urls import path

from .views import deadlines, entry, returns, submission

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
]

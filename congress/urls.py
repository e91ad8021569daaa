from django.urls import path

from .views import activities, followup, report_text, responses, surveys, years

app_name = "congress"

urlpatterns = [
    # --- years
    path("", years.index, name="index"),
    path("years/new/", years.year_create, name="year_create"),
    path("<int:year>/", years.year_detail, name="year_detail"),
    path("<int:year>/edit/", years.year_update, name="year_update"),
    path("<int:year>/finalise/", years.year_finalise, name="year_finalise"),
    path("<int:year>/reopen/", years.year_reopen, name="year_reopen"),
    # --- the report's sections drafted from the data, as congress staff word them
    path("<int:year>/report-text/<slug:section>/", report_text.report_text_edit, name="report_text_edit"),
    path("<int:year>/report-text/<slug:section>/reset/", report_text.report_text_reset, name="report_text_reset"),
    # --- survey and questionnaire
    path("<int:year>/survey/new/", surveys.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/edit/", surveys.survey_update, name="survey_update"),
    path("surveys/<int:pk>/groups/new/", surveys.group_create, name="group_create"),
    path("groups/<int:pk>/delete/", surveys.group_delete, name="group_delete"),
    path("surveys/<int:pk>/questions/new/", surveys.question_create, name="question_create"),
    path("questions/<int:pk>/edit/", surveys.question_update, name="question_update"),
    path("questions/<int:pk>/delete/", surveys.question_delete, name="question_delete"),
    path("surveys/<int:pk>/results/", surveys.results, name="survey_results"),
    path("surveys/<int:pk>/results.xlsx", surveys.results_export, name="survey_results_export"),
    # --- responses: one by one, imported, or as aggregate counts per group
    path("surveys/<int:pk>/responses/", responses.response_list, name="response_list"),
    path("surveys/<int:pk>/responses/new/", responses.response_create, name="response_create"),
    path("surveys/<int:pk>/import/", responses.response_import, name="response_import"),
    path("surveys/<int:pk>/import/template.xlsx", responses.response_template, name="response_template"),
    path("responses/<int:pk>/validity/", responses.response_validity, name="response_validity"),
    path("responses/<int:pk>/delete/", responses.response_delete, name="response_delete"),
    path("groups/<int:pk>/tally/", responses.tally_edit, name="tally_edit"),
    path("groups/<int:pk>/tally/delete/", responses.tally_delete, name="tally_delete"),
    # --- 审议意见 / 代表建议 follow-up
    path("<int:year>/opinions/", followup.opinion_list, name="opinion_list"),
    path("<int:year>/opinions/new/", followup.opinion_create, name="opinion_create"),
    path("opinions/<int:pk>/", followup.opinion_detail, name="opinion_detail"),
    path("opinions/<int:pk>/edit/", followup.opinion_update, name="opinion_update"),
    path("opinions/<int:pk>/delete/", followup.opinion_delete, name="opinion_delete"),
    path("opinions/<int:pk>/assign/", followup.assignment_create, name="assignment_create"),
    path("opinions/<int:pk>/review/", followup.opinion_review, name="opinion_review"),
    path("assignments/<int:pk>/delete/", followup.assignment_delete, name="assignment_delete"),
    path("overdue/", followup.overdue_list, name="overdue_list"),
    path("assignments/", followup.my_assignments, name="my_assignments"),
    path("assignments/<int:pk>/", followup.assignment_detail, name="assignment_detail"),
    # --- activities and recommendations
    path("<int:year>/activities/new/", activities.activity_create, name="activity_create"),
    path("activities/<int:pk>/edit/", activities.activity_update, name="activity_update"),
    path("activities/<int:pk>/delete/", activities.activity_delete, name="activity_delete"),
    path("<int:year>/recommendations/new/", activities.recommendation_create, name="recommendation_create"),
    path("recommendations/<int:pk>/edit/", activities.recommendation_update, name="recommendation_update"),
    path("recommendations/<int:pk>/move/", activities.recommendation_move, name="recommendation_move"),
    path("recommendations/<int:pk>/delete/", activities.recommendation_delete, name="recommendation_delete"),
]

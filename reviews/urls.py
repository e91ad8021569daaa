from django.urls import path

from .views import adjustments, appeals, notifications, provider_deadlines, queue, results, review

app_name = "reviews"

urlpatterns = [
    path("", queue.queue, name="queue"),
    path("returns/<int:pk>/", review.review, name="review"),
    path("returns/<int:pk>/indicators/<int:indicator_pk>/score/", review.score, name="score"),
    path("returns/<int:pk>/send-back/", review.send_back, name="send_back"),
    path("returns/<int:pk>/approve/", review.approve, name="approve"),
    path("returns/<int:pk>/confirm/", review.confirm, name="confirm"),
    path("returns/<int:pk>/reopen/", review.reopen, name="reopen"),
    path("adjustments/<int:year>/", adjustments.adjustment_list, name="adjustments"),
    path("adjustments/entry/<int:pk>/decide/", adjustments.adjustment_decide, name="adjustment_decide"),
    path("adjustments/entry/<int:pk>/withdraw/", adjustments.adjustment_withdraw, name="adjustment_withdraw"),
    path("adjustments/entry/<int:pk>/evidence/", adjustments.adjustment_evidence, name="adjustment_evidence"),
    path("results/", results.results_index, name="results_index"),
    path("results/<int:year>/", results.results, name="results"),
    path("results/<int:year>/export.xlsx", results.results_export, name="results_export"),
    path("results/<int:year>/publish/", results.publish, name="publish"),
    path("results/<int:year>/finalise/", results.finalise, name="finalise"),
    path("results/<int:year>/score-historical/", results.historical_score, name="historical_score"),
    path("results/<int:year>/ranking-visibility/", results.ranking_visibility, name="ranking_visibility"),
    path("results/<int:year>/breakdown-visibility/", results.breakdown_visibility, name="breakdown_visibility"),
    path("sheets/<int:pk>/", results.sheet, name="sheet"),
    path("sheets/<int:pk>/appeal/", appeals.appeal_create, name="appeal_create"),
    path("appeals/", appeals.appeal_list, name="appeals"),
    path("appeals/<int:pk>/", appeals.appeal_detail, name="appeal"),
    path("appeals/<int:pk>/decide/", appeals.appeal_decide, name="appeal_decide"),
    path("appeals/<int:pk>/evidence/", appeals.appeal_evidence, name="appeal_evidence"),
    path("providers/", provider_deadlines.provider_deadlines, name="provider_deadlines"),
    path("providers/<int:pk>/deadline/", provider_deadlines.provider_deadline_change, name="provider_deadline_change"),
    path("providers/<int:pk>/remind/", provider_deadlines.provider_remind, name="provider_remind"),
    path("notifications/", notifications.inbox, name="notifications"),
    path("notifications/read/", notifications.mark_read, name="notifications_read"),
]

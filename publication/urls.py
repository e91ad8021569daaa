from django.urls import path

from . import views

app_name = "publication"

urlpatterns = [
    path("", views.manage, name="manage"),
    path("start/<int:run_id>/", views.start, name="start"),
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/parts/<int:number>/", views.redact, name="redact"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/preview/", views.preview, name="preview"),
]

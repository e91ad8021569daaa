from django.urls import path

from . import views

app_name = "indicators"

urlpatterns = [
    path("", views.framework_list, name="framework_list"),
    path("compare/", views.framework_compare_view, name="framework_compare"),
    path("<int:pk>/", views.framework_detail, name="framework_detail"),
    path("<int:pk>/export.xlsx", views.framework_export, name="framework_export"),
]

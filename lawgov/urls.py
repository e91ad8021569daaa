from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "lawgov 法治政府建设考核系统 · 系统管理"
admin.site.site_title = "lawgov 系统管理"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("accounts.urls")),
    path("indicators/", include("indicators.urls")),
    path("returns/", include("assessments.urls")),
    path("review/", include("reviews.urls")),
    path("congress/", include("congress.urls")),
    path("reports/", include("reports.urls")),
]
handler500 = "lawgov.error_views.server_error"

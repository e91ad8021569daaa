from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from accounts.urls import app_name as accounts_namespace
from accounts.urls import urlpatterns as accounts_urlpatterns
from workbench.views import home


class FaviconView(RedirectView):
    """/favicon.ico, which browsers ask for on their own (downloads, PDF previews): the vendored icon."""

    permanent = True
    http_method_names = ["get", "head"]

    def get_redirect_url(self, *args, **kwargs):
        return static("favicon.svg")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("admin/", admin.site.urls),
    # The 工作台 composes every app, so its view lives in workbench/; it keeps the name accounts:home
    # that the login redirect and every page's links use.
    path("", include(([path("", home, name="home"), *accounts_urlpatterns], accounts_namespace))),
    path("indicators/", include("indicators.urls")),
    path("returns/", include("assessments.urls")),
    path("review/", include("reviews.urls")),
    path("congress/", include("congress.urls")),
    path("reports/", include("reports.urls")),
    path("api/", include("api.urls")),
    path("publication/", include("publication.urls")),
    path("public/", include("publication.public_urls")),  # no login: the published reports
]
handler500 = "lawgov.error_views.server_error"

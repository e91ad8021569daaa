"""The public site (/public/): no login. Everything here reads `selectors.published_reports` only, so
a report under review or withdrawn answers 404 like one that never existed.

Every page is the same for everyone (nothing of the session is read), so it may be cached by
browsers and proxies for a few minutes; a withdrawal therefore leaves shared caches within
PUBLIC_CACHE_SECONDS. Responses carry an ETag and answer a matching If-None-Match with 304.
"""

from typing import cast

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from django.views.decorators.http import require_safe

from files.kinds import PDF
from files.responses import file_response

from . import selectors
from .forms import ComplianceYearForm, PublicSearchForm

PUBLIC_CACHE_SECONDS = 300


def _cacheable(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Public caching for a few minutes, an ETag (the page's hash, or the file's), and 304 for a
    request that already holds this version."""
    response.headers.pop("Cache-Control", None)
    patch_cache_control(response, public=True, max_age=PUBLIC_CACHE_SECONDS)
    if not response.has_header("ETag") and not response.streaming:
        set_response_etag(response)
    # Django's own ConditionalGetMiddleware logic (a FileResponse included: only its headers are read).
    conditional = get_conditional_response(request, etag=response.get("ETag"), response=cast(HttpResponse, response))
    return conditional if conditional is not None else response


def _not_found(request: HttpRequest) -> HttpResponseBase:
    """Unpublished, withdrawn or unknown: one answer, kept by no cache (it may be published soon)."""
    response = render(request, "publication/public_404.html", status=404)
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def index(request: HttpRequest) -> HttpResponseBase:
    form = PublicSearchForm(request.GET or None, years=selectors.public_years(), units=selectors.public_unit_choices())
    criteria = form.cleaned_data if form.is_valid() else {}
    page = selectors.public_search_page(
        year=criteria.get("year"),
        unit=criteria.get("unit"),
        words=criteria.get("q") or "",
        number=request.GET.get("page"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return _cacheable(
        request,
        render(
            request,
            "publication/public_index.html",
            {
                "form": form,
                "page": page,
                "query": query.urlencode(),
                "is_search": bool(request.GET) and form.is_valid(),
            },
        ),
    )


@require_safe
def report(request: HttpRequest, pk: int) -> HttpResponseBase:
    publication = selectors.public_report(pk)
    if publication is None:
        return _not_found(request)
    return _cacheable(request, render(request, "publication/public_report.html", {"publication": publication}))


@require_safe
def report_pdf(request: HttpRequest, pk: int) -> HttpResponseBase:
    publication = selectors.public_report(pk)
    if publication is None or not publication.pdf_file:
        return _not_found(request)
    response = file_response(
        publication.pdf_file.open("rb"), filename=f"{publication.title}.pdf", content_type=PDF.content_type, inline=True
    )
    response["ETag"] = f'"{publication.pdf_sha256}"'
    return _cacheable(request, response)


@require_safe
def compliance(request: HttpRequest) -> HttpResponseBase:
    form = ComplianceYearForm(request.GET or None)
    table = selectors.compliance_table(year=form.year_or_default(), today=timezone.localdate())
    return _cacheable(request, render(request, "publication/public_compliance.html", {"form": form, "table": table}))

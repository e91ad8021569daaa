"""The reviewer's queue (待审核): returns in scope, filtered, counted per status, oldest first."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.models import Department
from assessments.models import AnnualReturn

from .. import selectors
from ..forms import QueueFilterForm
from .common import require_workbench

PAGE_SIZE = 50


@login_required
@require_safe
def queue(request):
    require_workbench(request)
    years = selectors.queue_years()
    data = request.GET.copy() if request.GET else {"status": AnnualReturn.Status.SUBMITTED}
    form = QueueFilterForm(data)
    cleaned = form.cleaned_data if form.is_valid() else {}
    year = cleaned.get("year") or (years[0] if years else None)
    filters = selectors.QueueFilters(
        year=year,
        status=cleaned.get("status", ""),
        kind=cleaned.get("kind", ""),
        level=cleaned.get("level", ""),
        area=cleaned.get("area", ""),
        is_overdue=bool(cleaned.get("overdue")),
    )
    page = Paginator(selectors.review_queue(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = selectors.queue_counts(request.user, year)
    status_tabs = [
        (value, label, counts.get(value, 0)) for value, label in AnnualReturn.Status.choices if value != "not_started"
    ]
    return render(
        request,
        "reviews/queue.html",
        {
            "form": form,
            "page": page,
            "filters": filters,
            "years": years,
            "year": year,
            "status_tabs": status_tabs,
            "overdue_count": counts.get("overdue", 0),
            "areas": selectors.area_choices(year),
            "kinds": Department.Kind.choices,
            "levels": Department.Level.choices,
        },
    )

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from audit.services import audit_read
from indicators.models import Indicator

from ..permissions import (
    annual_return_get_for_user,
    can_edit_return,
    can_grant_extension,
    can_submit_return,
    is_own_department_staff,
)
from ..selectors.deadlines import deadline_state
from ..selectors.entry_page import entry_page
from ..selectors.returns import progress_by_return, returns_list_for_user, transitions_of, value_changes_of
from ..services.workflow import allowed_actions

RETURNS_PER_PAGE = 50
CHANGES_PER_PAGE = 100


@login_required
@require_safe
def return_list(request):
    page = Paginator(returns_list_for_user(request.user), RETURNS_PER_PAGE).get_page(request.GET.get("page"))
    progress = progress_by_return(page.object_list)
    rows = [(annual_return, progress.get(annual_return.pk)) for annual_return in page]
    return render(request, "assessments/return_list.html", {"rows": rows, "page": page})


@login_required
@require_safe
def return_detail(request, pk: int):
    annual_return = annual_return_get_for_user(request.user, pk)
    audit_read(request, annual_return, annual_return.department_id)
    return render(
        request,
        "assessments/return_detail.html",
        {
            "page": entry_page(annual_return, can_edit=False),
            "annual_return": annual_return,
            "transitions": transitions_of(annual_return),
            "can_edit": can_edit_return(request.user, annual_return),
            "can_submit": can_submit_return(request.user, annual_return),
            "can_grant_extension": can_grant_extension(request.user, annual_return)
            and annual_return.first_submitted_at is None,
            "actions": allowed_actions(annual_return, request.user),
            "deadline": deadline_state(annual_return),
            "may_dispute": is_own_department_staff(request.user, annual_return),
        },
    )


@login_required
@require_safe
def return_history(request, pk: int):
    """修改记录: every change of the return, or of one indicator (?indicator=<id>)."""
    annual_return = annual_return_get_for_user(request.user, pk)
    audit_read(request, annual_return, annual_return.department_id)
    indicator = None
    if request.GET.get("indicator", "").isdigit():
        indicator = get_object_or_404(Indicator, pk=int(request.GET["indicator"]), framework=annual_return.framework)
    return render(
        request,
        "assessments/return_history.html",
        {
            "annual_return": annual_return,
            "indicator": indicator,
            "changes": Paginator(
                value_changes_of(annual_return, indicator_id=indicator.pk if indicator else None), CHANGES_PER_PAGE
            ).get_page(request.GET.get("page")),
            "transitions": transitions_of(annual_return) if indicator is None else [],
        },
    )

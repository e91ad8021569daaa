"""The data-entry page and its autosave endpoints (one indicator or one narrative section per
request). htmx requests get fragments; plain form posts (no JavaScript) get a redirect back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from indicators.models import Indicator
from indicators.selectors import framework_tree

from ..models import AnnualReturn, NarrativeSection
from ..permissions import annual_return_get_for_user, can_edit_return, is_own_department_staff
from ..selectors.entry_field import entry_field
from ..selectors.entry_page import entry_page
from ..services.entry import ValueInput, indicator_values_save, narrative_save
from ..services.errors import IndicatorNotInReturn, ReturnNotEditable
from ..values import display, display_raw, input_keys


def _editable_return(request, pk: int) -> AnnualReturn:
    """404 outside the user's scope; 403 for those who may see it but not fill it (reviewers,
    congress staff, or the department itself once submitted)."""
    annual_return = annual_return_get_for_user(request.user, pk)
    if not can_edit_return(request.user, annual_return):
        raise PermissionDenied
    return annual_return


@login_required
@require_safe
def return_edit(request, pk: int):
    annual_return = annual_return_get_for_user(request.user, pk)
    if not is_own_department_staff(request.user, annual_return):
        raise PermissionDenied
    if not annual_return.is_open_for_department:
        messages.info(request, f"这份填报{annual_return.get_status_display()}，现在只能查看。")
        return redirect("assessments:return_detail", pk=annual_return.pk)
    page = entry_page(annual_return, can_edit=True)
    return render(request, "assessments/return_edit.html", {"page": page, "annual_return": annual_return})


def _indicator_of(annual_return: AnnualReturn, indicator_pk: int) -> Indicator:
    """The indicator from the return's (cached) framework tree: no query for what every autosave
    needs. Whether the return has a row for it is the save's to check, under its lock."""
    tree = framework_tree(annual_return.framework)
    indicator = next((item for item in tree.indicators if item.pk == indicator_pk), None)
    if indicator is None or not indicator.applies_to(annual_return.department.kind):
        raise Http404
    return indicator


def _value_input(request, indicator, version: int) -> ValueInput:
    post = request.POST
    raw = {
        key: post.getlist(key) if key == "choices" else post.get(key, "") for key in input_keys(indicator.value_type)
    }
    explanation = post.get("explanation") if "explanation" in post else None
    return ValueInput(indicator_id=indicator.pk, raw=raw, expected_version=version, explanation=explanation)


def _version(request) -> int:
    """The version the page was loaded with; "保留我的值" after a conflict sends the current one."""
    text = request.POST.get("keep_mine") or request.POST.get("version", "")
    if not text.isdigit():
        raise Http404
    return int(text)


@login_required
@require_http_methods(["GET", "POST"])
def value_save(request, pk: int, indicator_pk: int):
    annual_return = _editable_return(request, pk)
    indicator = _indicator_of(annual_return, indicator_pk)
    if request.method == "GET":  # "使用对方的值": the field as stored now
        field = entry_field(annual_return, indicator, can_edit=True, with_provided=True).field
        return render(
            request, "assessments/partials/value_field.html", {"field": field, "annual_return": annual_return}
        )
    item = _value_input(request, indicator, _version(request))
    try:
        outcome = indicator_values_save(annual_return=annual_return, inputs=[item], user=request.user)[0]
    except IndicatorNotInReturn as missing:
        raise Http404 from missing
    except ReturnNotEditable as refused:
        raise PermissionDenied(refused.message) from refused
    if not request.htmx:
        if outcome.refused:
            messages.error(request, f"“{indicator.name}”未保存：{outcome.refused}。")
        elif outcome.is_conflict:
            theirs = display(indicator, outcome.row) or display_raw(indicator.value_type, outcome.row.raw_input)
            messages.warning(
                request,
                f"“{indicator.name}”未保存：{outcome.row.updated_by or '他人'}已将其改为“{theirs}”，"
                f"您填写的是“{display_raw(indicator.value_type, outcome.submitted.raw)}”。请核对后重新填写。",
            )
        else:
            messages.success(request, f"“{indicator.name}”已保存。")
        return redirect(reverse("assessments:return_edit", args=[annual_return.pk]) + f"#ind-{indicator.pk}")
    # The field's problems and the progress, read for this one field (not the whole page).
    fresh = entry_field(annual_return, indicator, can_edit=True)
    context = {
        "field": fresh.field,
        "area": fresh.area,
        "page": fresh.overall,
        "outcome": outcome,
        "annual_return": annual_return,
        "theirs": display(indicator, outcome.row) or display_raw(indicator.value_type, outcome.row.raw_input),
        "mine": display_raw(indicator.value_type, outcome.submitted.raw),
    }
    status = 409 if outcome.is_conflict else (422 if outcome.refused else 200)
    return render(request, "assessments/partials/value_saved.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def narrative_save_view(request, pk: int, kind: str):
    annual_return = _editable_return(request, pk)
    if kind not in NarrativeSection.Kind.values:
        raise Http404
    if request.method == "GET":
        page = entry_page(annual_return, can_edit=True)
        narrative = next(item for item in page.narratives if item.section.kind == kind)
        return render(
            request,
            "assessments/partials/narrative_field.html",
            {"narrative": narrative, "annual_return": annual_return},
        )
    try:
        outcome = narrative_save(
            annual_return=annual_return,
            kind=kind,
            text=request.POST.get("text", ""),
            expected_version=_version(request),
            user=request.user,
        )
    except ReturnNotEditable as refused:
        raise PermissionDenied(refused.message) from refused
    if not request.htmx:
        if outcome.is_conflict:
            messages.warning(
                request, f"“{outcome.section.get_kind_display()}”未保存：他人已修改了这一部分，请核对后重新填写。"
            )
        elif outcome.error:
            messages.error(request, f"“{outcome.section.get_kind_display()}”未保存：{outcome.error}")
        else:
            messages.success(request, f"“{outcome.section.get_kind_display()}”已保存。")
        return redirect(reverse("assessments:return_edit", args=[annual_return.pk]) + f"#narrative-{kind}")
    status = 409 if outcome.is_conflict else (422 if outcome.error else 200)
    return render(
        request,
        "assessments/partials/narrative_saved.html",
        {"outcome": outcome, "annual_return": annual_return, "section": outcome.section},
        status=status,
    )

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from files.responses import xlsx_response

from .comparison import framework_compare
from .exporting import framework_filename, framework_to_xlsx
from .forms import CompareForm, DepartmentKindFilterForm
from .models import IndicatorFramework
from .permissions import can_manage_frameworks, framework_get_for_user, frameworks_visible_to
from .selectors import framework_tree, frameworks_for_list, previous_framework
from .targets import target_warnings


@login_required
@require_safe
def framework_list(request: HttpRequest) -> HttpResponse:
    frameworks = frameworks_for_list().filter(pk__in=frameworks_visible_to(request.user))
    return render(
        request,
        "indicators/framework_list.html",
        {"frameworks": frameworks, "can_manage": can_manage_frameworks(request.user)},
    )


@login_required
@require_safe
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = framework_get_for_user(request.user, pk)
    form = DepartmentKindFilterForm(request.GET or None)
    kind = form.cleaned_data["kind"] if form.is_valid() else ""
    tree = framework_tree(framework, department_kind=kind)
    previous = previous_framework(framework)
    visible_previous = previous if previous and frameworks_visible_to(request.user).filter(pk=previous.pk) else None
    return render(
        request,
        "indicators/framework_detail.html",
        {
            "framework": framework,
            "tree": tree,
            "form": form,
            "previous": visible_previous,
            "can_manage": can_manage_frameworks(request.user),
            "target_warnings": target_warnings(framework)
            if framework.is_draft and can_manage_frameworks(request.user)
            else [],
        },
    )


@login_required
@require_safe
def framework_compare_view(request: HttpRequest) -> HttpResponse:
    frameworks = frameworks_visible_to(request.user).order_by("-year", "-version")
    form = CompareForm(request.GET or _latest_pair(frameworks), frameworks=frameworks)
    comparison = framework_compare(**form.cleaned_data) if form.is_valid() else None
    return render(request, "indicators/framework_compare.html", {"form": form, "comparison": comparison})


@login_required
@require_safe
def framework_export(request: HttpRequest, pk: int) -> FileResponse:
    framework = framework_get_for_user(request.user, pk)
    return xlsx_response(framework_to_xlsx(framework), framework_filename(framework))


def _latest_pair(frameworks: QuerySet[IndicatorFramework]) -> dict[str, int] | None:
    """Without a choice, compare the newest edition with last year's, when both are visible."""
    newest = frameworks.first()
    previous = previous_framework(newest) if newest else None
    if newest is None or previous is None or not frameworks.filter(pk=previous.pk).exists():
        return None
    return {"old": previous.pk, "new": newest.pk}

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from ..permissions import annual_return_get_for_user, can_submit_return, is_own_department_staff
from ..services.errors import ReturnActionError, SubmissionBlocked
from ..services.submission import annual_return_submit, submission_preview


@login_required
@require_http_methods(["GET", "POST"])
def return_submit(request, pk: int):
    """GET: what is still wrong, and the 自评分, before confirming. POST: submit."""
    annual_return = annual_return_get_for_user(request.user, pk)
    if not is_own_department_staff(request.user, annual_return):
        raise PermissionDenied
    if not can_submit_return(request.user, annual_return):
        messages.info(request, f"这份填报{annual_return.get_status_display()}，不能提交。")
        return redirect("assessments:return_detail", pk=annual_return.pk)
    error = ""
    if request.method == "POST":
        try:
            annual_return_submit(
                annual_return=annual_return,
                user=request.user,
                expected_version=_int(request.POST.get("version")),
                fingerprint=request.POST.get("fingerprint") or None,
            )
        except SubmissionBlocked as blocked:
            error = blocked.message
        except ReturnActionError as refused:
            error = refused.message
        else:
            messages.success(request, "已提交。审核期间不能修改；如被退回，可按审核意见修改后重新提交。")
            return redirect("assessments:return_detail", pk=annual_return.pk)
    preview = submission_preview(annual_return)
    return render(
        request,
        "assessments/return_submit.html",
        {"annual_return": annual_return, "preview": preview, "error": error},
        status=409 if error else 200,
    )


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None

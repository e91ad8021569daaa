from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from indicators.presenting import date_text

from ..forms import ExtensionForm
from ..permissions import annual_return_get_for_user, can_grant_extension
from ..services.deadlines import annual_return_grant_extension
from ..services.errors import ReturnActionError


@login_required
@require_http_methods(["GET", "POST"])
def extension_grant(request, pk: int):
    """批准延期: the justice bureau lets one department submit after the deadline, with a reason."""
    annual_return = annual_return_get_for_user(request.user, pk)
    if not can_grant_extension(request.user, annual_return):
        raise PermissionDenied
    form = ExtensionForm(request.POST or None, initial={"until": annual_return.extended_until})
    if request.method == "POST" and form.is_valid():
        try:
            annual_return_grant_extension(annual_return=annual_return, user=request.user, **form.cleaned_data)
        except ReturnActionError as refused:
            form.add_error(None, forms.ValidationError(refused.message))
        else:
            messages.success(
                request, f"已批准{annual_return.department}延期至 {date_text(form.cleaned_data['until'])}。"
            )
            return redirect("assessments:return_detail", pk=annual_return.pk)
    return render(request, "assessments/extension_form.html", {"annual_return": annual_return, "form": form})

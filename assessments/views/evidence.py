"""佐证材料 pages: the evidence panel next to each indicator (htmx), the return's evidence list, upload,
download through this authorising view only, and removal.

Seeing follows the return (`annual_return_get_for_user`: 404 for others); changing follows
`services.evidence` (403 with the reason for users who may see but not change).
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from audit.services import audit_read
from files.kinds import ACCEPT_ATTRIBUTE, ALLOWED_TEXT
from files.responses import stored_file_response
from indicators.models import Indicator
from indicators.selectors import framework_tree

from ..models import Evidence
from ..permissions import (
    annual_return_get_for_user,
    is_own_department_staff,
    readable_evidence_for_user,
    readable_returns_for_user,
)
from ..selectors.entry_field import entry_field
from ..selectors.entry_page import Field
from ..services.errors import ReturnNotEditable
from ..services.evidence import (
    MAX_FILE_BYTES,
    EvidenceRefused,
    evidence_delete,
    evidence_of_return,
    evidence_upload,
)

MAX_FILES_PER_UPLOAD = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        files = [file for file in files if file]
        if not files:
            raise forms.ValidationError("请选择要上传的文件。")
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise forms.ValidationError(f"一次最多上传 {MAX_FILES_PER_UPLOAD} 个文件。")
        return files


class EvidenceUploadForm(forms.Form):
    # The field's name is the input's name (templates, tests); the metaclass moves it into base_fields, so
    # the bound form's `files` (the uploaded MultiValueDict) is not shadowed at run time.
    files = MultipleFileField(label="选择文件")  # type: ignore[assignment]
    description = forms.CharField(label="说明（可选）", max_length=200, required=False)


def _indicator_of(annual_return, indicator_pk: int | None) -> Indicator | None:
    if indicator_pk is None:
        return None
    return get_object_or_404(Indicator, pk=indicator_pk, values__annual_return=annual_return)


def _may_change(user, annual_return, indicator: Indicator | None) -> bool:
    """For showing buttons only; the service decides (targeted returns and all)."""
    if not (is_own_department_staff(user, annual_return) and annual_return.is_open_for_department):
        return False
    if indicator is None:
        return True
    reopened = annual_return.values.filter(is_reopened=True)
    return not reopened.exists() or reopened.filter(indicator=indicator).exists()


def _panel_context(request, annual_return, indicator, *, form=None, refused=(), accepted=(), changed=False):
    indicator_id = indicator.pk if indicator else None
    files = readable_evidence_for_user(
        request.user, evidence_of_return(annual_return, indicator_id=indicator_id, whole_return=indicator is None)
    )
    return {
        "annual_return": annual_return,
        "indicator": indicator,
        "files": list(files),
        "form": form or EvidenceUploadForm(),
        "can_change": _may_change(request.user, annual_return, indicator),
        "refused": refused,
        "accepted": accepted,
        "accept": ACCEPT_ATTRIBUTE,
        "allowed_text": ALLOWED_TEXT,
        "max_megabytes": MAX_FILE_BYTES // (1024 * 1024),
        "panel_url": _panel_url(annual_return, indicator),
        "panel_id": f"evidence-{indicator.pk if indicator else 'return'}",
        # After a change, the entry page's badge, counts and 须上传佐证材料 reminder of the field.
        "field": _field_now(annual_return, indicator) if changed and indicator else None,
    }


def _field_now(annual_return, indicator: Indicator) -> Field | None:
    """The entry page's field of `indicator` as it is now, read for that one field as an autosave
    reads it (selectors.entry_field), not by building the whole page; None for an indicator the
    page does not show (not applicable to the unit)."""
    node = next((item for item in framework_tree(annual_return.framework).indicators if item.pk == indicator.pk), None)
    if node is None or not node.applies_to(annual_return.department.kind):
        return None
    return entry_field(annual_return, node, can_edit=True, with_provided=True).field


def _panel_url(annual_return, indicator) -> str:
    if indicator is None:
        return reverse("assessments:evidence_panel", kwargs={"pk": annual_return.pk})
    return reverse(
        "assessments:evidence_indicator_panel", kwargs={"pk": annual_return.pk, "indicator_pk": indicator.pk}
    )


@login_required
@require_safe
def evidence_panel(request, pk: int, indicator_pk: int | None = None):
    """The files of one indicator (or of the whole return) with the upload form: an htmx fragment."""
    annual_return = annual_return_get_for_user(request.user, pk)
    indicator = _indicator_of(annual_return, indicator_pk)
    return render(
        request, "assessments/partials/evidence_panel.html", _panel_context(request, annual_return, indicator)
    )


@login_required
@require_safe
def evidence_list(request, pk: int):
    """Every file of the return, grouped: the whole return's, then indicator by indicator."""
    annual_return = annual_return_get_for_user(request.user, pk)
    audit_read(request, annual_return, annual_return.department_id)
    files = list(
        readable_evidence_for_user(request.user, evidence_of_return(annual_return))
        .select_related("indicator")
        .order_by("indicator__order", "uploaded_at")
    )
    context = {
        "annual_return": annual_return,
        "return_files": [file for file in files if file.indicator_id is None],
        "indicator_files": [file for file in files if file.indicator_id is not None],
        "panel": _panel_context(request, annual_return, None),
    }
    return render(request, "assessments/evidence_list.html", context)


@login_required
@require_POST
def evidence_upload_view(request, pk: int, indicator_pk: int | None = None):
    annual_return = annual_return_get_for_user(request.user, pk)
    indicator = _indicator_of(annual_return, indicator_pk)
    if not _may_change(request.user, annual_return, indicator):
        return HttpResponseForbidden("您不能修改这份填报的佐证材料。")
    form = EvidenceUploadForm(request.POST, request.FILES)
    accepted, refused = [], []
    if form.is_valid():
        for uploaded in form.cleaned_data["files"]:
            try:
                evidence = evidence_upload(
                    annual_return=annual_return,
                    indicator=indicator,
                    uploaded_file=uploaded,
                    description=form.cleaned_data["description"],
                    user=request.user,
                )
            except (EvidenceRefused, ReturnNotEditable) as error:
                refused.append(error.message)
            else:
                accepted.append(evidence.original_name)
        form = EvidenceUploadForm() if not refused else form
    context = _panel_context(
        request, annual_return, indicator, form=form, refused=refused, accepted=accepted, changed=bool(accepted)
    )
    if request.htmx:
        # 422 carries the panel with the reasons next to the file input (static/js/htmx-swap.js swaps it).
        status = 422 if refused or form.errors else 200
        return render(request, "assessments/partials/evidence_panel.html", context, status=status)
    for name in accepted:
        messages.success(request, f"已上传“{name}”。")
    for message in [*refused, *[str(error) for errors in form.errors.values() for error in errors]]:
        messages.error(request, message)
    return redirect("assessments:evidence_list", pk=annual_return.pk)


def _visible_evidence(request, pk: int) -> Evidence:
    return get_object_or_404(
        readable_evidence_for_user(request.user, Evidence.objects.select_related("annual_return", "indicator")),
        pk=pk,
        deleted_at__isnull=True,
        annual_return__in=readable_returns_for_user(request.user),
    )


@login_required
@require_safe
def evidence_download(request, pk: int):
    """The file, to users who may see its return, under its original name; inline only for PDF and
    images when asked (?inline=1), never HTML (files.responses)."""
    evidence = _visible_evidence(request, pk)
    audit_read(request, evidence, evidence.annual_return.department_id)
    return stored_file_response(
        evidence.file,
        filename=evidence.original_name,
        content_type=evidence.content_type,
        inline=request.GET.get("inline") == "1",
    )


@login_required
@require_POST
def evidence_delete_view(request, pk: int):
    evidence = _visible_evidence(request, pk)
    annual_return = annual_return_get_for_user(request.user, evidence.annual_return_id)
    indicator = evidence.indicator
    if not _may_change(request.user, annual_return, indicator):
        return HttpResponseForbidden("您不能修改这份填报的佐证材料。")
    refused = []
    try:
        evidence_delete(evidence=evidence, user=request.user)
    except (EvidenceRefused, ReturnNotEditable) as error:
        refused.append(error.message)
    if request.htmx:
        context = _panel_context(request, annual_return, indicator, refused=refused, changed=not refused)
        return render(request, "assessments/partials/evidence_panel.html", context, status=422 if refused else 200)
    if refused:
        messages.error(request, refused[0])
    else:
        messages.success(request, f"已删除“{evidence.original_name}”。")
    return redirect("assessments:evidence_list", pk=annual_return.pk)

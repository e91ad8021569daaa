"""The signed-in side of publication: the list of final reports to publish, and one publication's
保密审查 page (reword parts of the public edition, confirm, publish, withdraw)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.requests import AuthenticatedHttpRequest
from reports.forms import default_report_year

from . import permissions, selectors, services
from .documents import document_from_json, parts_of, public_document
from .forms import ConfirmReviewForm, PartForm, WithdrawForm, YearForm
from .models import ReportPublication


@login_required
@require_GET
def manage(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    form = YearForm(request.GET or None)
    year = (form.cleaned_data.get("year") if form.is_valid() else None) or default_report_year()
    rows = selectors.publication_rows(user=request.user, year=year)
    return render(request, "publication/manage.html", {"form": form, "year": year, "rows": rows})


@login_required
@require_POST
def start(request: AuthenticatedHttpRequest, run_id: int) -> HttpResponseBase:
    run = get_object_or_404(permissions.final_runs_for_user(request.user).select_related("department"), pk=run_id)
    try:
        publication = services.publication_start(run=run, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(reverse("publication:manage") + f"?year={run.year}")
    messages.success(request, "已开始保密审查：请逐部分核对公开版，需要时删改，然后确认并发布。")
    return redirect("publication:review", pk=publication.pk)


def _review_page(
    request: AuthenticatedHttpRequest,
    publication: ReportPublication,
    *,
    part_forms: dict[int, PartForm] | None = None,
    confirm_form: ConfirmReviewForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    status: int = 200,
) -> HttpResponseBase:
    redactions = dict(publication.redactions.values_list("key", "text"))
    parts = parts_of(document_from_json(publication.source_document), redactions)
    part_forms = part_forms or {}
    forms = [
        (part, part_forms.get(part.number) or PartForm(initial={"version": publication.version, "text": part.public}))
        for part in parts
    ]
    return render(
        request,
        "publication/review.html",
        {
            "publication": publication,
            "parts": forms,
            "redacted_count": sum(1 for part in parts if part.is_redacted),
            "can_publish": permissions.can_publish(request.user, publication.run),
            "confirm_form": confirm_form or ConfirmReviewForm(initial={"version": publication.version}),
            "withdraw_form": withdraw_form or WithdrawForm(),
            "history": selectors.publication_history(publication),
        },
        status=status,
    )


@login_required
@require_GET
def review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    return _review_page(request, permissions.publication_get_for_user(request.user, pk))


def _require_can_publish(request: AuthenticatedHttpRequest, publication: ReportPublication) -> None:
    if not permissions.can_publish(request.user, publication.run):
        raise PermissionDenied


@login_required
@require_POST
def redact(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponseBase:
    publication = permissions.publication_get_for_user(request.user, pk)
    _require_can_publish(request, publication)
    form = PartForm(request.POST)
    if form.is_valid():
        try:
            services.publication_redact(
                publication=publication,
                number=number,
                text=form.cleaned_data["text"],
                version=form.cleaned_data["version"],
                user=request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("text", message)
        else:
            messages.success(request, "已保存公开版的这一部分（定稿版本不变）。修改后须重新确认保密审查。")
            return redirect(reverse("publication:review", args=[publication.pk]) + f"#part-{number}")
    return _review_page(request, publication, part_forms={number: form}, status=422)


@login_required
@require_POST
def confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    publication = permissions.publication_get_for_user(request.user, pk)
    _require_can_publish(request, publication)
    form = ConfirmReviewForm(request.POST)
    if form.is_valid():
        try:
            services.publication_confirm_review(
                publication=publication, version=form.cleaned_data["version"], user=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "保密审查已确认，可以发布。")
            return redirect(reverse("publication:review", args=[publication.pk]) + "#steps")
    return _review_page(request, publication, confirm_form=form, status=422)


@login_required
@require_POST
def publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    publication = permissions.publication_get_for_user(request.user, pk)
    try:
        services.publication_publish(publication=publication, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "已发布：公众无需登录即可在公开网站查阅。")
    return redirect(reverse("publication:review", args=[publication.pk]) + "#steps")


@login_required
@require_POST
def withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    publication = permissions.publication_get_for_user(request.user, pk)
    _require_can_publish(request, publication)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.publication_withdraw(
                publication=publication, reason=form.cleaned_data["reason"], user=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error("reason", message)
        else:
            messages.success(request, "已撤回，公开网站不再显示该报告。")
            return redirect("publication:review", pk=publication.pk)
    return _review_page(request, publication, withdraw_form=form, status=422)


@login_required
@require_GET
def preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The public edition as the public page will show it, before it is published (signed-in only)."""
    publication = permissions.publication_get_for_user(request.user, pk)
    redactions = {r.key: r.text for r in publication.redactions.all() if r.is_edited}
    document = public_document(document_from_json(publication.source_document), redactions)
    response: HttpResponse = render(
        request,
        "publication/public_report.html",
        {"publication": publication, "document": document, "is_preview": True},
    )
    return response

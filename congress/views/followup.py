from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from ..forms import AssignmentAnswerForm, AssignmentCreateForm, OpinionForm, ReviewForm
from ..models import Assignment, DeliberationOpinion
from ..permissions import (
    assignment_get_for_user,
    assignments_for_user,
    can_answer_assignment,
    can_answer_assignments,
    can_manage_congress,
)
from ..selectors.followup import (
    followup_totals,
    opinion_status,
    opinions_with_assignments,
    overdue_assignments,
    status_label,
)
from ..services import followup as services
from .common import apply_errors, congress_year_for, flash_errors, manageable, require_read


@login_required
@require_safe
def opinion_list(request, year: int):
    congress_year = congress_year_for(request, year)
    opinions = list(
        opinions_with_assignments(congress_year=congress_year, assignments=assignments_for_user(request.user))
    )
    kind = request.GET.get("kind", "")
    statuses = [(o, opinion_status(list(o.assignments.all()))) for o in opinions if not kind or o.kind == kind]
    rows = [(o, status, status_label(status)) for o, status in statuses]
    context = {
        "congress_year": congress_year,
        "rows": rows,
        "kind": kind,
        "kinds": DeliberationOpinion.Kind.choices,
        "totals": followup_totals(opinions=opinions, today=timezone.localdate()),
        "today": timezone.localdate(),
        "can_manage": can_manage_congress(request.user),
    }
    return render(request, "congress/opinion_list.html", context)


@login_required
def opinion_create(request, year: int):
    congress_year = congress_year_for(request, year, manage=True)
    form = OpinionForm(request.POST or None)
    if form.is_valid():
        try:
            opinion = services.opinion_create(congress_year=congress_year, **form.cleaned_data, user=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("congress:opinion_detail", pk=opinion.pk)
    context = {"form": form, "title": "登记审议意见或代表建议", "congress_year": congress_year}
    return render(request, "congress/form_page.html", context)


@login_required
def opinion_update(request, pk: int):
    opinion = manageable(request, DeliberationOpinion.objects.select_related("congress_year"), pk=pk)
    form = OpinionForm(request.POST or None, instance=opinion)
    if form.is_valid():
        try:
            services.opinion_update(opinion=opinion, **form.cleaned_data, user=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("congress:opinion_detail", pk=opinion.pk)
    context = {"form": form, "title": f"修改{opinion}", "congress_year": opinion.congress_year}
    return render(request, "congress/form_page.html", context)


@login_required
@require_POST
def opinion_delete(request, pk: int):
    opinion = manageable(request, DeliberationOpinion.objects.select_related("congress_year"), pk=pk)
    try:
        services.opinion_delete(opinion=opinion, user=request.user)
    except ValidationError as error:
        flash_errors(request, error)
        return redirect("congress:opinion_detail", pk=pk)
    messages.success(request, f"已删除{opinion.get_kind_display()}{opinion.number}。")
    return redirect("congress:opinion_list", year=opinion.congress_year.year)


@login_required
@require_safe
def opinion_detail(request, pk: int):
    require_read(request.user)
    visible = assignments_for_user(request.user)
    opinion = get_object_or_404(DeliberationOpinion.objects.select_related("congress_year", "reviewed_by"), pk=pk)
    assignments = visible.filter(opinion=opinion).select_related("department", "answered_by")
    status = opinion_status(list(opinion.assignments.all()))
    context = {
        "opinion": opinion,
        "congress_year": opinion.congress_year,
        "assignments": assignments.order_by("department__sort_order", "id"),
        "status": status,
        "status_label": status_label(status),
        "assign_form": AssignmentCreateForm(),
        "review_form": ReviewForm(initial={"note": opinion.review_note}),
        "can_manage": can_manage_congress(request.user),
    }
    return render(request, "congress/opinion_detail.html", context)


@login_required
def assignment_create(request, pk: int):
    opinion = manageable(request, DeliberationOpinion.objects.select_related("congress_year"), pk=pk)
    form = AssignmentCreateForm(request.POST or None)
    if form.is_valid():
        try:
            services.assignments_create(opinion=opinion, **form.cleaned_data, user=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "已交办。")
            return redirect("congress:opinion_detail", pk=opinion.pk)
    context = {"form": form, "title": f"交办：{opinion}", "congress_year": opinion.congress_year}
    return render(request, "congress/form_page.html", context)


@login_required
@require_POST
def assignment_delete(request, pk: int):
    assignment = manageable(request, Assignment, pk=pk)
    try:
        services.assignment_delete(assignment=assignment, user=request.user)
        messages.success(request, "已撤销交办。")
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("congress:opinion_detail", pk=assignment.opinion_id)


@login_required
@require_POST
def opinion_review(request, pk: int):
    opinion = manageable(request, DeliberationOpinion, pk=pk)
    form = ReviewForm(request.POST)
    try:
        if request.POST.get("undo"):
            services.opinion_unmark_reviewed(opinion=opinion, user=request.user)
            messages.success(request, "已取消回头看标记。")
        elif form.is_valid():
            services.opinion_mark_reviewed(opinion=opinion, note=form.cleaned_data["note"], user=request.user)
            messages.success(request, "已标记回头看。")
    except ValidationError as error:
        flash_errors(request, error)
    return redirect("congress:opinion_detail", pk=opinion.pk)


@login_required
@require_safe
def overdue_list(request):
    require_read(request.user)
    today = timezone.localdate()
    assignments = list(overdue_assignments(assignments=assignments_for_user(request.user), today=today))
    rows = [(a, (today - a.deadline).days) for a in assignments]
    return render(request, "congress/overdue_list.html", {"assignments": assignments, "rows": rows, "today": today})


@login_required
@require_safe
def my_assignments(request):
    if not can_answer_assignments(request.user):
        raise PermissionDenied
    assignments = (
        assignments_for_user(request.user)
        .select_related("opinion__congress_year")
        .order_by("-opinion__congress_year__year", "status", "deadline", "id")
    )
    return render(request, "congress/my_assignments.html", {"assignments": assignments, "today": timezone.localdate()})


@login_required
def assignment_detail(request, pk: int):
    assignment = assignment_get_for_user(request.user, pk)
    can_answer = can_answer_assignment(request.user, assignment)
    if request.method == "POST" and not can_answer:
        raise PermissionDenied
    initial = {"status": assignment.status, "answer": assignment.answer, "version": assignment.version}
    form = AssignmentAnswerForm(request.POST or None, initial=initial) if can_answer else None
    if form is not None and form.is_valid():
        try:
            services.assignment_answer(assignment=assignment, **form.cleaned_data, user=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "办理情况已提交。")
            return redirect("congress:assignment_detail", pk=assignment.pk)
    context = {"assignment": assignment, "opinion": assignment.opinion, "form": form, "today": timezone.localdate()}
    return render(request, "congress/assignment_detail.html", context)

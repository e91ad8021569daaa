from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.shortcuts import render
from django.urls import reverse_lazy
from django.views.decorators.http import require_safe

from audit.services import audit_record

from .forms import DepartmentFilterForm
from .permissions import can_list_departments, department_get_for_user, departments_for_user
from .selectors import department_tree_rows


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own view; the new password and its audit event are written in one transaction."""

    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            user = form.user
            # Never the hash, only that it changed.
            audit_record(
                action="change",
                user=user,
                obj=user,
                department=user.department_id,
                after={"password": "已修改"},
                request=self.request,
            )
        return response


@login_required
@require_safe
def department_list(request):
    if not can_list_departments(request.user):
        raise PermissionDenied
    form = DepartmentFilterForm(request.GET or None)
    departments = departments_for_user(request.user)
    is_filtered = False
    if form.is_valid():
        data = form.cleaned_data
        if not data["include_inactive"]:
            departments = departments.filter(is_active=True)
        if data["q"]:
            departments = departments.filter(Q(name__icontains=data["q"]) | Q(code__icontains=data["q"]))
        if data["kind"]:
            departments = departments.filter(kind=data["kind"])
        if data["level"]:
            departments = departments.filter(level=data["level"])
        is_filtered = any(data[k] for k in ("q", "kind", "level"))
    else:
        departments = departments.filter(is_active=True)
    rows = department_tree_rows(departments=departments)
    return render(
        request,
        "accounts/department_list.html",
        {"form": form, "rows": rows, "is_filtered": is_filtered},
    )


@login_required
@require_safe
def department_detail(request, pk: int):
    department = department_get_for_user(request.user, pk)
    visible = departments_for_user(request.user)
    return render(
        request,
        "accounts/department_detail.html",
        {
            "department": department,
            "children": visible.filter(parent=department),
            "users": department.users.filter(is_active=True).order_by("role", "username"),
        },
    )

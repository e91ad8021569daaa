from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.permissions import can_list_departments, departments_for_user
from accounts.selectors import department_counts_by_kind

from .department_home import department_home
from .work import work_for


@login_required
@require_safe
def home(request):
    departments = departments_for_user(request.user)
    return render(
        request,
        "workbench/home.html",
        {
            "department": request.user.department,
            "counts_by_kind": department_counts_by_kind(departments=departments),
            "can_list_departments": can_list_departments(request.user),
            "return_home": department_home(request.user),
            "work": work_for(request.user),
        },
    )

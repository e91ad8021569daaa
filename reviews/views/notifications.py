"""The inbox behind the bell."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from ..services.notifications import notification_mark_read, notifications_for


@login_required
@require_safe
def inbox(request):
    page = Paginator(notifications_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "reviews/notifications.html", {"page": page})


@login_required
@require_POST
def mark_read(request):
    pk = request.POST.get("pk")
    notification_mark_read(user=request.user, pk=int(pk) if pk and pk.isdigit() else None)
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("reviews:notifications")

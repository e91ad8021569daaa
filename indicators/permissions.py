"""Who may see which framework. Published and archived editions are readable by every signed-in
user (departments need to know what they are assessed on); drafts only by administrators."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User

from .models import IndicatorFramework


def frameworks_visible_to(user: User | AnonymousUser) -> QuerySet[IndicatorFramework]:
    if not (user.is_authenticated and user.is_active):
        return IndicatorFramework.objects.none()
    if user.is_system_admin:
        return IndicatorFramework.objects.all()
    return IndicatorFramework.objects.exclude(status=IndicatorFramework.Status.DRAFT)


def framework_get_for_user(user: User | AnonymousUser, pk: int) -> IndicatorFramework:
    return get_object_or_404(frameworks_visible_to(user), pk=pk)


def can_manage_frameworks(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.is_active and user.is_system_admin

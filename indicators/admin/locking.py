"""Drafts are editable; published and archived frameworks are read-only everywhere in the admin."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from ..models import IndicatorFramework
from ..services import framework_ensure_editable

DRAFTS = {"status": IndicatorFramework.Status.DRAFT}


class FrameworkLockMixin:
    """Read-only unless the object's framework is a draft."""

    def framework_of(self, obj) -> IndicatorFramework | None:
        return obj

    def _is_locked(self, obj) -> bool:
        framework = self.framework_of(obj) if obj is not None else None
        return framework is not None and not framework.is_editable

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._is_locked(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._is_locked(obj)


class ChildInline(FrameworkLockMixin, admin.TabularInline):
    """Inlines receive the parent object, so the lock follows the parent's framework."""

    extra = 0
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and not self._is_locked(obj)


class DraftParentForm(forms.ModelForm):
    """New rows may only be attached to a draft framework."""

    def framework(self):
        raise NotImplementedError

    def clean(self):
        data = super().clean()
        framework = self.framework()
        if framework is not None:
            try:
                framework_ensure_editable(framework)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return data

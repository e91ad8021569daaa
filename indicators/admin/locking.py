"""Drafts are editable; published and archived frameworks are read-only everywhere in the admin."""

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest

from ..models import IndicatorFramework
from ..services import framework_ensure_editable

DRAFTS = {"status": IndicatorFramework.Status.DRAFT}


if TYPE_CHECKING:  # the mixin goes before a ModelAdmin or an inline, both BaseModelAdmins
    _AdminBase = BaseModelAdmin[Any]
else:
    _AdminBase = object


class FrameworkLockMixin(_AdminBase):
    """Read-only unless the object's framework is a draft."""

    def framework_of(self, obj: Any) -> IndicatorFramework | None:
        """The framework of `obj` (a row of the admin's model, or the inline's parent)."""
        framework: IndicatorFramework | None = obj
        return framework

    def _is_locked(self, obj: Model | None) -> bool:
        framework = self.framework_of(obj) if obj is not None else None
        return framework is not None and not framework.is_editable

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not self._is_locked(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not self._is_locked(obj)


class ChildInline(FrameworkLockMixin, admin.TabularInline[Any, Any]):
    """Inlines receive the parent object, so the lock follows the parent's framework."""

    extra = 0
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_add_permission(request, obj) and not self._is_locked(obj)


class DraftParentForm(forms.ModelForm[Any]):
    """New rows may only be attached to a draft framework."""

    def framework(self) -> IndicatorFramework | None:
        raise NotImplementedError

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        framework = self.framework()
        if framework is not None:
            try:
                framework_ensure_editable(framework)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
        return data

"""Small helpers shared by the congress views: role checks and scoped lookups."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404

from ..models import CongressYear
from ..permissions import can_manage_congress, can_read_congress


def require_read(user) -> None:
    if not can_read_congress(user):
        raise PermissionDenied


def require_manage(user) -> None:
    if not can_manage_congress(user):
        raise PermissionDenied


def readable(request, model, **lookup):
    """An object of the congress module for a reader: 403 for roles that may not read, else 404 if absent."""
    require_read(request.user)
    return get_object_or_404(model, **lookup)


def manageable(request, model, **lookup):
    require_manage(request.user)
    return get_object_or_404(model, **lookup)


def congress_year_for(request, year: int, *, manage: bool = False) -> CongressYear:
    return (manageable if manage else readable)(request, CongressYear, year=year)


def apply_errors(form, error: ValidationError) -> None:
    """Puts a service's ValidationError on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def flash_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)

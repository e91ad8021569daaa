import datetime
from decimal import Decimal

from django import template
from django.utils import timezone

from ..presenting import number_text, percent_text

register = template.Library()


@register.filter
def number(value: Decimal | int | str | None) -> str:
    """Points and targets without trailing zeros: 1.5, 2, 0.25."""
    return number_text(Decimal(value)) if value is not None and value != "" else ""


@register.filter
def percent(value: Decimal | int | str | None) -> str:
    """A computed percentage as reports print it (91.5%, 100%); "—" when there is none to compute."""
    return percent_text(Decimal(value)) if value is not None and value != "" else "—"


@register.filter
def machine_date(value: datetime.date | datetime.datetime | None) -> str:
    """The day as a <time datetime> attribute or an <input type="date"> wants it (2025-03-17), a
    datetime read in local time; what people read goes through the localised DATE_FORMAT instead."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().isoformat()
    return value.isoformat()

from decimal import Decimal

from django import template

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

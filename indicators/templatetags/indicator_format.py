from django import template

from ..presenting import number_text, percent_text

register = template.Library()


@register.filter
def number(value) -> str:
    """Points and targets without trailing zeros: 1.5, 2, 0.25."""
    return number_text(value) if value not in (None, "") else ""


@register.filter
def percent(value) -> str:
    """A computed percentage as reports print it (91.5%, 100%); "—" when there is none to compute."""
    return percent_text(value) if value not in (None, "") else "—"

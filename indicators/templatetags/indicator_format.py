from django import template

from ..phrasing import format_number

register = template.Library()


@register.filter
def number(value) -> str:
    """Points and targets without trailing zeros: 1.5, 2, 0.25."""
    return format_number(value) if value not in (None, "") else ""

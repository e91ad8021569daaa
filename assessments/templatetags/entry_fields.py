"""Parts of the entry page's fields written in Python: a field's problems and its evidence badge.
Each field renders them afresh (indicators.templatetags.indicator_fragments' fresh parts): as
templates included per field they took about a tenth of the page's time (profiled at city scale,
106 fields). The partials that show them elsewhere (problems.html, evidence_badge.html) call these
tags, so there is one way each is written."""

from collections.abc import Iterable

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ..selectors.checking import Problem
from ..selectors.entry_page import Field

register = template.Library()


@register.simple_tag
def problem_list(problems: Iterable[Problem]) -> SafeString:
    """Blocking problems in red, the rest (reminders) in amber; nothing when there are none."""
    if not problems:
        return SafeString("")
    items = format_html_join(
        "",
        '<li class="{}">{}{}</li>',
        (
            (
                "text-danger" if problem.is_blocking else "text-warning-emphasis",
                "提醒：" if problem.is_warning else "",
                problem.message,
            )
            for problem in problems
        ),
    )
    return format_html('<ul class="list-unstyled small mb-0 mt-1">{}</ul>', items)


@register.simple_tag
def evidence_badge(field: Field, oob: bool = False) -> SafeString:
    """须佐证材料 with the count uploaded, amber while there are none; `oob`: swapped out of band."""
    return format_html(
        '<span id="evidence-badge-{}" class="badge {}"{}>须佐证材料 · 已上传 {} 个</span>',
        field.indicator.pk,
        "text-bg-light border" if field.evidence_count else "text-bg-warning",
        SafeString(' hx-swap-oob="true"') if oob else "",
        field.evidence_count,
    )

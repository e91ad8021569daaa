"""Filters that keep words together where a line may not break (GB/T 9704 print layout).

Both return markup built from escaped text: a nowrap span around the characters that must stay on
one line. The browser preview and WeasyPrint honour the same CSS (`.keep { white-space: nowrap }`).
"""

import re

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from ..document import keep_tail

register = template.Library()

# A header label's words: a number with its unit (2025年, 95%), else Chinese in pairs — most table
# header words are two characters (达标|单位, 置信|区间); an odd run keeps three together (较上年).
_NUMBER_WITH_UNIT = re.compile(r"[\d.]+[%年月日个项件]?")


def header_words(label: str) -> list[str]:
    words: list[str] = []
    for piece in re.split(f"({_NUMBER_WITH_UNIT.pattern})", label):
        if not piece:
            continue
        if _NUMBER_WITH_UNIT.fullmatch(piece) or len(piece) <= 3:
            words.append(piece)
            continue
        pairs = [piece[i : i + 2] for i in range(0, len(piece), 2)]
        if len(pairs[-1]) == 1:
            pairs[-2:] = [pairs[-2] + pairs[-1]]
        words.extend(pairs)
    return words


@register.filter
def keep_last_characters(text: str) -> SafeString:
    """The text with its last two characters (and closing punctuation) unbreakable: a heading or
    title never ends on a line holding one character."""
    head, tail = keep_tail(text)
    return format_html('{}<span class="keep">{}</span>', head, tail)


@register.filter
def keep_words(label: str) -> SafeString:
    """A table header label that may break between its words, never inside one."""
    return format_html_join("", '<span class="keep">{}</span>', ((word,) for word in header_words(label)))

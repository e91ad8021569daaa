"""`{% indicator_fragment indicator "name" %}…{% endindicator_fragment %}`: a part of a page that
depends on the indicator alone (its code, name, instructions, unit, target, points), rendered once
and then reused for as long as that indicator instance lives.

`{% indicator_fragment indicator "name" field.state field.is_editable %}`: a part that also varies
with a few values, each of a handful of possibilities (a state, a yes/no); it is rendered once for
each combination met. Never pass free text (a typed value, a comment): each would be kept.

Indicators come from the framework tree, which `indicators.selectors.framework_tree` keeps per
process for a published edition until the edition changes; the rendered text is kept on the
instance, so it goes when the tree does (a draft's tree, loaded afresh for each request, renders
its fragments afresh too). The entry page shows 80–100 indicators: rendering their fixed parts for
every request was most of the page's render time.

`{% fresh %}…{% endfresh %}` inside a fragment: a part rendered anew every time (a typed value, a
link of the return, the CSRF token): the fragment keeps its text around the fresh parts and fills
them in at each render. A whole form can then be one fragment whose fixed text costs nothing but
the fresh parts: each template node costs a few microseconds, and the entry page's 100 fields had
60 of them each. A fresh part must sit in the fragment's own template (not in one it includes) and
outside any loop of the fragment (put the whole loop in it): it is rendered with the context the
fragment has.

A fresh part is rendered by Django's template engine, with two shortcuts that give the same text
for a fraction of the cost (the entry page fills some 1,500 fresh parts): a lone `{{ a.b.c }}`
(with at most a `|default:"…"`) is looked up directly while the lookup is a plain attribute or dict
key whose value is not callable (anything else goes to the engine), and a lone `{% csrf_token %}`
is rendered once per page (the token is the page's, not the field's).

Put nothing outside fresh parts that varies with anything but the indicator and the values named —
not the return, the typed value, the user or the request: it would be shown to everyone as first
rendered. tests/assessments/test_entry_page_rendering.py renders one unit's page after another's
and compares it with the page rendered with nothing kept.
"""

import html
from collections.abc import Callable
from typing import cast

from django import template
from django.template import Context
from django.template.base import (
    FilterExpression,
    Node,
    NodeList,
    Parser,
    Token,
    Variable,
    VariableNode,
    render_value_in_context,
)
from django.template.defaultfilters import default as default_filter
from django.template.defaulttags import CsrfTokenNode, ForNode
from django.utils.safestring import SafeString

register = template.Library()

_CACHE_ATTRIBUTE = "_rendered_fragments"
_RECORDING = "indicator_fragment_recording"
# Stands for a fresh part in a fragment's recorded text: PostgreSQL text never holds it, so neither
# does anything rendered from the database.
_MARK = "\x00"


class FreshNode(Node):
    """A part of a fragment rendered every time. While its fragment is first rendered, it leaves a
    mark in the text and its place in the fragment's list of fresh parts."""

    def __init__(self, nodelist: NodeList):
        self.nodelist = nodelist
        self.render_fresh = _shortcut(nodelist) or nodelist.render

    def render(self, context: Context) -> SafeString:
        recording = context.render_context.get(_RECORDING)
        if recording is None:
            return self.render_fresh(context)  # type: ignore[return-value]  # SafeString or str, as the engine gives
        recording.append(self)
        return SafeString(_MARK)


def _shortcut(nodelist: NodeList) -> Callable[[Context], str] | None:
    if len(nodelist) != 1:
        return None
    node = nodelist[0]
    if isinstance(node, CsrfTokenNode):
        return _once_per_page(node)
    if isinstance(node, VariableNode):
        return _looked_up(node)
    return None


def _once_per_page(node: Node) -> Callable[[Context], str]:
    def render(context: Context) -> str:
        # The page's first render context (as Django's {% include %} keeps its templates there).
        kept = cast(dict[Node, str], context.render_context.dicts[0])
        if node not in kept:
            kept[node] = node.render(context)
        return kept[node]

    return render


_MISSING = object()


def _looked_up(node: VariableNode) -> Callable[[Context], str] | None:
    """`{{ a.b.c }}` or `{{ a.b|default:"—" }}` without the engine's general lookup (try an item,
    then an attribute, then an index; call what is callable): an exact dict's key or a plain
    attribute, whose value is not callable, is what the engine would find too. Every other case
    (a missing name, a callable, a falsy value before its default, anything subscriptable but a
    dict) is handed to the engine, which gives its own answer or error."""
    expression = node.filter_expression
    variable = expression.var
    if not isinstance(variable, Variable) or not variable.lookups or len(expression.filters) > 1:
        return None
    if expression.filters:
        function, arguments = expression.filters[0]
        if function is not default_filter or arguments[0][0]:  # only a literal default
            return None
    has_default = bool(expression.filters)
    first, *rest = variable.lookups

    def render(context: Context) -> str:
        try:
            value = context[first]
        except KeyError:
            return node.render(context)
        for bit in rest:
            if callable(value):
                return node.render(context)
            if type(value) is dict:
                value = value.get(bit, _MISSING)
            elif hasattr(type(value), "__getitem__"):
                return node.render(context)
            else:
                value = getattr(value, bit, _MISSING)
            if value is _MISSING:
                return node.render(context)
        if callable(value) or (has_default and not value):
            return node.render(context)
        if type(value) is str:  # what render_value_in_context does to a plain string
            return SafeString(html.escape(value)) if context.autoescape else value
        if type(value) is SafeString:
            return value
        return render_value_in_context(value, context)

    return render


class IndicatorFragmentNode(Node):
    def __init__(self, nodelist: NodeList, indicator: FilterExpression, name: str, varies_with: list[FilterExpression]):
        self.nodelist = nodelist
        self.indicator = indicator
        self.name = name
        self.varies_with = varies_with
        self.has_fresh_parts = bool(nodelist.get_nodes_by_type(FreshNode))

    def render(self, context: Context) -> SafeString:
        indicator = self.indicator.resolve(context)
        # Keyed by the template and the fragment's name (not by this node, whose id a recompiled
        # template could reuse); per instance, so it lives and dies with the tree that holds it.
        key = (self.origin.template_name if self.origin else "", self.name)
        if self.varies_with:
            key += tuple(value.resolve(context) for value in self.varies_with)
        fragments = indicator.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
        kept = fragments.get(key)
        if kept is None:
            kept = fragments[key] = self._record(context)
        if isinstance(kept, str):
            return kept  # type: ignore[return-value]  # a SafeString: rendered without fresh parts
        pieces, fresh = kept
        parts = [pieces[0]]
        for node, piece in zip(fresh, pieces[1:], strict=True):
            parts.append(node.render_fresh(context))
            parts.append(piece)
        return SafeString("".join(parts))

    def _record(self, context: Context) -> SafeString | tuple[tuple[str, ...], tuple[FreshNode, ...]]:
        """The fragment's text, or its pieces around the fresh parts and those parts in order."""
        if not self.has_fresh_parts:
            return self.nodelist.render(context)
        outer = context.render_context.get(_RECORDING)
        recording: list[FreshNode] = []
        context.render_context[_RECORDING] = recording
        try:
            text = self.nodelist.render(context)
        finally:
            context.render_context[_RECORDING] = outer
        pieces = tuple(text.split(_MARK))
        if len(pieces) != len(recording) + 1:
            raise template.TemplateSyntaxError(f"fragment {self.name!r}: a fresh part rendered inside a fixed one")
        return pieces, tuple(recording)


@register.tag
def indicator_fragment(parser: Parser, token: Token) -> IndicatorFragmentNode:
    bits = token.split_contents()
    if len(bits) < 3 or bits[2][0] not in "\"'" or bits[2][-1] != bits[2][0]:
        raise template.TemplateSyntaxError(f'usage: {{% {bits[0]} indicator "name" [value …] %}}')
    nodelist = parser.parse(("endindicator_fragment",))
    parser.delete_first_token()
    if any(loop.get_nodes_by_type(FreshNode) for loop in nodelist.get_nodes_by_type(ForNode)):
        raise template.TemplateSyntaxError(f"{bits[2]}: a fresh part inside a loop (put the whole loop in it)")
    return IndicatorFragmentNode(
        nodelist, parser.compile_filter(bits[1]), bits[2][1:-1], [parser.compile_filter(bit) for bit in bits[3:]]
    )


@register.tag
def fresh(parser: Parser, token: Token) -> FreshNode:
    nodelist = parser.parse(("endfresh",))
    parser.delete_first_token()
    return FreshNode(nodelist)

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

Put nothing inside that varies with anything but the indicator and the values named — not the
return, the typed value, the user or the request: it would be shown to everyone as first rendered.
tests/assessments/test_entry_page_rendering.py renders one unit's page after another's and
compares it with the page rendered with nothing kept.
"""

from django import template
from django.template import Context
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.utils.safestring import SafeString

register = template.Library()

_CACHE_ATTRIBUTE = "_rendered_fragments"


class IndicatorFragmentNode(Node):
    def __init__(self, nodelist: NodeList, indicator: FilterExpression, name: str, varies_with: list[FilterExpression]):
        self.nodelist = nodelist
        self.indicator = indicator
        self.name = name
        self.varies_with = varies_with

    def render(self, context: Context) -> SafeString:
        indicator = self.indicator.resolve(context)
        # Keyed by the template and the fragment's name (not by this node, whose id a recompiled
        # template could reuse); per instance, so it lives and dies with the tree that holds it.
        key = (self.origin.template_name if self.origin else "", self.name)
        if self.varies_with:
            key += tuple(value.resolve(context) for value in self.varies_with)
        fragments = indicator.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
        text: SafeString | None = fragments.get(key)
        if text is None:
            text = fragments[key] = self.nodelist.render(context)
        return text


@register.tag
def indicator_fragment(parser: Parser, token: Token) -> IndicatorFragmentNode:
    bits = token.split_contents()
    if len(bits) < 3 or bits[2][0] not in "\"'" or bits[2][-1] != bits[2][0]:
        raise template.TemplateSyntaxError(f'usage: {{% {bits[0]} indicator "name" [value …] %}}')
    nodelist = parser.parse(("endindicator_fragment",))
    parser.delete_first_token()
    return IndicatorFragmentNode(
        nodelist, parser.compile_filter(bits[1]), bits[2][1:-1], [parser.compile_filter(bit) for bit in bits[3:]]
    )

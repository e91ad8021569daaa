"""`{% indicator_fragment indicator "name" %}…{% endindicator_fragment %}`: a part of a page that
depends on the indicator alone (its code, name, instructions, unit, target, points), rendered once
and then reused for as long as that indicator instance lives.

Indicators come from the framework tree, which `indicators.selectors.framework_tree` keeps per
process for a published edition until the edition changes; the rendered text is kept on the
instance, so it goes when the tree does (a draft's tree, loaded afresh for each request, renders
its fragments afresh too). The entry page shows 80–100 indicators: rendering their fixed parts for
every request was a fifth of the page's render time.

Put nothing inside that varies with anything but the indicator — not the return, the value, the
user or the request: it would be shown to everyone as first rendered.
"""

from django import template
from django.template import Context
from django.template.base import FilterExpression, Node, NodeList, Parser, Token
from django.utils.safestring import SafeString

register = template.Library()

_CACHE_ATTRIBUTE = "_rendered_fragments"


class IndicatorFragmentNode(Node):
    def __init__(self, nodelist: NodeList, indicator: FilterExpression, name: str):
        self.nodelist = nodelist
        self.indicator = indicator
        self.name = name

    def render(self, context: Context) -> SafeString:
        indicator = self.indicator.resolve(context)
        # Keyed by the template and the fragment's name (not by this node, whose id a recompiled
        # template could reuse); per instance, so it lives and dies with the tree that holds it.
        key = (self.origin.template_name if self.origin else "", self.name)
        fragments = indicator.__dict__.setdefault(_CACHE_ATTRIBUTE, {})
        text: SafeString | None = fragments.get(key)
        if text is None:
            text = fragments[key] = self.nodelist.render(context)
        return text


@register.tag
def indicator_fragment(parser: Parser, token: Token) -> IndicatorFragmentNode:
    bits = token.split_contents()
    if len(bits) != 3 or bits[2][0] not in "\"'" or bits[2][-1] != bits[2][0]:
        raise template.TemplateSyntaxError(f'usage: {{% {bits[0]} indicator "name" %}}')
    nodelist = parser.parse(("endindicator_fragment",))
    parser.delete_first_token()
    return IndicatorFragmentNode(nodelist, parser.compile_filter(bits[1]), bits[2][1:-1])

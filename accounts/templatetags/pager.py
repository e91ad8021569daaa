from django import template

register = template.Library()


@register.inclusion_tag("partials/pager.html", takes_context=True)
def pager(context, page, param: str = "page"):
    """共N条，第x/y页 under every paginated list, with links to the other pages that keep the
    request's filters (and only one `param`=); `param` lets a second list on the page (an audit
    table) turn its pages without moving the first."""
    query = context["request"].GET.copy()
    query.pop(param, None)
    prefix = f"?{query.urlencode()}&{param}=" if query else f"?{param}="
    return {"page": page, "prefix": prefix}

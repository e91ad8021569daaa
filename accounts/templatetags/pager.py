from django import template

register = template.Library()


@register.inclusion_tag("partials/pager.html", takes_context=True)
def pager(context, page):
    """上一页/下一页 links for a Paginator page that keep the request's filters (and only one page=)."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    prefix = f"?{query.urlencode()}&" if query else "?"
    return {"page": page, "prefix": prefix}

from django import template

from ..services.notifications import unread_count

register = template.Library()


@register.inclusion_tag("reviews/partials/bell.html", takes_context=True)
def notification_bell(context):
    """The bell in the shell: one COUNT query per page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"unread": unread_count(user) if user is not None else 0}

from django.utils.functional import SimpleLazyObject

from .navigation import navigation_for


def navigation(request):
    """The main menu, built when a template shows it: base.html does; the fragments htmx swaps in
    (an autosave's answer, a panel) are rendered with the same context processors and do not."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": SimpleLazyObject(lambda: navigation_for(user, current_path=request.path))}

"""The request type of views that only signed-in users reach.

Django types `request.user` as a user or AnonymousUser. Behind `login_required` (or the admin's
`admin_view`) it is always a signed-in `User`; views annotate their request as
`AuthenticatedHttpRequest` to say so, and the type checker holds the services they call to it.
Django builds every request: this class is never instantiated.
"""

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User

"""The login backend: Django's ModelBackend, whose signed-in user comes with their department.

Every page's header names the user's department (base.html), and every permission check reads it:
loaded with the user, that is one query per request fewer.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserAndDepartmentBackend(ModelBackend):
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("department")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

from django.core.exceptions import PermissionDenied

from accounts.models import User

from ..permissions import can_manage_congress


def require_manager(user: User) -> None:
    """Every write of the congress module except a department's answer is congress staff's."""
    if not can_manage_congress(user):
        raise PermissionDenied("只有人大工作人员可以进行此操作。")

"""Who may call what: public endpoints answer anyone; the non-public ones need a live token."""

from typing import TYPE_CHECKING

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .models import ApiToken

if TYPE_CHECKING:  # rest_framework.views imports the throttle and permission classes at start
    from rest_framework.views import APIView


class HasApiToken(BasePermission):
    message = "此接口须使用数据接口令牌。"

    def has_permission(self, request: Request, view: "APIView") -> bool:
        return isinstance(request.auth, ApiToken)

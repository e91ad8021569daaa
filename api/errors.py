"""API errors in Chinese, one shape: {"detail": "…"} (and the field errors of a bad query)."""

import math
from typing import Any

from rest_framework import exceptions
from rest_framework.exceptions import ErrorDetail
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

MESSAGES: dict[type[exceptions.APIException], str] = {
    exceptions.NotAuthenticated: "此接口须使用数据接口令牌：请在请求头中加入 Authorization: Token <令牌>。",
    exceptions.PermissionDenied: "此令牌无权读取所请求的数据。",
    exceptions.NotFound: "未找到所请求的数据。",
    exceptions.MethodNotAllowed: "数据接口只读：只接受 GET 请求。",
    exceptions.NotAcceptable: "无法提供所请求的格式。",
}


def throttled_message(wait: float | None) -> str:
    if wait is None:
        return "请求过于频繁，请稍后再试。"
    return f"请求过于频繁，请在 {max(1, math.ceil(wait))} 秒后再试。"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, exceptions.Throttled):
        exc.detail = ErrorDetail(throttled_message(getattr(exc, "wait", None)), code="throttled")
    elif isinstance(exc, exceptions.APIException) and type(exc) in MESSAGES:
        exc.detail = ErrorDetail(MESSAGES[type(exc)], code=exc.default_code)
    return drf_exception_handler(exc, context)

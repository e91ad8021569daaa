"""The token scheme, as the OpenAPI schema names it (drf-spectacular reads this extension when the
app is ready)."""

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "ApiToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "数据接口令牌，写作 `Token <令牌>`；由系统管理员在系统管理中或用 manage.py api_token 创建。",
        }

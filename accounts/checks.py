from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security)
def openpyxl_uses_defusedxml(app_configs, **kwargs):
    """Uploaded xlsx files are hostile until proven otherwise: openpyxl must parse via defusedxml."""
    from openpyxl import DEFUSEDXML

    if DEFUSEDXML:
        return []
    return [
        Error(
            "openpyxl 未使用 defusedxml，无法安全解析上传的 Excel 文件。",
            hint="pip install defusedxml（已在 requirements.txt 中锁定版本）。",
            id="lawgov.E001",
        )
    ]


@register(Tags.security, deploy=True)
def axes_has_cool_off(app_configs, **kwargs):
    if settings.AXES_COOLOFF_TIME:
        return []
    return [
        Error(
            "登录限制没有设置冷却时间：任何人都可以恶意永久锁定他人账号。",
            hint="设置 AXES_COOLOFF_MINUTES。",
            id="lawgov.E002",
        )
    ]

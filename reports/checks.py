from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.core.checks import CheckMessage, Error, Warning, register

from .system_requirements import INSTALL_HINT, rendering_problems


@register()
def pdf_rendering_requirements(app_configs: Sequence[AppConfig] | None, **kwargs: Any) -> list[CheckMessage]:
    """CJK fonts and HarfBuzz subsetting must be present wherever reports may be rendered."""
    return [
        (Error if problem.is_fatal else Warning)(problem.message, hint=INSTALL_HINT, id=f"reports.{problem.code}")
        for problem in rendering_problems()
    ]

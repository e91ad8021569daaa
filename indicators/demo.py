"""Demo frameworks: the shipped default as the 2024 and 2025 editions, with a rename between them.

Both editions come from `framework_load_default`, the service behind `manage.py
load_default_framework`. The 2024 edition codes the 述法 indicator A1.5 (领导干部年终述法率), as a
real earlier revision would; the 2025 edition is cloned from 2024 and that indicator renamed to
A1.3 with previous_code A1.5, so year-over-year comparison crosses a rename.

`load_default_framework` may have run before the demo: it loads an unlinked 2025 edition (a plain
copy of the default, draft or published). While nobody has filed against it, the demo replaces it
with the linked edition, so both orders end in the same frameworks.
"""

from io import TextIOBase

from django.db import transaction

from .models import IndicatorFramework
from .services import (
    framework_clone,
    framework_delete,
    framework_has_returns,
    framework_load_default,
    framework_publish,
    framework_reopen,
    indicator_update,
)

PREVIOUS_YEAR, YEAR = 2024, 2025
RENAMED_CODE, OLD_CODE, OLD_NAME = "A1.3", "A1.5", "领导干部年终述法率"
RENAMED_NAME = "领导干部年终述法覆盖率"


def _previous_edition() -> IndicatorFramework:
    """The 2024 edition, published, with the 述法 indicator under its old code. One loaded by
    `load_default_framework --year 2024` is given the old code too while nobody has filed on it."""
    framework, _ = framework_load_default(year=PREVIOUS_YEAR)
    codes = set(framework.indicators.values_list("code", flat=True))
    is_renameable = RENAMED_CODE in codes and OLD_CODE not in codes and not framework_has_returns(framework)
    if is_renameable and framework.status == IndicatorFramework.Status.PUBLISHED:
        framework = framework_reopen(framework=framework)
    if is_renameable and framework.is_draft:
        indicator_update(indicator=framework.indicators.get(code=RENAMED_CODE), code=OLD_CODE, name=OLD_NAME)
    if framework.is_draft:
        framework = framework_publish(framework=framework)
    return framework


def _replace_unlinked(framework: IndicatorFramework, stdout: TextIOBase | None) -> bool:
    """Remove an edition loaded without the link to last year, unless returns were filed on it."""
    if framework_has_returns(framework):
        if stdout:
            stdout.write(f"  注意：“{framework}”不是由{PREVIOUS_YEAR}年度复制而来，但已有填报，未作改动。")
        return False
    if framework.status == IndicatorFramework.Status.PUBLISHED:
        framework = framework_reopen(framework=framework)
    if framework.is_draft:
        framework_delete(framework=framework)
        if stdout:
            stdout.write(f"  已用由{PREVIOUS_YEAR}年度复制的版本替换单独载入的“{framework}”。")
    return True


def _current_edition(previous: IndicatorFramework, stdout: TextIOBase | None) -> IndicatorFramework:
    existing = IndicatorFramework.objects.filter(name=previous.name, year=YEAR).order_by("-version").first()
    if existing is not None and (existing.cloned_from_id == previous.pk or not _replace_unlinked(existing, stdout)):
        return existing
    current = framework_clone(framework=previous, year=YEAR)
    codes = set(current.indicators.values_list("code", flat=True))
    if OLD_CODE in codes and RENAMED_CODE not in codes:
        renamed = current.indicators.get(code=OLD_CODE)
        indicator_update(indicator=renamed, code=RENAMED_CODE, previous_code=OLD_CODE, name=RENAMED_NAME)
    return framework_publish(framework=current)


@transaction.atomic
def seed(*, stdout: TextIOBase | None = None) -> None:
    previous = _previous_edition()
    current = _current_edition(previous, stdout)
    if stdout:
        stdout.write(f"  指标体系：{previous}、{current}（三级指标 {current.indicators.count()} 个）")

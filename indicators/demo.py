"""Demo frameworks: the shipped default as the 2025 edition, and a 2024 edition before it.

2024 is derived from the same data with one difference a real revision would make: its 述法
indicator was coded A1.5 (领导干部年终述法率). The 2025 edition is cloned from 2024 and that
indicator renamed to A1.3 with previous_code A1.5, so year-over-year comparison crosses a rename.
"""

from django.db import transaction

from .models import IndicatorFramework
from .services import (
    default_framework_data,
    framework_clone,
    framework_import,
    framework_publish,
    indicator_update,
)

PREVIOUS_YEAR, YEAR = 2024, 2025
RENAMED_CODE, OLD_CODE, OLD_NAME = "A1.3", "A1.5", "领导干部年终述法率"


def _previous_year_data() -> dict:
    data = default_framework_data()
    data["framework"]["year"] = PREVIOUS_YEAR
    for row in data["tree"]:
        if row.get("target_date"):
            row["target_date"] = row["target_date"].replace(year=row["target_date"].year - 1)
        if row["code"] == RENAMED_CODE:
            row.update(code=OLD_CODE, name=OLD_NAME)
    for rule in data["rules"]:
        if rule.get("indicator_code") == RENAMED_CODE:
            rule["indicator_code"] = OLD_CODE
            rule["expression"] = rule["expression"].replace(RENAMED_CODE, OLD_CODE)
    return data


@transaction.atomic
def seed(*, stdout=None) -> None:
    name = default_framework_data()["framework"]["name"]
    previous = IndicatorFramework.objects.filter(name=name, year=PREVIOUS_YEAR).order_by("-version").first()
    if previous is None:
        previous = framework_publish(framework=framework_import(data=_previous_year_data()))
    current = IndicatorFramework.objects.filter(name=name, year=YEAR).order_by("-version").first()
    if current is None:
        current = framework_clone(framework=previous, year=YEAR)
        renamed = current.indicators.get(code=OLD_CODE)
        indicator_update(indicator=renamed, code=RENAMED_CODE, previous_code=OLD_CODE, name="领导干部年终述法覆盖率")
        current = framework_publish(framework=current)
    if stdout:
        stdout.write(f"  指标体系：{previous}、{current}（三级指标 {current.indicators.count()} 个）")

"""Writes to frameworks: import from data, clone to a new year, publish, archive, reopen.

A framework changes only while it is a draft. Once published it is what departments file against,
so it is immutable; the way to change it is a new version (`framework_clone`). A published edition
may go back to draft only while no annual return references it (`framework_has_returns`).
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record

from .exporting import framework_to_data
from .expressions import ExpressionError, rename_reference
from .importing import FrameworkFileError, check_framework_data, data_from_json
from .models import (
    AdjustmentItem,
    Area,
    AssessmentPoint,
    GradeThreshold,
    Group,
    Indicator,
    IndicatorFramework,
    IndicatorNature,
    ValidationRule,
)
from .selectors import previous_framework
from .tree_lock import FrameworkLocked

DEFAULT_FRAMEWORK_FILE = Path(__file__).resolve().parent / "data" / "default_framework.json"


def framework_has_returns(framework: IndicatorFramework) -> bool:
    """Whether any annual return is filed against the framework. Returns live in assessments/,
    which may not define them yet; asked through the app registry so indicators/ does not import it."""
    try:
        annual_return = apps.get_model("assessments", "AnnualReturn")
    except LookupError:
        return False
    filed: bool = annual_return._default_manager.filter(framework=framework).exists()
    return filed


def framework_ensure_editable(framework: IndicatorFramework) -> None:
    if not framework.is_editable:
        raise FrameworkLocked(f"“{framework}”已{framework.get_status_display()}，不能修改；请复制为新版本后修改。")


def framework_next_version(year: int) -> int:
    current = IndicatorFramework.objects.filter(year=year).aggregate(Max("version"))["version__max"]
    return (current or 0) + 1


@transaction.atomic
def framework_import(
    *,
    data: dict[str, Any],
    user: User | None = None,
    year: int | None = None,
    cloned_from: IndicatorFramework | None = None,
) -> IndicatorFramework:
    """Create a draft framework from checked data (see importing.py). All or nothing: any problem
    raises FrameworkFileError and nothing is written."""
    errors = check_framework_data(data)
    if errors:
        raise FrameworkFileError(errors)
    meta = data["framework"]
    year = year or meta["year"]
    framework = IndicatorFramework.objects.create(
        name=meta["name"],
        year=year,
        version=framework_next_version(year),
        description=meta.get("description") or "",
        base_points=meta["base_points"],
        bonus_cap=meta["bonus_cap"],
        yoy_swing_percent=meta.get("yoy_swing_percent") if meta.get("yoy_swing_percent") is not None else 50,
        cloned_from=cloned_from,
    )
    indicators = _create_tree(framework, data["tree"])
    ValidationRule.objects.bulk_create(
        ValidationRule(
            framework=framework,
            indicator=indicators.get(row.get("indicator_code")),
            code=row["code"],
            expression=row["expression"],
            message=row["message"],
            severity=row["severity"],
            is_relation=bool(row.get("is_relation")),
            order=order,
        )
        for order, row in enumerate(data["rules"], start=1)
    )
    GradeThreshold.objects.bulk_create(
        GradeThreshold(
            framework=framework,
            department_kind=row.get("department_kind") or "",
            grade=row["grade"],
            min_score=row["min_score"],
        )
        for row in data["grades"]
    )
    AdjustmentItem.objects.bulk_create(
        AdjustmentItem(
            framework=framework,
            order=order,
            **{key: row.get(key) for key in ("kind", "code", "name", "points", "max_points")},
            legal_basis=row.get("legal_basis") or "",
            note=row.get("note") or "",
        )
        for order, row in enumerate(data["adjustments"], start=1)
    )
    # One event for the new edition, whether imported from a file or cloned from another.
    audit_record(
        action="change",
        user=user,
        obj=framework,
        after={
            "name": framework.name,
            "year": framework.year,
            "version": framework.version,
            "status": framework.status,
            "cloned_from": cloned_from.pk if cloned_from else None,
            "indicators": len(indicators),
        },
    )
    return framework


INDICATOR_FIELDS = {field.name for field in Indicator._meta.get_fields() if getattr(field, "concrete", False)}


def _create_tree(framework: IndicatorFramework, rows: list[dict[str, Any]]) -> dict[str, Indicator]:
    """Areas, groups, indicators and assessment points, each level in one bulk insert."""
    by_level: dict[str, list[dict[str, Any]]] = {"area": [], "group": [], "indicator": [], "point": []}
    for row in rows:
        by_level[row["level"]].append(row)
    areas = {
        area.code: area
        for area in Area.objects.bulk_create(
            Area(
                framework=framework,
                code=row["code"],
                name=row["name"],
                description=row.get("description") or "",
                max_points=row["max_points"],
                order=order,
            )
            for order, row in enumerate(by_level["area"], start=1)
        )
    }
    groups = {
        group.code: group
        for group in Group.objects.bulk_create(
            Group(
                area=areas[row["parent_code"]],
                code=row["code"],
                name=row["name"],
                description=row.get("description") or "",
                max_points=row["max_points"],
                order=order,
            )
            for order, row in enumerate(by_level["group"], start=1)
        )
    }
    indicators = {
        indicator.code: indicator
        for indicator in Indicator.objects.bulk_create(
            _indicator(framework, groups[row["parent_code"]], row, order)
            for order, row in enumerate(by_level["indicator"], start=1)
        )
    }
    AssessmentPoint.objects.bulk_create(
        AssessmentPoint(
            indicator=indicators[row["parent_code"]],
            code=row["code"],
            text=row["name"],
            points=row.get("max_points"),
            order=order,
        )
        for order, row in enumerate(by_level["point"], start=1)
    )
    return indicators


def _indicator(framework: IndicatorFramework, group: Group, row: dict[str, Any], order: int) -> Indicator:
    values = {key: value for key, value in row.items() if key in INDICATOR_FIELDS}
    nullable = {field.name for field in Indicator._meta.concrete_fields if field.null}
    for key, value in list(values.items()):
        if value is None and key not in nullable:
            values.pop(key)  # the model default ("" or False) stands
    values.update(framework=framework, group=group, instructions=row.get("description") or "", order=order)
    values["nature"] = values.get("nature") or IndicatorNature.ASSESSED
    if values["nature"] == IndicatorNature.STATISTICAL:
        values.update(max_points=Decimal(0), scoring_rule="")
    return Indicator(**values)


def _shift_year(day: datetime.date | None, years: int) -> datetime.date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 2月29日 in a year without it
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def framework_clone(
    *, framework: IndicatorFramework, user: User | None = None, year: int | None = None
) -> IndicatorFramework:
    """A new draft copy, for the next year by default (or another version of the same year).
    Codes carry over unchanged, so every indicator continues itself; deadlines move with the year."""
    year = year or framework.year + 1
    data = framework_to_data(framework)
    data["framework"]["year"] = year
    shift = year - framework.year
    for row in data["tree"]:
        if row["level"] == "indicator":
            row["previous_code"] = ""
            row["target_date"] = _shift_year(row.get("target_date"), shift)
    return framework_import(data=data, user=user, year=year, cloned_from=framework)


def framework_problems(framework: IndicatorFramework) -> list[str]:
    """Why a framework cannot be published yet (Chinese), empty when it can."""
    data = framework_to_data(framework)
    problems = [str(error) for error in check_framework_data(data)]
    areas = [row for row in data["tree"] if row["level"] == "area"]
    if not any(row["level"] == "indicator" for row in data["tree"]):
        problems.append("指标体系还没有三级指标")
    total = sum((row["max_points"] for row in areas), Decimal(0))
    if total != framework.base_points:
        problems.append(f"一级指标分值合计 {total:f} 分，与基础分 {framework.base_points:f} 分不一致")
    for parent in (row for row in data["tree"] if row["level"] in ("area", "group")):
        children = [row for row in data["tree"] if row["parent_code"] == parent["code"] and row["level"] != "point"]
        attainable = sum((row["max_points"] for row in children), Decimal(0))
        if attainable < parent["max_points"]:
            problems.append(
                f"{parent['code']} {parent['name']}：下级指标分值合计 {attainable:f} 分，低于本级分值 "
                f"{parent['max_points']:f} 分"
            )
    return problems + _lineage_problems(framework, data["tree"])


def _lineage_problems(framework: IndicatorFramework, rows: list[dict[str, Any]]) -> list[str]:
    """A previous_code must name an indicator of last year's edition, or year-over-year links break."""
    previous = previous_framework(framework)
    if previous is None:
        return []
    old_codes = set(previous.indicators.values_list("code", flat=True))
    problems = []
    for row in rows:
        if row["level"] != "indicator" or not row.get("previous_code"):
            continue
        missing = [
            code for code in Indicator(previous_code=row["previous_code"]).predecessor_codes if code not in old_codes
        ]
        if missing:
            problems.append(f"{row['code']} 的上年编码 {'、'.join(missing)} 在{previous.year}年指标体系中不存在")
    return problems


def _lock(framework: IndicatorFramework) -> IndicatorFramework:
    return IndicatorFramework.objects.select_for_update().get(pk=framework.pk)


@transaction.atomic
def framework_publish(*, framework: IndicatorFramework, user: User | None = None) -> IndicatorFramework:
    """Publish a draft; the edition published so far for the same year is archived."""
    framework = _lock(framework)
    if framework.status != IndicatorFramework.Status.DRAFT:
        raise ValidationError("只有草稿状态的指标体系可以发布。")
    problems = framework_problems(framework)
    if problems:
        raise ValidationError(problems)
    current = (
        IndicatorFramework.objects.select_for_update()
        .filter(year=framework.year, status=IndicatorFramework.Status.PUBLISHED)
        .exclude(pk=framework.pk)
    )
    archived = []
    for previous in current:
        previous.status = IndicatorFramework.Status.ARCHIVED
        previous.save(update_fields=["status", "updated_at"])
        archived.append(previous.pk)
    framework.status = IndicatorFramework.Status.PUBLISHED
    framework.published_at = timezone.now()
    framework.save(update_fields=["status", "published_at", "updated_at"])
    # Archiving the edition it replaces is part of publishing, recorded in the same event.
    audit_record(
        action="change",
        user=user,
        obj=framework,
        before={"status": IndicatorFramework.Status.DRAFT},
        after={"status": framework.status, "archived_editions": archived},
    )
    return framework


@transaction.atomic
def framework_archive(*, framework: IndicatorFramework, user: User | None = None) -> IndicatorFramework:
    framework = _lock(framework)
    if framework.status == IndicatorFramework.Status.ARCHIVED:
        raise ValidationError("该指标体系已归档。")
    before = {"status": framework.status}
    framework.status = IndicatorFramework.Status.ARCHIVED
    framework.save(update_fields=["status", "updated_at"])
    audit_record(action="change", user=user, obj=framework, before=before, after={"status": framework.status})
    return framework


@transaction.atomic
def framework_reopen(*, framework: IndicatorFramework, user: User | None = None) -> IndicatorFramework:
    """Back to draft, for a published edition nobody has filed against yet."""
    framework = _lock(framework)
    if framework.status != IndicatorFramework.Status.PUBLISHED:
        raise ValidationError("只有已发布的指标体系可以退回草稿。")
    if framework_has_returns(framework):
        raise FrameworkLocked("已有单位按此指标体系填报，不能退回草稿；请复制为新版本后修改。")
    framework.status = IndicatorFramework.Status.DRAFT
    framework.published_at = None
    framework.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        action="change",
        user=user,
        obj=framework,
        before={"status": IndicatorFramework.Status.PUBLISHED},
        after={"status": framework.status},
    )
    return framework


@transaction.atomic
def framework_delete(*, framework: IndicatorFramework, user: User | None = None) -> None:
    framework_ensure_editable(framework)
    audit_record(
        action="change",
        user=user,
        obj=framework,
        before={"name": framework.name, "year": framework.year, "version": framework.version},
        after={"deleted": True},
    )
    framework.delete()


EDITABLE_INDICATOR_FIELDS = INDICATOR_FIELDS - {"id", "framework", "group"}


@transaction.atomic
def indicator_update(*, indicator: Indicator, user: User | None = None, **changes: Any) -> Indicator:
    """Change fields of an indicator of a draft framework, e.g. a new code with `previous_code`
    pointing at last year's. A new code is carried into the framework's formulas and rules."""
    framework_ensure_editable(indicator.framework)
    unknown = set(changes) - EDITABLE_INDICATOR_FIELDS
    if unknown:
        raise ValueError(f"unknown indicator fields: {sorted(unknown)}")
    old_code = indicator.code
    before = {name: getattr(indicator, name) for name in changes}
    for name, value in changes.items():
        setattr(indicator, name, value)
    indicator.full_clean()
    indicator.save(update_fields=list(changes))
    if indicator.code != old_code:
        _rename_references(indicator.framework, old_code, indicator.code)
    audit_record(action="change", user=user, obj=indicator, before=before, after=changes)
    return indicator


def _rename_references(framework: IndicatorFramework, old_code: str, new_code: str) -> None:
    def renamed(source: str) -> str:
        try:
            return rename_reference(source, old_code, new_code)
        except ExpressionError:  # a formula that never parsed is left for the administrator
            return source

    for rule in framework.validation_rules.all():
        expression = renamed(rule.expression)
        if expression != rule.expression:
            rule.expression = expression
            rule.save(update_fields=["expression"])
    for other in framework.indicators.filter(~Q(formula="") | Q(scoring_params__has_key="events")):
        other.formula = renamed(other.formula)
        if "events" in other.scoring_params:
            other.scoring_params["events"] = renamed(str(other.scoring_params["events"]))
        other.save(update_fields=["formula", "scoring_params"])


def default_framework_data(path: Path = DEFAULT_FRAMEWORK_FILE) -> dict[str, Any]:
    data, errors = data_from_json(json.loads(path.read_text(encoding="utf-8")))
    if errors:
        raise FrameworkFileError(errors)
    return data


@transaction.atomic
def framework_load_default(*, year: int | None = None, publish: bool = False) -> tuple[IndicatorFramework, bool]:
    """The shipped 法治政府建设年度考核指标体系, loaded once per year (idempotent: an existing
    edition of the same name and year is returned untouched). Returns (framework, created)."""
    data = default_framework_data()
    year = year or data["framework"]["year"]
    existing = IndicatorFramework.objects.filter(name=data["framework"]["name"], year=year).order_by("-version").first()
    if existing is not None:
        return existing, False
    shift = year - data["framework"]["year"]
    for row in data["tree"]:
        if row.get("target_date"):
            row["target_date"] = _shift_year(row["target_date"], shift)
    framework = framework_import(data=data, year=year)
    if publish:
        framework = framework_publish(framework=framework)
    return framework, True

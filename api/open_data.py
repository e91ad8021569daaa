"""Open data (开放数据): a year's published figures as CSV and JSON, each figure beside its unit, its
report and the framework's definition of what it counts. Built from `selectors.open_data_for_year`
(published reports only); no database access here."""

import csv
import io
from typing import Any

from django.utils import timezone

from accounts.models import Department
from indicators.models import Indicator
from indicators.presenting import Place, target_text

from .selectors import OpenDataYear

# (column heading, what it holds) — the CSV's header row; the JSON's definitions use the same names.
CSV_COLUMNS = (
    "年度",
    "单位编码",
    "单位名称",
    "报告类型",
    "报告标题",
    "发布日期",
    "指标编码",
    "指标名称",
    "一级指标",
    "二级指标",
    "指标性质",
    "填报类型",
    "计量单位",
    "分子名称",
    "分母名称",
    "目标",
    "填报说明",
    "公开数值",
)


def definition(indicator: Indicator) -> dict[str, Any]:
    """What the framework says an indicator counts."""
    return {
        "code": indicator.code,
        "name": indicator.name,
        "area": f"{indicator.group.area.code} {indicator.group.area.name}",
        "group": f"{indicator.group.code} {indicator.group.name}",
        "nature": indicator.get_nature_display(),
        "value_type": indicator.get_value_type_display(),
        "unit": indicator.unit,
        "numerator": indicator.numerator_label,
        "denominator": indicator.denominator_label,
        "target": target_text(indicator, Place.ENTRY),
        "instructions": indicator.instructions,
        "applies_to": [label for kind, label in Department.Kind.choices if indicator.applies_to(kind)],
    }


def _published_on(data_report: Any) -> str:
    published_at = data_report.published_at
    return timezone.localdate(published_at).isoformat() if published_at else ""


def open_data_rows(data: OpenDataYear) -> list[list[str]]:
    definitions = {indicator.code: definition(indicator) for indicator in data.indicators}
    rows = []
    for item in data.reports:
        report = item.report
        for figure in item.figures:
            meaning = definitions.get(figure.indicator_code, {})
            rows.append(
                [
                    str(report.year),
                    report.department.code,
                    report.department.name,
                    report.get_kind_display(),
                    report.title,
                    _published_on(report),
                    figure.indicator_code,
                    figure.indicator_name,
                    meaning.get("area", ""),
                    meaning.get("group", ""),
                    meaning.get("nature", ""),
                    meaning.get("value_type", ""),
                    meaning.get("unit", ""),
                    meaning.get("numerator", ""),
                    meaning.get("denominator", ""),
                    meaning.get("target", ""),
                    meaning.get("instructions", ""),
                    figure.figure,
                ]
            )
    return rows


def open_data_csv(data: OpenDataYear) -> bytes:
    """UTF-8 with a byte-order mark, so Excel and WPS open the Chinese as Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(open_data_rows(data))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def open_data_document(data: OpenDataYear) -> dict[str, Any]:
    framework = data.framework
    return {
        "year": data.year,
        "framework": None
        if framework is None
        else {"id": framework.pk, "name": framework.name, "version": framework.version},
        "definitions": [definition(indicator) for indicator in data.indicators],
        "reports": [
            {
                "id": item.report.pk,
                "unit_code": item.report.department.code,
                "unit_name": item.report.department.name,
                "kind": item.report.kind,
                "kind_label": item.report.get_kind_display(),
                "title": item.report.title,
                "published_on": _published_on(item.report),
                "figures": {figure.indicator_code: figure.figure for figure in item.figures},
            }
            for item in data.reports
        ],
    }

"""The coverage table (indicators/data/seed_coverage.csv): every figure the seed reports cite is held
by an indicator (or one part of a rate) of the default framework, in a unit that fits, or is listed
as narrative-only with the reason.

The figures lists are in indicators/data/seed_figures/ (000, 004 as read from the seeds; 003 made from
the text of the notice). A row is 数据 (a figure the indicator holds), 目标 (the indicator's target) or
正文 (belongs only in narrative text).
"""

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from indicators.models import ValueType
from indicators.services import framework_load_default

DATA = Path(__file__).resolve().parents[2] / "indicators" / "data"
TABLE = DATA / "seed_coverage.csv"
FIGURES = DATA / "seed_figures"
NARRATIVE = "正文"
PARTS = {"num": "numerator", "den": "denominator"}
# Measure words that name the same thing: 名 and 人 count people; 份 (and 个, for documents) count
# documents, which the framework counts in 件.
SAME_MEASURE = {("名", "人"), ("人", "名"), ("份", "件"), ("个", "件")}

pytestmark = pytest.mark.django_db


def table_rows() -> list[dict]:
    with TABLE.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def figures() -> dict[tuple[str, int], dict]:
    return {
        (path.name, index): figure
        for path in sorted(FIGURES.glob("figures-*.json"))
        for index, figure in enumerate(json.loads(path.read_text(encoding="utf-8"))["figures"])
    }


@pytest.fixture
def indicators() -> dict:
    framework, _ = framework_load_default()
    return {indicator.code: indicator for indicator in framework.indicators.all()}


def fits(figure_unit: str, indicator_unit: str) -> bool:
    return figure_unit == indicator_unit or (figure_unit, indicator_unit) in SAME_MEASURE


def problem_of(row: dict, indicators: dict) -> str | None:
    holder, unit = row["所在指标"], row["量词"]
    if holder == NARRATIVE:
        return None if row["类别"] == NARRATIVE and row["说明"].strip() else "正文 rows need their reason"
    code, part = holder, ""
    if holder.rsplit(".", 1)[-1] in PARTS:
        code, part = holder.rsplit(".", 1)
    indicator = indicators.get(code)
    if indicator is None:
        return f"no indicator {code}"
    if part:
        if indicator.value_type != ValueType.RATE:
            return f"{code} is not a rate, it has no {part}"
        part_unit = getattr(indicator, f"{PARTS[part]}_unit", "")  # rate parts carry units once they exist
        return None if not part_unit or fits(unit, part_unit) else f"{holder} counts in {part_unit}, not {unit}"
    if unit == "%":
        return None if indicator.value_type == ValueType.RATE or indicator.unit == "%" else f"{code} is no rate"
    if row["类别"] == "目标":
        if indicator.target_value == Decimal(row["数值"]) or f"{row['数值']}{unit}" in indicator.target_display:
            return None
        return f"{code}'s target {indicator.target_display} is not {row['数值']}{unit}"
    return None if fits(unit, indicator.unit) else f"{code} counts in {indicator.unit}, not {unit}"


def test_every_figure_of_the_seed_figures_lists_has_exactly_one_row():
    keys = [(row["来源文件"], int(row["序号"])) for row in table_rows()]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(figures())


def test_each_row_repeats_its_figures_value_and_measure_word():
    listed = figures()
    wrong = []
    for row in table_rows():
        figure = listed[(row["来源文件"], int(row["序号"]))]
        unit = figure["unit"].strip()
        if Decimal(row["数值"]) != Decimal(str(figure["value"])) or row["内容"] != figure["what"]:
            wrong.append((row["来源文件"], row["序号"], "value"))
        if unit and row["量词"] != unit:
            wrong.append((row["来源文件"], row["序号"], "unit"))
        if not unit and not (row["量词"] and row["说明"]):
            wrong.append((row["来源文件"], row["序号"], "a figure without a measure word needs one and a note"))
    assert wrong == []


def test_every_row_is_held_by_an_indicator_in_a_fitting_unit_or_is_narrative_with_a_reason(indicators):
    problems = [(row["来源文件"], row["序号"], problem_of(row, indicators)) for row in table_rows()]
    assert [problem for problem in problems if problem[2]] == []


def test_the_issues_examples_each_have_a_statistical_indicator(indicators):
    """The figures the issue found without a home in a real government report (seed 002)."""
    expected = {
        "二审行政应诉案件数": "件",
        "备案审查下级政府和部门规范性文件件数": "件",
        "查处重点领域违法行为件数": "件",
        "移送涉嫌犯罪案件数（两法衔接）": "件",
        "移送案件公安机关立案数（两法衔接）": "件",
        "完成职级套转的综合行政执法人员数": "名",
        "主动公开政府信息条数": "条",
        "受理矛盾纠纷件数": "件",
        "成功调处矛盾纠纷件数": "件",
        "一审行政应诉案件数": "件",
        "公职律师人数": "名",
        "法律顾问人数": "名",
        "行政处罚罚没款金额": "万元",
    }
    found = {indicator.name: indicator for indicator in indicators.values()}
    assert {name: found[name].unit for name in expected if name in found} == expected
    assert all(found[name].is_statistical for name in expected)


def test_the_table_fails_on_an_unknown_code(indicators):
    row = {"所在指标": "Z9.9", "量词": "件", "类别": "数据", "数值": "1", "说明": ""}
    assert problem_of(row, indicators) == "no indicator Z9.9"


def test_the_table_fails_on_a_measure_word_the_indicator_does_not_count_in(indicators):
    row = {"所在指标": "H1.6", "量词": "件", "类别": "数据", "数值": "52902", "说明": ""}
    assert problem_of(row, indicators) == "H1.6 counts in 条, not 件"


def test_the_table_fails_on_a_narrative_row_without_a_reason(indicators):
    row = {"所在指标": NARRATIVE, "量词": "本", "类别": NARRATIVE, "数值": "3000", "说明": " "}
    assert problem_of(row, indicators) == "正文 rows need their reason"

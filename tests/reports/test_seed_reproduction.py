"""Reproduction of real reports: the figures of seed 004 (河西区, 2017) and of the district
self-inspection report in seed 000 (2018) are entered as a user enters them (the entry service,
narratives included), the reports are generated, and every figure the source cites that the framework
holds (indicators/data/seed_coverage.csv, 类别 数据) appears in a generated sentence with the source's
measure word and rounding. The generated text passes the editorial rules.

A figure goes to the unit that reports it: the district court's cases (seed 000 "由各部门各自填报后
汇总") are the departments' figures, the rest the district government's own. Rates the source gives
without their parts are entered with the smallest parts that give the same rate.
"""

import csv
import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.models import Department
from assessments.models import AnnualReturn, NarrativeSection
from assessments.services.entry import ValueInput, indicator_values_save, narrative_save
from indicators.models import Indicator
from indicators.presenting import number_text
from indicators.services import framework_load_default
from reports import editorial
from reports.kinds.department_annual import department_report_data, department_report_document
from reports.kinds.government_annual import government_report_data, government_report_document
from tests.assessments.factories import open_return
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "indicators" / "data"
SEEDS = Path("/work/shared/seeds")
COVERAGE = DATA / "seed_coverage.csv"
# Figures of the district court, which every department reports for its own cases (seed 000).
DEPARTMENTS_FIGURES = {("figures-000-district.json", n) for n in (26, 27, 28, 29, 30)}
# Measure words for people are interchangeable (7人 / 7名); the coverage table says where a
# figure is counted in the indicator's own word ("个计为件", "按件计").
SAME_WORDS = ({"人", "名"},)

NARRATIVE = {
    "figures-004-hexi.json": "区政府认真清理涉及“放管服”的规范性文件，对到期失效的文件予以废止。\n"
    "区政府认真贯彻政府法律顾问制度，完善区政府及其工作部门政府法律顾问服务架构。",
    "figures-000-district.json": "区政府严格按要求向市政府和区委区人大报告法治政府建设情况并在区政府网站公开。\n"
    "建立区镇村（社区）三级法律顾问工作网络，形成了政府法律顾问参与政府涉法事务的常态化机制。",
}


def coverage_rows(source: str) -> list[dict]:
    with COVERAGE.open(encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["来源文件"] == source and row["类别"] == "数据"]


def seed_figure(source: str, number: int) -> dict:
    return json.loads((SEEDS / source).read_text(encoding="utf-8"))["figures"][number]


def code_and_part(row: dict) -> tuple[str, str]:
    """ "E3.6.den" → ("E3.6", "den"); "A4.3" → ("A4.3", "")."""
    code, _, part = row["所在指标"].rpartition(".")
    return (code, part) if part in ("num", "den") else (row["所在指标"], "")


def year_of(source: str, row: dict) -> int:
    base = {"figures-004-hexi.json": 2017, "figures-000-district.json": 2018}[source]
    return 2016 if "2016年度" in row["说明"] else base


def smallest_parts(percent: Decimal) -> tuple[int, int]:
    for denominator in range(1, 1001):
        numerator = percent * denominator / 100
        if numerator == numerator.to_integral_value():
            return int(numerator), denominator
    raise AssertionError(percent)


def raw_inputs(source: str, rows: list[dict]) -> dict[str, dict]:
    """{code: raw entry} for one unit and year, parts of a rate merged into one entry."""
    raw: dict[str, dict] = defaultdict(dict)
    whole_rates = []
    for row in rows:
        code, part = code_and_part(row)
        if part == "num":
            raw[code]["numerator"] = row["数值"]
        elif part == "den":
            raw[code]["denominator"] = row["数值"]
        elif row["量词"] == "%":
            whole_rates.append((code, row))
        else:
            raw[code]["value"] = row["数值"]
    for code, row in whole_rates:
        given = seed_figure(source, int(row["序号"]))
        if "num" in given:
            raw[code] = {"numerator": str(given["num"]), "denominator": str(given["den"])}
        elif "denominator" in raw[code] and Decimal(row["数值"]) == 100:
            raw[code]["numerator"] = raw[code]["denominator"]
        elif not raw[code]:
            numerator, denominator = smallest_parts(Decimal(row["数值"]))
            raw[code] = {"numerator": str(numerator), "denominator": str(denominator)}
    return dict(raw)


def expected_words(row: dict, indicator: Indicator) -> set[str]:
    """The figure as the source writes it, and the indicator's own measure word where the coverage
    table says the figure is counted in it."""
    value = number_text(Decimal(row["数值"]))
    if row["量词"] == "%":
        return {f"{value}%"}
    _, part = code_and_part(row)
    own = {"num": indicator.numerator_unit, "den": indicator.denominator_unit}.get(part, indicator.unit)
    words = {row["量词"]}
    for same in SAME_WORDS:
        if row["量词"] in same:
            words |= same
    if "计" in row["说明"] or not row["量词"]:
        words.add(own)
    return {f"{value}{word}" for word in words}


def enter(annual_return: AnnualReturn, user, raw: dict[str, dict], narrative: str) -> None:
    indicators = {i.code: i for i in annual_return.framework.indicators.all()}
    rows = {v.indicator.code: v for v in annual_return.values.select_related("indicator")}
    inputs = [
        ValueInput(indicator_id=indicators[code].pk, raw=entry, expected_version=rows[code].version)
        for code, entry in raw.items()
    ]
    outcomes = indicator_values_save(annual_return=annual_return, inputs=inputs, user=user)
    assert [o.error for o in outcomes if o.error] == []
    section = NarrativeSection.objects.get(annual_return=annual_return, kind=NarrativeSection.Kind.MEASURES)
    narrative_save(
        annual_return=annual_return,
        kind=NarrativeSection.Kind.MEASURES,
        text=narrative,
        expected_version=section.version,
        user=user,
    )


def generated_text(document, narrative: str) -> str:
    """The report's prose without the paragraphs the unit typed: what the generator wrote."""
    typed = set(narrative.split("\n"))
    texts = [p.text for p in document.opening]
    for section in document.sections:
        stack = [section]
        while stack:
            current = stack.pop()
            texts += [b.text for b in current.blocks if hasattr(b, "text") and b.text not in typed]
            stack.extend(current.subsections)
    return "\n".join(texts)


@pytest.fixture
def reproduction(request):
    """Enter one seed's figures; give back (rows by unit and year, documents, narrative)."""
    source = request.param
    district = DepartmentFactory(
        code="RD", name="河西区人民政府", kind=Department.Kind.GOVERNMENT, level=Department.Level.COUNTY
    )
    departments = DepartmentFactory(
        code="RD1", name="河西区区直部门", kind=Department.Kind.WORKING_DEPARTMENT, parent=district
    )
    users = {
        district.pk: UserFactory(username="rd", department=district),
        departments.pk: UserFactory(username="rd1", department=departments),
    }
    rows = coverage_rows(source)
    frameworks = {
        year: framework_load_default(year=year, publish=True)[0] for year in {year_of(source, r) for r in rows}
    }
    by_unit_year: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for row in rows:
        year = year_of(source, row)
        indicator = frameworks[year].indicators.get(code=code_and_part(row)[0])
        # The departments' own figures (the district court's cases; 执法检查 and 行政处罚, which only
        # departments report) go to the departments' return.
        is_departments = (source, int(row["序号"])) in DEPARTMENTS_FIGURES or not indicator.applies_to_government
        by_unit_year[((departments if is_departments else district).pk, year)].append(row)
    documents = {}
    now = timezone.now()
    for (unit_id, year), unit_rows in sorted(by_unit_year.items(), key=lambda item: item[0][1]):
        unit = Department.objects.get(pk=unit_id)
        annual_return = open_return(unit, frameworks[year])
        enter(annual_return, users[unit_id], raw_inputs(source, unit_rows), NARRATIVE[source])
        AnnualReturn.objects.filter(pk=annual_return.pk).update(
            status=AnnualReturn.Status.SUBMITTED, submitted_at=now, first_submitted_at=now
        )
        documents[(unit_id, year)] = department_report_document(
            department_report_data(department=unit, year=year), options={}
        )
    government = {
        year: government_report_document(government_report_data(government=district, year=year), options={})
        for year in {year for _, year in by_unit_year}
    }
    return source, by_unit_year, documents, government


SOURCES = ["figures-004-hexi.json", "figures-000-district.json"]


@pytest.mark.parametrize("reproduction", SOURCES, indirect=True)
def test_every_figure_the_source_cites_is_in_a_generated_sentence(reproduction):
    source, by_unit_year, documents, _ = reproduction
    missing = []
    for key, rows in by_unit_year.items():
        text = generated_text(documents[key], NARRATIVE[source])
        for row in rows:
            code, _ = code_and_part(row)
            indicator = Indicator.objects.get(framework__year=key[1], code=code)
            words = expected_words(row, indicator)
            if not any(word in text for word in words):
                missing.append(f"{row['内容']} {sorted(words)} ({row['所在指标']})")
    assert missing == []


@pytest.mark.parametrize("reproduction", SOURCES, indirect=True)
def test_the_reproduced_reports_pass_the_editorial_rules(reproduction):
    _, _, documents, government = reproduction
    for document in [*documents.values(), *government.values()]:
        body = generated_text(document, "")
        achievements = generated_text(type(document)(title="", sections=document.sections[:1]), "")  # section 一 only
        assert editorial.text_faults(body, achievements=achievements) == [], document.title

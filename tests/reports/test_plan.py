"""The report plan (reports.plan): which figures the prose cites, and where."""

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest

from indicators.models import Area, Group, Indicator, ReportRole, TargetOperator, ValueType
from indicators.readings import IndicatorReading
from indicators.services import default_framework_data
from reports.models import ReportKind
from reports.plan import plan_report, shortfall_paragraphs

AREA = Area(name="社会矛盾纠纷化解")
GROUP = Group(area=AREA, name="行政应诉")


def indicator(code, *, role=ReportRole.SUPPORT, value_type=ValueType.RATE, **fields) -> Indicator:
    fields.setdefault("unit", "%" if value_type == ValueType.RATE else "件")
    return Indicator(code=code, group=GROUP, name=code, value_type=value_type, report_role=role, **fields)


@dataclass(frozen=True)
class Figure:
    indicator: Indicator
    current: IndicatorReading | None
    previous: IndicatorReading | None = None
    units: tuple = ()  # Unit entries, as the government report's tally counts them

    @property
    def unit_count(self):
        return len(self.units)

    @property
    def units_judged(self):
        return sum(1 for u in self.units if u.meets_target is not None)

    @property
    def units_below(self):
        return tuple(u.unit_name for u in self.units if u.meets_target is False)

    @property
    def meets_target(self):
        from reports.kinds.department_annual import Figure as Real

        return Real(self.indicator, self.current, self.previous).meets_target


@dataclass(frozen=True)
class Unit:
    unit_name: str
    meets_target: bool | None


def rate(num, den):
    return IndicatorReading(numerator=Decimal(num), denominator=Decimal(den))


def count(n):
    return IndicatorReading(value=Decimal(n))


TARGET = {"target_operator": TargetOperator.GTE, "target_value": Decimal(100), "preferred_direction": "up"}


def test_lead_figures_open_the_paragraph_and_table_figures_stay_out():
    figures = [
        Figure(indicator("S", phrase_template="支撑率达{rate}%"), rate(9, 10)),
        Figure(indicator("L", role=ReportRole.LEAD, phrase_template="出庭应诉率达{rate}%"), rate(99, 100)),
        Figure(indicator("T", role=ReportRole.TABLE, phrase_template="附表率达{rate}%"), rate(1, 2)),
    ]
    plan = plan_report(figures, kind=ReportKind.DEPARTMENT_ANNUAL)
    assert plan.area("社会矛盾纠纷化解").achievement_text == "出庭应诉率达99%，支撑率达90%。"


def test_a_paragraph_cites_only_a_few_figures():
    figures = [Figure(indicator(f"S{n}", phrase_template=f"第{n}项达{{rate}}%"), rate(n, 10)) for n in range(1, 9)]
    plan = plan_report(figures, kind=ReportKind.DEPARTMENT_ANNUAL)
    assert len(plan.area("社会矛盾纠纷化解").achievements) == 4


def test_the_congress_report_cites_headline_figures_only():
    figures = [
        Figure(indicator("L", role=ReportRole.LEAD, phrase_template="出庭应诉率达{rate}%"), rate(99, 100)),
        Figure(indicator("S", phrase_template="支撑率达{rate}%"), rate(9, 10)),
    ]
    plan = plan_report(figures, kind=ReportKind.CONGRESS_SURVEY)
    assert plan.area("社会矛盾纠纷化解").achievement_text == "出庭应诉率达99%。"


def test_a_missed_target_is_a_shortfall_and_not_an_achievement():
    figures = [Figure(indicator("L", phrase_template="报备及时率达{rate}%", **TARGET), rate(59, 124))]
    plan = plan_report(figures, kind=ReportKind.DEPARTMENT_ANNUAL)
    assert plan.achievement_codes == set()
    assert [s.text for s in plan.area("社会矛盾纠纷化解").shortfalls] == ["报备及时率为47.58%，低于100%的目标"]


def test_a_decline_goes_to_the_shortfalls_and_the_figure_stays_in_the_achievements_without_it():
    training = indicator("A3.4", value_type=ValueType.COUNT, unit="期", phrase_template="举办专题培训{value}期")
    training.preferred_direction = "up"
    plan = plan_report([Figure(training, count(27), count(42))], kind=ReportKind.DEPARTMENT_ANNUAL)
    area = plan.area("社会矛盾纠纷化解")
    assert area.achievement_text == "举办专题培训27期。"
    assert [s.text for s in area.shortfalls] == ["举办专题培训27期，较上年减少15期，下降35.71%"]


def test_empty_no_cases_and_unexplained_zero_say_nothing():
    figures = [
        Figure(indicator("E", phrase_template="a{rate}%"), None),
        Figure(indicator("N", phrase_template="b{rate}%", empty_phrase="全年无应述法领导干部人"), rate(0, 0)),
        Figure(indicator("Z", value_type=ValueType.COUNT, phrase_template="失信被执行人为{value}件"), count(0)),
    ]
    plan = plan_report(figures, kind=ReportKind.DEPARTMENT_ANNUAL)
    assert plan.area("社会矛盾纠纷化解").achievements == ()


def test_a_zero_with_a_natural_zero_sentence_says_it():
    losses = indicator("G2.2", phrase_template="败诉率为{rate}%", zero_phrase="全年未发生行政诉讼败诉案件")
    plan = plan_report([Figure(losses, rate(0, 95))], kind=ReportKind.DEPARTMENT_ANNUAL)
    assert plan.area("社会矛盾纠纷化解").achievement_text == "全年未发生行政诉讼败诉案件。"


def test_a_yes_no_measure_across_units_says_how_many_when_not_all():
    counsel = indicator("A4.1", value_type=ValueType.BOOLEAN, phrase_template="全面落实法律顾问制度")
    units = tuple(Unit(f"单位{n}", n < 17) for n in range(20))
    plan = plan_report([Figure(counsel, count(17), units=units)], kind=ReportKind.GOVERNMENT_ANNUAL, place="全市")
    area = plan.area("社会矛盾纠纷化解")
    assert area.achievement_text == "17个单位已落实法律顾问制度，占85%。"
    assert [s.text for s in area.shortfalls] == ["尚有3个单位未落实法律顾问制度"]


def test_a_yes_no_measure_of_every_unit_may_say_all():
    counsel = indicator("A4.1", value_type=ValueType.BOOLEAN, phrase_template="落实法律顾问制度")
    units = tuple(Unit(f"单位{n}", True) for n in range(13))
    plan = plan_report([Figure(counsel, count(13), units=units)], kind=ReportKind.GOVERNMENT_ANNUAL, place="全区")
    assert plan.area("社会矛盾纠纷化解").achievement_text == "全区13个单位均已落实法律顾问制度。"


def test_one_unit_says_nothing_about_units_meeting_the_target():
    appearance = indicator("G2.1", phrase_template="出庭应诉率达{rate}%", **TARGET)
    plan = plan_report([Figure(appearance, rate(3, 4), units=(Unit("甲", False),))], kind=ReportKind.GOVERNMENT_ANNUAL)
    assert [s.text for s in plan.area("社会矛盾纠纷化解").shortfalls] == ["出庭应诉率为75%，低于100%的目标"]


def test_a_branch_score_is_an_average():
    score = indicator("J1.1", value_type=ValueType.AMOUNT, unit="分", phrase_template="满意度为{value}分")
    units = (Unit("甲", None), Unit("乙", None))
    plan = plan_report([Figure(score, count("89.5"), units=units)], kind=ReportKind.GOVERNMENT_ANNUAL)
    assert plan.area("社会矛盾纠纷化解").achievement_text == "满意度平均为89.5分。"


def test_shortfalls_are_prose_with_a_few_figures_per_area():
    figures = [
        Figure(indicator(f"R{n}", phrase_template=f"第{n}率达{{rate}}%", **TARGET), rate(n, 10)) for n in range(1, 6)
    ]
    plan = plan_report(figures, kind=ReportKind.DEPARTMENT_ANNUAL)
    paragraphs = shortfall_paragraphs(plan)
    assert paragraphs[1].startswith("一是社会矛盾纠纷化解方面，第1率为10%，低于100%的目标；")
    assert paragraphs[1].count("；") == 2
    assert paragraphs[-1] == "其余未达到目标要求或较上年下降的指标，详见附件。"


def test_the_government_report_names_three_shortfalls_missed_targets_first_and_no_count():
    figures = []
    for n in range(1, 8):
        rated = indicator(f"R{n}", phrase_template=f"第{n}率达{{rate}}%", **TARGET)
        rated.group = Group(area=Area(name=f"第{n}领域"), name=f"组{n}")
        figures.append(Figure(rated, rate(n, 10)))
    plan = plan_report(figures, kind=ReportKind.GOVERNMENT_ANNUAL)
    paragraphs = shortfall_paragraphs(plan)
    assert paragraphs[0] == "对照年度考核指标，仍有一些指标未达到目标要求或较上年有所下降，主要是："
    assert len(paragraphs) == 5 and paragraphs[-1] == "其余未达到目标要求或较上年下降的指标，详见附件。"
    assert not any(re.search(r"\d+项指标", paragraph) for paragraph in paragraphs)


@pytest.fixture(scope="module")
def default_rows():
    return [row for row in default_framework_data()["tree"] if row["level"] == "indicator"]


def test_the_default_framework_puts_no_fraction_in_a_sentence(default_rows):
    assert [row["code"] for row in default_rows if "{num}/{den}" in row["phrase_template"]] == []


def test_the_default_framework_names_a_few_headline_figures_per_area(default_rows):
    leads: dict[str, int] = {}
    for row in default_rows:
        if row["report_role"] == ReportRole.LEAD:
            leads[row["code"][0]] = leads.get(row["code"][0], 0) + 1
    assert leads and all(1 <= n <= 5 for n in leads.values())


def test_the_default_framework_says_natural_zeros_for_what_should_not_happen(default_rows):
    for row in default_rows:
        if row["target_operator"] == "<=" and row["target_value"] in ("0", "0.00"):
            assert row["zero_phrase"], row["code"]


def test_statistics_a_unit_entered_are_cited_beyond_the_paragraphs_cap():
    figures = [Figure(indicator(f"S{n}", phrase_template=f"第{n}项达{{rate}}%"), rate(n, 10)) for n in range(1, 6)]
    figures += [
        Figure(
            indicator(
                f"T{n}", value_type=ValueType.COUNT, nature="statistical", phrase_template=f"统计{n}为{{value}}件"
            ),
            count(n),
        )
        for n in range(1, 4)
    ]
    plan = plan_report(figures, kind=ReportKind.DEPARTMENT_ANNUAL)
    text = plan.area("社会矛盾纠纷化解").achievement_text
    assert all(f"统计{n}为{n}件" in text for n in range(1, 4))
    assert "第5项" not in text

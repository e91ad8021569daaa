"""The government report's figures aggregated in SQL (reports.kinds.government_figures) equal the
Python computation they replaced, value for value (same Decimal exponent, so the same printed text):
on units with mixed states, rates with one part or no cases, targets of every operator and at the
rounding edge, yes/no indicators, averaged scores, unreported returns, a 历史数据年度 as last year, and
a lineage with a rename, a split and merges."""

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.selectors import department_subtree_ids
from assessments.models import AnnualReturn, IndicatorValue
from assessments.values import TYPED_COLUMNS, reading_of
from indicators.lineage import carry_forward
from indicators.models import (
    Area,
    Group,
    Indicator,
    IndicatorFramework,
    IndicatorNature,
    ScoringRule,
    TargetOperator,
    ValueType,
)
from indicators.rates import round_rate
from indicators.readings import IndicatorReading
from reports.kinds.department_annual import Figure
from reports.kinds.government_annual import AGGREGATED_TYPES, government_report_data
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db
D = Decimal
STATUS = AnnualReturn.Status


# --- the Python computation the SQL replaced (reports/kinds/government_annual.py before it) -------


def _python_aggregate(indicator, readings):
    filled = [r for r in readings if not r.is_empty]
    if indicator.value_type == ValueType.RATE and not filled:
        partial = [r for r in readings if r.is_partial]
        if not partial:
            return None
        return IndicatorReading(
            numerator=_part_total(partial, "numerator"), denominator=_part_total(partial, "denominator")
        )
    if not filled:
        return None
    if indicator.value_type == ValueType.RATE:
        return IndicatorReading(
            numerator=sum((D(r.numerator) for r in filled), D(0)),
            denominator=sum((D(r.denominator) for r in filled), D(0)),
        )
    if indicator.value_type == ValueType.BOOLEAN:
        return IndicatorReading(value=D(sum(1 for r in filled if r.value is True)))
    total = sum((D(r.value) for r in filled), D(0))
    if indicator.unit == "分":
        return IndicatorReading(value=round_rate(total / len(filled)))
    return IndicatorReading(value=total)


def _part_total(readings, part):
    known = [D(getattr(r, part)) for r in readings if r.is_figure and getattr(r, part) is not None]
    return sum(known, D(0)) if known else None


def _readings_by_return(returns, indicators_by_id):
    by_return = defaultdict(dict)
    columns = ("annual_return_id", "indicator_id", *TYPED_COLUMNS)
    rows = IndicatorValue.objects.filter(
        annual_return__in=[r.pk for r in returns], indicator__in=list(indicators_by_id)
    ).values_list(*columns)
    for values in rows:
        row = SimpleNamespace(**dict(zip(columns, values, strict=True)))
        indicator = indicators_by_id[row.indicator_id]
        by_return[row.annual_return_id][indicator.code] = reading_of(indicator, row)
    return by_return


def python_figures(government, year):
    """{code: the figure's fields} as the Python computation made them."""
    framework = IndicatorFramework.objects.get(year=year)
    unit_ids = department_subtree_ids(root_id=government.pk)
    indicators = list(Indicator.objects.filter(framework=framework, value_type__in=AGGREGATED_TYPES))
    returns = list(
        AnnualReturn.objects.filter(department_id__in=unit_ids, year=year)
        .select_related("department", "framework")
        .order_by("department__sort_order", "department__code")
    )
    current = _readings_by_return(returns, {i.pk: i for i in indicators})
    last_year = [
        r
        for r in AnnualReturn.objects.filter(department_id__in=unit_ids, year=year - 1).select_related("framework")
        if r.is_reported
    ]
    old = Indicator.objects.filter(
        framework_id__in={r.framework_id for r in last_year}, value_type__in=AGGREGATED_TYPES
    )
    last_readings = _readings_by_return(last_year, {i.pk: i for i in old}) if last_year else {}
    codes = {i.code: i.predecessor_codes for i in indicators}
    previous = {r.department_id: carry_forward(codes, last_readings.get(r.pk, {})) for r in last_year}
    found = {}
    for indicator in indicators:
        reported = [(r, current[r.pk].get(indicator.code)) for r in returns if r.is_reported]
        reported = [(r, reading) for r, reading in reported if reading is not None]
        readings = [reading for _, reading in reported]
        units = [(r.department.name, Figure(indicator, reading, None).meets_target) for r, reading in reported]
        is_rate = indicator.value_type == ValueType.RATE
        found[indicator.code] = {
            "current": _exact(_python_aggregate(indicator, readings)),
            "previous": _exact(
                _python_aggregate(
                    indicator,
                    [
                        previous[r.department_id][indicator.code]
                        for r, _ in reported
                        if indicator.code in previous.get(r.department_id, {})
                    ],
                )
            ),
            "unit_count": len(units),
            "units_judged": sum(1 for _, met in units if met is not None),
            "units_meeting": sum(1 for _, met in units if met is True),
            "units_below": tuple(name for name, met in units if met is False),
            "numerator_total": repr(_part_total(readings, "numerator")) if is_rate else "None",
            "denominator_total": repr(_part_total(readings, "denominator")) if is_rate else "None",
            "partial_units": tuple(r.department.name for r, reading in reported if reading.is_partial),
            "not_applicable_units": tuple(r.department.name for r, reading in reported if reading.is_not_applicable),
            "not_available_units": tuple(r.department.name for r, reading in reported if reading.is_not_available),
        }
    return found


def _exact(reading):
    """A reading with its Decimals as written (exponent included): 5 and 5.0000 print differently."""
    if reading is None:
        return None
    return (repr(reading.value), repr(reading.numerator), repr(reading.denominator), reading.state)


def sql_figures(government, year):
    data = government_report_data(government=government, year=year)
    return {
        f.indicator.code: {
            "current": _exact(f.current),
            "previous": _exact(f.previous),
            "unit_count": f.unit_count,
            "units_judged": f.units_judged,
            "units_meeting": f.units_meeting,
            "units_below": f.units_below,
            "numerator_total": repr(f.numerator_total),
            "denominator_total": repr(f.denominator_total),
            "partial_units": f.partial_units,
            "not_applicable_units": f.not_applicable_units,
            "not_available_units": f.not_available_units,
        }
        for f in data.figures
    }


# --- a framework with every kind of indicator, and returns with every kind of value -------------

# code, value type, unit, target operator, target value, extra fields
INDICATORS = [
    ("K1", ValueType.COUNT, "件", "", None, {}),
    ("K2", ValueType.COUNT, "件", TargetOperator.GTE, D(3), {}),
    ("K3", ValueType.COUNT, "件", TargetOperator.LTE, D(0), {}),
    ("K4", ValueType.COUNT, "件", TargetOperator.GT, D(2), {}),
    ("K5", ValueType.COUNT, "件", TargetOperator.LT, D(5), {}),
    ("K6", ValueType.COUNT, "件", TargetOperator.EQ, D(4), {}),
    ("K7", ValueType.COUNT, "件", TargetOperator.GTE, None, {}),  # an operator without a value
    ("S1", ValueType.COUNT, "件", "", None, {"nature": IndicatorNature.STATISTICAL}),
    ("M1", ValueType.AMOUNT, "万元", TargetOperator.GTE, D("12.5"), {}),
    ("M2", ValueType.AMOUNT, "分", TargetOperator.GTE, D("85.25"), {}),  # a score: averaged
    ("M3", ValueType.AMOUNT, "万元", TargetOperator.EQ, D("7.75"), {}),
    ("R1", ValueType.RATE, "%", TargetOperator.GTE, D(100), {}),
    ("R2", ValueType.RATE, "%", TargetOperator.GTE, D(90), {}),
    ("R3", ValueType.RATE, "%", TargetOperator.LTE, D(5), {}),
    ("R4", ValueType.RATE, "%", TargetOperator.GT, D("33.33"), {}),
    ("R5", ValueType.RATE, "%", TargetOperator.LT, D("66.67"), {}),
    ("R6", ValueType.RATE, "%", TargetOperator.EQ, D(50), {}),
    ("R7", ValueType.RATE, "%", "", None, {}),
    ("R8", ValueType.RATE, "%", TargetOperator.GTE, D(95), {"nature": IndicatorNature.STATISTICAL}),
    ("R9", ValueType.RATE, "%", "", None, {"target_date": datetime.date(2025, 6, 30)}),
    ("B1", ValueType.BOOLEAN, "", "", None, {}),
    ("B2", ValueType.BOOLEAN, "", TargetOperator.GTE, D(1), {}),
    ("B3", ValueType.BOOLEAN, "", TargetOperator.EQ, D(0), {}),
    # Lineage: N1 was O1 (renamed); P1 and P2 split from Q1; G1 merges rates, G2 counts, G4 yes/no
    # answers (nothing merges).
    ("N1", ValueType.RATE, "%", TargetOperator.GTE, D(80), {"previous_code": "O1"}),
    ("P1", ValueType.COUNT, "件", "", None, {"previous_code": "Q1"}),
    ("P2", ValueType.COUNT, "件", "", None, {"previous_code": "Q1"}),
    ("G1", ValueType.RATE, "%", TargetOperator.GTE, D(90), {"previous_code": "H1, H2"}),
    ("G2", ValueType.COUNT, "件", "", None, {"previous_code": "H3，H4"}),
    ("G4", ValueType.BOOLEAN, "", "", None, {"previous_code": "B1,B2"}),
]
# Last year's codes beside the unchanged ones.
OLD_INDICATORS = [
    ("O1", ValueType.RATE, "%"),
    ("Q1", ValueType.COUNT, "件"),
    ("H1", ValueType.RATE, "%"),
    ("H2", ValueType.RATE, "%"),
    ("H3", ValueType.COUNT, "件"),
    ("H4", ValueType.COUNT, "件"),
]
# Rates at the rounding edge of their targets: 19999/20000 = 99.995% prints 100.00%.
EDGE_RATES = [(19999, 20000), (19998, 20000), (1799, 2000), (17999, 20000), (1, 3), (2, 3), (1, 2), (0, 7)]


# code: (a rate that meets the target, one that misses it), both at the edge of rounding.
PLANTED = {
    "R1": ((19999, 20000), (19998, 20000)),  # ≥ 100%: 99.995% prints 100.00%; 99.99%
    "R2": ((17999, 20000), (1799, 2000)),  # ≥ 90%: 89.995% → 90.00%; 89.95%
    "R3": ((999, 20000), (1001, 20000)),  # ≤ 5%: 4.995% → 5.00%; 5.005% → 5.01%
    "R4": ((6667, 20000), (1, 3)),  # > 33.33%: 33.335% → 33.34%; 33.333…% → 33.33%
    "R5": ((133329, 200000), (2, 3)),  # < 66.67%: 66.6645% → 66.66%; 66.666…% → 66.67%
    "R6": ((9999, 20000), (10001, 20000)),  # = 50%: 49.995% → 50.00%; 50.005% → 50.01%
}


def _framework(year, specs, *, historical=False):
    framework = IndicatorFramework.objects.create(
        name=f"{year}年度指标", year=year, status=IndicatorFramework.Status.PUBLISHED, is_historical=historical
    )
    area = Area.objects.create(framework=framework, code="X", name="依法行政", max_points=100, order=1)
    group = Group.objects.create(area=area, code="X1", name="综合", max_points=100, order=1)
    for order, (code, value_type, unit, operator, target, extra) in enumerate(specs):
        statistical = extra.get("nature") == IndicatorNature.STATISTICAL
        Indicator.objects.create(
            framework=framework,
            group=group,
            code=code,
            name=f"指标{code}",
            value_type=value_type,
            unit=unit,
            target_operator=operator,
            target_value=target,
            max_points=D(0) if statistical else D(1),
            scoring_rule="" if statistical else ScoringRule.ALL_OR_NOTHING,
            allows_not_available=True,
            order=order,
            **extra,
        )
    return framework


def _random_value(rng, indicator):
    """Columns of one stored value: a figure of the indicator's type, one part of a rate, a 0/0 rate,
    an empty value, 不适用 or 暂无数据."""
    roll = rng.random()
    if roll < 0.08:
        return {"state": "not_applicable", "state_reason": "不涉及"}
    if roll < 0.14:
        return {"state": "not_available", "state_reason": "口径未建立"}
    if roll < 0.2:
        return {}  # stored, nothing entered
    kind = indicator.value_type
    if kind == ValueType.RATE:
        if roll < 0.28:
            part = {"numerator": D(rng.randint(0, 9))} if rng.random() < 0.5 else {"denominator": D(rng.randint(0, 9))}
            return part
        if roll < 0.33:
            return {"numerator": D(0), "denominator": D(0)}
        if roll < 0.5:
            numerator, denominator = rng.choice(EDGE_RATES)
            return {"numerator": D(numerator), "denominator": D(denominator)}
        denominator = rng.randint(1, 40)
        numerator = rng.randint(0, denominator)
        if rng.random() < 0.3:
            return {"numerator": D(numerator) + D("0.25"), "denominator": D(denominator) + D("0.5")}
        return {"numerator": D(numerator), "denominator": D(denominator)}
    if kind == ValueType.COUNT:
        return {"value_integer": rng.randint(0, 7)}
    if kind == ValueType.AMOUNT:
        return {"value_decimal": rng.choice([D("7.75"), D("12.5"), D("85.25"), D("85.2499"), D("90.1234"), D(3)])}
    return {"value_boolean": rng.random() < 0.6}


def _return(department, framework, status):
    submitted = timezone.make_aware(datetime.datetime(framework.year + 1, 2, 20, 10, 0))
    is_submitted = status not in (STATUS.NOT_STARTED, STATUS.IN_PROGRESS)
    return AnnualReturn.objects.create(
        department=department,
        framework=framework,
        year=framework.year,
        status=status,
        deadline=datetime.date(framework.year + 1, 3, 1),
        submitted_at=submitted if is_submitted else None,
        first_submitted_at=submitted if is_submitted else None,
    )


def _fill(rng, department, framework, *, status):
    annual_return = _return(department, framework, status)
    for indicator in framework.indicators.all():
        if rng.random() < 0.1:
            continue  # no value stored at all
        IndicatorValue.objects.create(annual_return=annual_return, indicator=indicator, **_random_value(rng, indicator))
    return annual_return


@pytest.fixture
def branch(cast):
    """Twelve units under the city (three of them in the county), values drawn from a fixed seed;
    2024 is a 历史数据年度 (its returns count though never submitted), 2025 a regular year with a
    draft and a return sent back among the submitted ones, and a unit outside the branch."""
    rng = random.Random(20251206)
    old_specs = [(c, t, u, o, v, {}) for c, t, u, o, v, e in INDICATORS if "previous_code" not in e]
    old_specs += [(c, t, u, "", None, {}) for c, t, u in OLD_INDICATORS]
    last = _framework(2024, old_specs, historical=True)
    this = _framework(2025, INDICATORS)
    units = [cast.dept_a, cast.dept_b, cast.county, cast.city]
    units += [DepartmentFactory(parent=cast.city, sort_order=n) for n in range(5)]
    units += [DepartmentFactory(parent=cast.county, sort_order=n) for n in range(3)]
    statuses = [STATUS.SUBMITTED, STATUS.APPROVED, STATUS.CONFIRMED] * 3 + [STATUS.IN_PROGRESS, STATUS.RETURNED]
    for number, unit in enumerate(units):
        if number != 5:  # one unit has no return last year
            _fill(rng, unit, last, status=STATUS.NOT_STARTED)
        _fill(rng, unit, this, status=statuses[number % len(statuses)])
    _fill(rng, DepartmentFactory(code="ELSEWHERE"), this, status=STATUS.SUBMITTED)
    # The rounding edges, planted: each pair reads the same to 2 decimals of a percent but for one.
    for code, (meets, misses) in PLANTED.items():
        for unit, (numerator, denominator) in ((cast.dept_a, meets), (cast.dept_b, misses)):
            IndicatorValue.objects.update_or_create(
                annual_return=AnnualReturn.objects.get(department=unit, year=2025),
                indicator=this.indicators.get(code=code),
                defaults={"numerator": D(numerator), "denominator": D(denominator), "state": "value"},
            )
    return cast


def test_the_sql_figures_equal_the_python_computation_for_the_city(branch):
    expected = python_figures(branch.city, 2025)
    found = sql_figures(branch.city, 2025)
    assert set(found) == set(expected)
    for code in expected:
        assert found[code] == expected[code], code


def test_the_sql_figures_equal_the_python_computation_for_a_county(branch):
    assert sql_figures(branch.county, 2025) == python_figures(branch.county, 2025)


def test_the_fixture_exercises_what_the_sql_must_get_right(branch):
    """Not a tautology check of the comparison: the fixture holds each case, so equality means something."""
    expected = python_figures(branch.city, 2025)
    assert any(f["units_below"] for f in expected.values())
    assert any(f["partial_units"] for f in expected.values())
    assert any(f["not_applicable_units"] and f["not_available_units"] for f in expected.values())
    for code in PLANTED:  # the unit at the edge meets, the one just past it does not
        assert branch.dept_b.name in expected[code]["units_below"], code
        assert branch.dept_a.name not in expected[code]["units_below"], code
    assert expected["S1"]["units_judged"] == 0 and expected["R9"]["units_judged"] == 0
    assert expected["K7"]["units_meeting"] == expected["K7"]["units_judged"] > 0
    for code in ("N1", "P1", "P2", "G1", "G2"):
        assert expected[code]["previous"] is not None, code
    assert expected["M2"]["current"][0] != repr(None)  # the averaged score


def test_a_merge_of_rates_sums_each_part_only_where_every_predecessor_has_it(cast):
    last = _framework(2024, [(c, t, u, "", None, {}) for c, t, u in OLD_INDICATORS])
    this = _framework(2025, [spec for spec in INDICATORS if spec[0] == "G1"])
    old = {i.code: i for i in last.indicators.all()}
    for unit, h2 in ((cast.dept_a, {"numerator": D(5), "denominator": D(6)}), (cast.dept_b, {"denominator": D(4)})):
        previous = _return(unit, last, STATUS.SUBMITTED)
        IndicatorValue.objects.create(annual_return=previous, indicator=old["H1"], numerator=D(3), denominator=D(4))
        IndicatorValue.objects.create(annual_return=previous, indicator=old["H2"], **h2)
        current = _return(unit, this, STATUS.SUBMITTED)
        IndicatorValue.objects.create(
            annual_return=current, indicator=this.indicators.get(), numerator=D(1), denominator=D(1)
        )
    figure = government_report_data(government=cast.city, year=2025).figures[0]
    # dept_a: 8/10; dept_b: numerator only from H1 (H2 lacks it), denominator 4 + 4 = 8 → one part alone.
    assert (figure.previous.numerator, figure.previous.denominator) == (D(8), D(10))
    assert sql_figures(cast.city, 2025) == python_figures(cast.city, 2025)

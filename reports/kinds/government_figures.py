"""The government report's branch-wide figures, aggregated in the database.

A city's report covers ~300 units and ~130 indicators: reading every stored value of two years into
Python (~56,000 rows) was most of its build time. One query now returns a few rows per indicator
and says in SQL what the report says of a branch figure (`government_annual` module docstring):

- **this year**: each stored value of the reported returns in scope is classed (不适用 A, 暂无数据 V,
  a rate with one part P, a complete figure F, an empty figure E) and judged against the
  indicator's target exactly as `indicators.scoring.indicator.meets_target` judges one reading
  ('1' met, '0' missed, '-' neither); rows are grouped by (indicator, class, judgement) with their
  sums and the returns of the units the report names (states, one part alone, a missed target);
- **last year**: beside each of those values, last year's reading of the same unit carried through
  the framework's lineage (`previous_code`: renames, splits, merges) as
  `indicators.lineage.carry_forward` carries it, summed in the same groups, so that the comparison
  is like for like (the units with a value this year).

Python adds up each indicator's few rows into the branch reading: Σ parts of a rate over the units
with both parts, Σ counts, the mean of scores, the number of 是. `tests/reports/test_government_figures.py`
holds the Python computation this replaces and checks both agree on mixed states, rates with missing
parts, targets of every operator, historical years and lineage. Plain SQL for PostgreSQL and SQLite;
ids and our own constants are written into it as numbers, the framework's codes are parameters.
Measured in bench/baselines/city-report-build-reportperf.md.
"""

import decimal
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import connection

from assessments.models import IndicatorValue
from indicators.models import Indicator, TargetOperator, ValueState, ValueType
from indicators.rates import round_rate
from indicators.readings import IndicatorReading

from .. import editorial

AGGREGATED_TYPES = (ValueType.COUNT, ValueType.AMOUNT, ValueType.RATE, ValueType.BOOLEAN)
# Scores (测评得分, 满意度得分) do not add up across units: the branch figure is their mean.
AVERAGED_UNITS = editorial.SCORE_UNITS
QUANTUM = Decimal(1).scaleb(-IndicatorValue._meta.get_field("value_decimal").decimal_places)
FLOAT_CONTEXT = decimal.Context(prec=15)  # SQLite keeps 15 significant digits (as Django reads it)

# Classes of a stored value; judgements of a unit's figure.
NOT_APPLICABLE, NOT_AVAILABLE, OTHER_STATE, PARTIAL, FIGURE, EMPTY = "A", "V", "S", "P", "F", "E"
MET, MISSED, NOT_JUDGED = "1", "0", "-"


class ReturnRef(NamedTuple):
    """A return as the query takes it (a city has ~300 a year: no model instances)."""

    pk: int
    department_id: int
    framework_id: int
    unit_name: str = ""


@dataclass(frozen=True)
class BranchTally:
    """One indicator over the reported units of a branch."""

    current: IndicatorReading | None  # the branch figure (None if no unit reported a figure or a part)
    previous: IndicatorReading | None = None  # last year's, of the same units
    unit_count: int = 0  # units with a stored value for it, whatever its state
    units_judged: int = 0
    units_meeting: int = 0
    units_below: tuple[str, ...] = ()
    numerator_total: Decimal | None = None  # rates: each part Σ over every unit that reported it
    denominator_total: Decimal | None = None
    partial_units: tuple[str, ...] = ()
    not_applicable_units: tuple[str, ...] = ()
    not_available_units: tuple[str, ...] = ()


def _decimal(value: Decimal | int | float | None) -> Decimal | None:
    """A DecimalField sum as Django reads a column: PostgreSQL returns a Decimal with the column's
    scale; SQLite an int or a float, brought back to the column's decimal places."""
    if value is None or isinstance(value, Decimal):
        return value
    return FLOAT_CONTEXT.create_decimal_from_float(value).quantize(QUANTUM)


def _plus(total: Decimal | None, value: Decimal | None) -> Decimal | None:
    if value is None:
        return total
    return value if total is None else total + value


@dataclass
class _Sums:
    """Totals of some of an indicator's units: how many, and Σ of each column (None: no unit had one)."""

    count: int = 0
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None
    yes: int = 0

    def add(
        self,
        count: int | None,
        numerator: Decimal | int | float | None,
        denominator: Decimal | int | float | None,
        value: Decimal | None,  # already a Decimal: a count or an amount brought back by the caller
        yes: int | None,
    ) -> None:
        self.count += int(count or 0)
        self.numerator = _plus(self.numerator, _decimal(numerator))
        self.denominator = _plus(self.denominator, _decimal(denominator))
        self.value = _plus(self.value, value)
        self.yes += int(yes or 0)


@dataclass
class _Found:
    """One indicator's rows of the query, added up."""

    by_class: dict[str, _Sums] = field(default_factory=dict)
    judged: dict[str, int] = field(default_factory=dict)
    named: dict[str, list[tuple[int, str]]] = field(default_factory=dict)  # class or MISSED: (position, name)
    previous: _Sums = field(default_factory=_Sums)  # last year's complete figures
    previous_parts: _Sums = field(default_factory=_Sums)  # last year's rates with one part

    def sums(self, *classes: str) -> _Sums:
        total = _Sums()
        for name in classes:
            part = self.by_class.get(name)
            if part is not None:
                total.add(part.count, part.numerator, part.denominator, part.value, part.yes)
        return total

    def names(self, key: str) -> tuple[str, ...]:
        return tuple(name for _, name in sorted(self.named.get(key, ())))


def branch_reading(indicator: Indicator, filled: _Sums, partial: _Sums) -> IndicatorReading | None:
    """The branch's figure from the sums of its units' complete figures (`filled`) and, for a rate
    none reported whole, of the parts reported alone (`partial`): the rate is then 无法计算."""
    value_type = indicator.value_type
    if value_type == ValueType.RATE:
        if filled.count:
            return IndicatorReading(numerator=filled.numerator, denominator=filled.denominator)
        if partial.count:
            return IndicatorReading(numerator=partial.numerator, denominator=partial.denominator)
        return None
    if not filled.count:
        return None
    if value_type == ValueType.BOOLEAN:
        return IndicatorReading(value=Decimal(filled.yes))  # how many units answered 是
    total = filled.value if filled.value is not None else Decimal(0)
    if indicator.unit in AVERAGED_UNITS:
        return IndicatorReading(value=round_rate(total / filled.count))
    return IndicatorReading(value=total)


# --- how units are judged -------------------------------------------------------------------------

# Integer codes the query compares instead of strings (passed in with each indicator).
RATE, COUNT, AMOUNT, BOOLEAN = 1, 2, 3, 4
KIND_CODES: dict[str, int] = {
    ValueType.RATE: RATE,
    ValueType.COUNT: COUNT,
    ValueType.AMOUNT: AMOUNT,
    ValueType.BOOLEAN: BOOLEAN,
}
# A unit's figure is judged never (statistical, a date target, no target on a figure), by itself
# (是 meets, 否 misses, any other complete figure meets: a yes/no indicator without a target value)
# or against a range of its measure (an operator target).
NEVER, ITSELF, RANGE = 0, 1, 2
UNITS = 10000  # values have 4 decimals: a measure is compared in ten-thousandths, a whole number


def judging(indicator: Indicator) -> tuple[int, int | None, int | None]:
    """(mode, low, high) of `meets_target` for the indicator's units. Counts, amounts and 是 (1) are
    measured in ten-thousandths and meet a RANGE target when low ≤ measure ≤ high. A rate with
    numerator n and denominator d meets it when low·d ≤ 100000·n < high·d: its percentage rounded
    half up to 2 decimals reaches T exactly when 100·n/d ≥ T − 0.005, i.e. 100000·n ≥ (1000·T − 5)·d."""
    if indicator.is_statistical:
        return NEVER, None, None
    if not indicator.target_operator and indicator.target_date is None:
        return (ITSELF if indicator.value_type == ValueType.BOOLEAN else NEVER), None, None
    if indicator.target_date is not None:
        return NEVER, None, None  # a date target: no aggregated figure is a date
    if indicator.target_value is None:
        return ITSELF, None, None
    operator = indicator.target_operator
    if indicator.value_type == ValueType.RATE:
        thousandfold = int(indicator.target_value * 1000)  # 1000·T: T has 2 decimals
        below, above = thousandfold - 5, thousandfold + 5
        rate_bounds: dict[str, tuple[int | None, int | None]] = {
            TargetOperator.GTE: (below, None),
            TargetOperator.GT: (above, None),
            TargetOperator.LTE: (None, above),
            TargetOperator.LT: (None, below),
            TargetOperator.EQ: (below, above),
        }
        return RANGE, *rate_bounds[operator]
    target = int(indicator.target_value * UNITS)
    bounds: dict[str, tuple[int | None, int | None]] = {
        TargetOperator.GTE: (target, None),
        TargetOperator.GT: (target + 1, None),
        TargetOperator.LTE: (None, target),
        TargetOperator.LT: (None, target - 1),
        TargetOperator.EQ: (target, target),
    }
    return RANGE, *bounds[operator]


# --- the query ------------------------------------------------------------------------------------


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _ints(values: Iterable[int]) -> str:
    """Whole numbers written into the query (ids, codes of our own): no parameter to bind."""
    return ", ".join(str(int(value)) for value in values)


def _int_or_null(value: int | None) -> str:
    return "NULL" if value is None else str(int(value))


def _exact(column: str, scale: int = UNITS) -> str:
    """A 4-decimal column times `scale`: exact on PostgreSQL's numeric; SQLite's floats are rounded
    back to the whole number they stand for."""
    if connection.vendor == "postgresql":
        return f"{column} * {scale}" if scale != 1 else column
    return f"ROUND({column} * {scale})"


def _id_list(expression: str) -> str:
    """The group's ids (those not NULL), comma-separated."""
    if connection.vendor == "postgresql":
        return f"STRING_AGG(CAST({expression} AS TEXT), ',')"
    return f"GROUP_CONCAT({expression}, ',')"


def _fence() -> str:
    """Plan a CTE's query on its own and compute its columns once per row, without storing its rows.
    PostgreSQL inlines a CTE read once into the query that reads it: this year's CASE expressions would
    be copied into each aggregate that uses them, and last year's values read by indicator (~30,000
    index lookups at city scale, the planner taking the lineage list for one row). `OFFSET 0` keeps
    the subquery apart; MATERIALIZED did too, but wrote ~50,000 rows to a tuple store and read them
    back (the query's database CPU at city scale 93 → 75 ms, bench/baselines)."""
    return "OFFSET 0" if connection.vendor == "postgresql" else ""


def _settings_sql(indicators: Sequence[Indicator]) -> str:
    """(indicator, kind, mode, low, high) per indicator; the first row typed, as a column may be all NULL."""
    rows = []
    for number, indicator in enumerate(indicators):
        mode, low, high = judging(indicator)
        cells = [str(int(indicator.pk)), str(KIND_CODES[indicator.value_type]), str(mode)]
        cells += [_int_or_null(low), _int_or_null(high)]
        if number == 0:
            cells[3:] = [f"CAST({cell} AS BIGINT)" for cell in cells[3:]]
        rows.append(f"({', '.join(cells)})")
    return ", ".join(rows)


def _lineage_sql(indicators: Sequence[Indicator]) -> tuple[str, list[str]]:
    """(this year's indicator, a code it continues, whether it continues several) per pair, the codes
    (typed by users) as parameters."""
    rows, codes = [], []
    for indicator in indicators:
        predecessors = indicator.predecessor_codes
        for code in predecessors:
            rows.append(f"({int(indicator.pk)}, %s, {int(len(predecessors) > 1)})")
            codes.append(code)
    return ", ".join(rows), codes


def _pairs_sql(returns: Sequence[ReturnRef], last_year: Sequence[ReturnRef]) -> str:
    """(last year's return, this year's return) of each unit with both."""
    current = {r.department_id: r.pk for r in returns}
    pairs = [(r.pk, current[r.department_id]) for r in last_year if r.department_id in current]
    none = "(CAST(NULL AS BIGINT), CAST(NULL AS BIGINT))"  # typed, to join on
    return ", ".join(f"({int(old)}, {int(new)})" for old, new in pairs) or none


MERGED_SQL = """UNION ALL
            SELECT new_id, current_id,
                   CASE WHEN n = 1 THEN nfig WHEN nfig > 0 AND (nrate = nfig OR nval = nfig) THEN 1 ELSE 0 END,
                   CASE WHEN n = 1 THEN num WHEN nrate = nfig AND nnum = nfig THEN num END,
                   CASE WHEN n = 1 THEN den WHEN nrate = nfig AND nden = nfig THEN den END,
                   CASE WHEN n = 1 OR (nrate < nfig AND nval = nfig) THEN val END,
                   CASE WHEN n = 1 THEN yes END
            FROM (
                SELECT new_id, current_id, COUNT(*) AS n, SUM(fig) AS nfig,
                       SUM(CASE WHEN num IS NOT NULL OR den IS NOT NULL THEN 1 ELSE 0 END) AS nrate,
                       COUNT(num) AS nnum, COUNT(den) AS nden, COUNT(val) AS nval,
                       SUM(num) AS num, SUM(den) AS den, SUM(val) AS val, MAX(yes) AS yes
                FROM old WHERE merged = 1
                GROUP BY new_id, current_id
            ) grouped"""


def _query(
    indicators: Sequence[Indicator], returns: Sequence[ReturnRef], last_year: Sequence[ReturnRef]
) -> tuple[str, list[str]]:
    values, indicator_table = _q(IndicatorValue._meta.db_table), _q(Indicator._meta.db_table)
    figure = f"v.state = '{ValueState.VALUE.value}'"
    complete = f"""CASE g.kind
        WHEN {RATE} THEN v.numerator IS NOT NULL AND v.denominator IS NOT NULL
        WHEN {COUNT} THEN v.value_integer IS NOT NULL
        WHEN {AMOUNT} THEN v.value_decimal IS NOT NULL
        ELSE v.value_boolean IS NOT NULL END"""
    n, d = _exact("v.numerator"), _exact("v.denominator")
    measure = f"""CASE g.kind WHEN {COUNT} THEN v.value_integer * {UNITS}
        WHEN {AMOUNT} THEN {_exact("v.value_decimal")}
        ELSE CASE WHEN v.value_boolean THEN {UNITS} ELSE 0 END END"""
    named = f"r.c IN ('{NOT_APPLICABLE}', '{NOT_AVAILABLE}', '{PARTIAL}') OR r.j = '{MISSED}'"
    kinds = ", ".join(f"'{t.value}'" for t in AGGREGATED_TYPES)
    type_is = {t: f"i.value_type = '{t.value}'" for t in AGGREGATED_TYPES}
    lineage, codes = _lineage_sql(indicators)
    # Last year's values count only beside a value of the same unit this year (pairs): the returns of
    # units without a return this year are not read at all (a quarter of last year's rows at city scale).
    current_units = {r.department_id for r in returns}
    last_year = [r for r in last_year if r.department_id in current_units]
    # Codes repeat across years: last year's framework(s) only, else the join reads every year's values.
    last_frameworks = _ints({r.framework_id for r in last_year}) or "NULL"
    last_returns = _ints(r.pk for r in last_year) or "NULL"
    # Merging several predecessors takes a group per (indicator, unit): only built when one has.
    merges = MERGED_SQL if any(len(i.predecessor_codes) > 1 for i in indicators) else ""
    # settings: per indicator its kind and how its units are judged (`judging`).
    # this_year: this year's values with their class c and judgement j.
    # old_values: last year's values of the branch, read by return as this year's are (left to the
    #   planner, PostgreSQL read them by indicator: ~30,000 index lookups at city scale).
    # old: last year's values of the codes each indicator continues (lineage), read as their own
    #   type, under this year's return of the same unit (pairs).
    # carried: per (indicator, return) the reading carry_forward makes: one predecessor as it is;
    #   several merged: parts of rates summed where every predecessor has that part, numbers summed
    #   where every one is a number, else nothing.
    # previous: which carried readings are complete figures (filled) or one part of a rate (part).
    # Then per (indicator, class, judgement) both years' sums and the returns of the units the report
    # names (a state, a part alone, a missed target).
    sql = f"""
        WITH settings (indicator_id, kind, mode, low, high) AS (VALUES {_settings_sql(indicators)}),
        lineage (new_id, old_code, merged) AS (VALUES {lineage}),
        pairs (last_id, current_id) AS (VALUES {_pairs_sql(returns, last_year)}),
        this_year AS (
            SELECT v.indicator_id, v.annual_return_id, v.numerator, v.denominator, v.value_integer,
                   v.value_decimal, v.value_boolean,
                   CASE WHEN v.state = '{ValueState.NOT_APPLICABLE.value}' THEN '{NOT_APPLICABLE}'
                        WHEN v.state = '{ValueState.NOT_AVAILABLE.value}' THEN '{NOT_AVAILABLE}'
                        WHEN NOT {figure} THEN '{OTHER_STATE}'
                        WHEN {complete} THEN '{FIGURE}'
                        WHEN g.kind = {RATE} AND (v.numerator IS NOT NULL OR v.denominator IS NOT NULL)
                            THEN '{PARTIAL}'
                        ELSE '{EMPTY}' END AS c,
                   CASE WHEN NOT {figure} OR g.mode = {NEVER} THEN '{NOT_JUDGED}'
                        WHEN g.kind = {RATE} AND v.denominator = 0 THEN '{NOT_JUDGED}'
                        WHEN NOT {complete} THEN '{NOT_JUDGED}'
                        WHEN g.mode = {ITSELF} THEN
                            CASE WHEN g.kind = {BOOLEAN} AND NOT v.value_boolean THEN '{MISSED}' ELSE '{MET}' END
                        WHEN g.kind = {RATE} THEN
                            CASE WHEN (g.low IS NULL OR 100000 * {n} >= g.low * {d})
                                  AND (g.high IS NULL OR 100000 * {n} < g.high * {d}) THEN '{MET}' ELSE '{MISSED}' END
                        ELSE CASE WHEN (g.low IS NULL OR {measure} >= g.low) AND (g.high IS NULL OR {measure} <= g.high)
                             THEN '{MET}' ELSE '{MISSED}' END
                   END AS j
            FROM {values} v JOIN settings g ON g.indicator_id = v.indicator_id
            WHERE v.annual_return_id IN ({_ints(r.pk for r in returns)})
            {_fence()}
        ),
        old_values AS (
            SELECT v.annual_return_id, v.indicator_id, v.state, v.numerator, v.denominator, v.value_integer,
                   v.value_decimal, v.value_boolean
            FROM {values} v WHERE v.annual_return_id IN ({last_returns})
            {_fence()}
        ),
        old AS (
            SELECT m.new_id, m.merged, p.current_id,
                   CASE WHEN {figure} THEN 1 ELSE 0 END AS fig,
                   CASE WHEN {figure} AND {type_is[ValueType.RATE]} THEN v.numerator END AS num,
                   CASE WHEN {figure} AND {type_is[ValueType.RATE]} THEN v.denominator END AS den,
                   CASE WHEN {figure} AND {type_is[ValueType.COUNT]} THEN v.value_integer
                        WHEN {figure} AND {type_is[ValueType.AMOUNT]} THEN v.value_decimal END AS val,
                   CASE WHEN {figure} AND {type_is[ValueType.BOOLEAN]} THEN
                        CASE WHEN v.value_boolean THEN 1 WHEN NOT v.value_boolean THEN 0 END END AS yes
            FROM old_values v
            JOIN pairs p ON p.last_id = v.annual_return_id
            JOIN {indicator_table} i ON i.id = v.indicator_id
            JOIN lineage m ON m.old_code = i.code
            WHERE i.framework_id IN ({last_frameworks}) AND i.value_type IN ({kinds})
        ),
        carried AS (
            SELECT new_id, current_id, fig, num, den, val, yes FROM old WHERE merged = 0
            {merges}
        ),
        previous AS (
            SELECT c.new_id, c.current_id, c.num, c.den, c.val, c.yes,
                   CASE WHEN c.fig = 1 AND ((c.num IS NOT NULL AND c.den IS NOT NULL)
                        OR (c.num IS NULL AND c.den IS NULL AND (c.val IS NOT NULL OR c.yes IS NOT NULL)))
                        THEN 1 ELSE 0 END AS filled,
                   CASE WHEN c.fig = 1 AND ((c.num IS NULL AND c.den IS NOT NULL)
                        OR (c.num IS NOT NULL AND c.den IS NULL)) THEN 1 ELSE 0 END AS part
            FROM carried c
        )
        SELECT r.indicator_id, r.c, r.j, {_id_list(f"CASE WHEN {named} THEN r.annual_return_id END")},
               COUNT(*), SUM(r.numerator), SUM(r.denominator), SUM(r.value_integer), SUM(r.value_decimal),
               SUM(CASE WHEN r.value_boolean THEN 1 ELSE 0 END),
               SUM(p.filled), SUM(CASE WHEN p.filled = 1 THEN p.num END), SUM(CASE WHEN p.filled = 1 THEN p.den END),
               SUM(CASE WHEN p.filled = 1 THEN p.val END), SUM(CASE WHEN p.filled = 1 AND p.yes = 1 THEN 1 ELSE 0 END),
               SUM(p.part), SUM(CASE WHEN p.part = 1 THEN p.num END), SUM(CASE WHEN p.part = 1 THEN p.den END)
        FROM this_year r LEFT JOIN previous p ON p.new_id = r.indicator_id AND p.current_id = r.annual_return_id
        GROUP BY 1, 2, 3
    """  # noqa: S608 - table names from models; ids, codes and constants of our own as numbers; user text as parameters
    return sql, codes


def branch_tallies(
    indicators: Sequence[Indicator], returns: Sequence[ReturnRef], last_year: Sequence[ReturnRef] = ()
) -> dict[int, BranchTally]:
    """{indicator id: tally} over `returns` (this year's reported returns in report order) and, for
    the comparison, `last_year` (last year's reported returns of the branch)."""
    if not indicators or not returns:
        return {}
    position = {r.pk: (number, r.unit_name) for number, r in enumerate(returns)}
    by_id = {i.pk: i for i in indicators}
    found: dict[int, _Found] = {}
    with connection.cursor() as cursor:
        cursor.execute(*_query(indicators, returns, last_year))
        rows = cursor.fetchall()
    for row in rows:
        indicator_id, kind, judged, named, count, numerator, denominator, integer, amount, yes = row[:10]
        is_count = by_id[indicator_id].value_type == ValueType.COUNT
        tally = found.setdefault(indicator_id, _Found())
        value = (None if integer is None else Decimal(integer)) if is_count else _decimal(amount)
        tally.by_class.setdefault(kind, _Sums()).add(count, numerator, denominator, value, yes)
        tally.judged[judged] = tally.judged.get(judged, 0) + count
        if named:  # a state, a part alone or a missed target: the units' returns
            units = [position[int(pk)] for pk in str(named).split(",")]
            tally.named.setdefault(MISSED if judged == MISSED else kind, []).extend(units)
        filled, numerator, denominator, value, yes, partial, part_numerator, part_denominator = row[10:]
        value = (None if value is None else Decimal(value)) if is_count else _decimal(value)
        tally.previous.add(filled, numerator, denominator, value, yes)
        tally.previous_parts.add(partial, part_numerator, part_denominator, None, 0)
    return {i.pk: _tally(i, found[i.pk]) for i in indicators if i.pk in found}


def _tally(indicator: Indicator, found: _Found) -> BranchTally:
    parts = found.sums(FIGURE, PARTIAL)
    is_rate = indicator.value_type == ValueType.RATE
    return BranchTally(
        current=branch_reading(indicator, found.sums(FIGURE), found.sums(PARTIAL)),
        previous=branch_reading(indicator, found.previous, found.previous_parts),
        unit_count=sum(s.count for s in found.by_class.values()),
        units_judged=found.judged.get(MET, 0) + found.judged.get(MISSED, 0),
        units_meeting=found.judged.get(MET, 0),
        units_below=found.names(MISSED),
        numerator_total=parts.numerator if is_rate else None,
        denominator_total=parts.denominator if is_rate else None,
        partial_units=found.names(PARTIAL),
        not_applicable_units=found.names(NOT_APPLICABLE),
        not_available_units=found.names(NOT_AVAILABLE),
    )

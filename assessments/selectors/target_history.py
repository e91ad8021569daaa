"""Whether any unit met a target last year: a target nobody reached is likely unreachable in practice
(the framework's targets are reviewed before publishing; indicators.targets.target_warnings)."""

from collections import defaultdict

from indicators.lineage import carry_forward
from indicators.models import IndicatorFramework
from indicators.scoring import meets_target
from indicators.selectors import framework_tree, previous_framework

from ..models import AnnualReturn, IndicatorValue
from ..values import TYPED_COLUMNS, reading_of

REPORTED = (AnnualReturn.Status.SUBMITTED, AnnualReturn.Status.APPROVED, AnnualReturn.Status.CONFIRMED)


def targets_unmet_last_year(framework: IndicatorFramework) -> list[str]:
    """One warning per indicator with a target that some units reported last year and none met.
    Two queries for the values, whatever the number of units."""
    previous = previous_framework(framework)
    if previous is None:
        return []
    targeted = [i for i in framework.indicators.all() if i.target_operator or i.target_date is not None]
    if not targeted:
        return []
    old_by_id = {indicator.pk: indicator for indicator in framework_tree(previous).indicators}
    readings: dict[int, dict] = defaultdict(dict)
    rows = IndicatorValue.objects.filter(annual_return__framework=previous)
    if not previous.is_historical:  # a 历史数据年度's figures are never submitted, and all count
        rows = rows.filter(annual_return__status__in=REPORTED)
    for row in rows.only("annual_return_id", "indicator_id", *TYPED_COLUMNS):
        indicator = old_by_id.get(row.indicator_id)
        if indicator is not None:
            readings[row.annual_return_id][indicator.code] = reading_of(indicator, row)
    codes = {indicator.code: indicator.predecessor_codes for indicator in targeted}
    judged: defaultdict[str, int] = defaultdict(int)
    met: defaultdict[str, int] = defaultdict(int)
    for by_code in readings.values():
        carried = carry_forward(codes, by_code)
        for indicator in targeted:
            reading = carried.get(indicator.code)
            outcome = meets_target(indicator, reading) if reading is not None and not reading.is_empty else None
            if outcome is not None:
                judged[indicator.code] += 1
                met[indicator.code] += bool(outcome)
    return [
        f"{indicator.code} {indicator.name}：{previous.year}年填报的{judged[indicator.code]}个单位无一达到目标"
        f"{indicator.target_display}，请核实目标是否合理"
        for indicator in targeted
        if judged[indicator.code] and not met[indicator.code]
    ]

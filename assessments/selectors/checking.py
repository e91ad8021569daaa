"""Everything that stands between a return and its submission, computed from loaded data (no queries).

Blocking: an input that could not be read, a required value or section missing, required evidence
missing, an error-level rule failing, a relation between figures violated (shown on each figure it
involves), a warning on an indicator without an explanation. Warnings that belong to no single
indicator are shown but block nothing (there is no field to explain them in).

Required-ness is the indicator's for the unit's kind. 不适用 and 暂无数据 (with their reason) fill a
value; so does one part of a rate alone, which is a warning: the rate cannot be computed, and a
required rate so left needs an explanation.
"""

from dataclasses import dataclass, field

from indicators.models import ValueType
from indicators.relations import contradictions, relation_rules
from indicators.validation import ValidationIssue, check_rules, check_year_over_year

from ..models import NarrativeSection
from ..values import is_filled, reading_of
from .returns import ReturnData

# 其他需要报告的情况 may honestly be empty; the other four sections are required by the 2019 rules.
REQUIRED_SECTIONS = (
    NarrativeSection.Kind.MEASURES,
    NarrativeSection.Kind.SHORTCOMINGS,
    NarrativeSection.Kind.LEADERSHIP,
    NarrativeSection.Kind.NEXT_YEAR,
)


@dataclass(frozen=True)
class Problem:
    message: str
    is_blocking: bool
    indicator_id: int | None = None
    narrative_kind: str = ""
    is_warning: bool = False  # a rule's warning (explained or not)


@dataclass(frozen=True)
class ReturnCheck:
    problems: tuple[Problem, ...] = ()
    by_indicator: dict[int, tuple[Problem, ...]] = field(default_factory=dict)

    @property
    def blocking(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.is_blocking]

    @property
    def is_submittable(self) -> bool:
        return not self.blocking

    @property
    def explained_warnings(self) -> list[Problem]:
        """Rule warnings that block nothing (explained, or with no field to explain them in)."""
        return [problem for problem in self.problems if problem.is_warning and not problem.is_blocking]

    @property
    def general(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.indicator_id is None and not problem.narrative_kind]

    def for_narrative(self, kind: str) -> list[Problem]:
        return [problem for problem in self.problems if problem.narrative_kind == kind]


def return_check(data: ReturnData) -> ReturnCheck:
    problems: list[Problem] = []
    by_code = {indicator.code: indicator for indicator in data.applicable}
    kind = data.annual_return.department.kind
    for indicator in data.applicable:
        row = data.row_for(indicator)
        if row is None:
            continue
        is_required = indicator.is_required_for(kind)
        if indicator.is_wholly_provided:
            continue  # a 数据提供单位's figure: never the unit's to complete or correct (it may dispute it)
        if row.input_error:
            problems.append(Problem(f"输入有误：{row.input_error}", True, indicator.pk))
        elif is_required and not is_filled(indicator, row):
            problems.append(Problem("尚未填写", True, indicator.pk))
        elif (
            indicator.is_rate
            and reading_of(indicator, row).is_partial
            and not _is_provided_part_missing(indicator, row)
        ):
            problems.append(_partial_rate_problem(indicator, row, is_required=is_required))
        needs_files = indicator.is_evidence_required or indicator.value_type == ValueType.EVIDENCE
        if needs_files and not data.evidence_counts.get(indicator.pk):
            problems.append(Problem("须上传佐证材料", indicator.is_evidence_required, indicator.pk))
    problems += [_problem_of(issue, data, by_code) for issue in _rule_issues(data)]
    problems += _relation_problems(data, by_code)
    for kind in REQUIRED_SECTIONS:
        section = data.narratives.get(kind)
        if section is not None and not section.text.strip():
            problems.append(Problem(f"“{section.get_kind_display()}”尚未填写", True, narrative_kind=kind))
    grouped: dict[int, list[Problem]] = {}
    for problem in problems:
        if problem.indicator_id is not None:
            grouped.setdefault(problem.indicator_id, []).append(problem)
    return ReturnCheck(tuple(problems), {key: tuple(value) for key, value in grouped.items()})


def _is_provided_part_missing(indicator, row) -> bool:
    """The missing part of a rate is the one a 数据提供单位 provides: not the unit's to fill."""
    missing = "numerator" if row.numerator is None else "denominator"
    return missing in indicator.provided_parts


def _partial_rate_problem(indicator, row, *, is_required: bool) -> Problem:
    missing = indicator.numerator_label if row.numerator is None else indicator.denominator_label
    message = f"只填了一项，{missing or ('分子' if row.numerator is None else '分母')}未填，比率无法计算"
    explained = bool(row.explanation.strip())
    if not is_required:
        return Problem(message, False, indicator.pk)
    if explained:
        return Problem(message, False, indicator.pk, is_warning=True)
    return Problem(f"{message}（须在“情况说明”中说明原因）", True, indicator.pk, is_warning=True)


def _all_rules(data: ReturnData) -> list:
    return [rule for node in _indicator_nodes(data) for rule in node.validation_rules] + list(data.tree.cross_rules)


def _relation_problems(data: ReturnData, by_code: dict) -> list[Problem]:
    """Each violated relation blocks once (on its first figure's indicator) and is shown beside every
    other figure it involves, so the user sees both sides of the contradiction."""
    problems = []
    for item in contradictions(_all_rules(data), data.readings):
        involved = [by_code[code] for code in item.codes if code in by_code and data.row_for(by_code[code])]
        message = f"数据矛盾：{item.message}"
        if not involved:
            problems.append(Problem(message, True))
            continue
        problems += [Problem(message, position == 0, indicator.pk) for position, indicator in enumerate(involved)]
    return problems


def _rule_issues(data: ReturnData) -> list[ValidationIssue]:
    relations = set(map(id, relation_rules(_all_rules(data))))
    rules = [rule for rule in _all_rules(data) if id(rule) not in relations]
    issues = check_rules(rules, data.readings)
    issues += check_year_over_year(
        data.applicable,
        data.readings,
        data.previous_readings,
        default_percent=data.annual_return.framework.yoy_swing_percent,
    )
    return issues


def _indicator_nodes(data: ReturnData):
    applicable = {indicator.pk for indicator in data.applicable}
    for area in data.tree.areas:
        for group in area.groups:
            for node in group.indicator_nodes:
                if node.indicator.pk in applicable:
                    yield node


def _problem_of(issue: ValidationIssue, data: ReturnData, by_code: dict) -> Problem:
    indicator = by_code.get(issue.indicator_code) if issue.indicator_code else None
    if issue.is_error:
        return Problem(issue.message, True, indicator.pk if indicator else None)
    if indicator is None or indicator.is_wholly_provided:
        # No field of the unit's to explain it in: shown, never blocking.
        return Problem(issue.message, False, indicator.pk if indicator else None, is_warning=True)
    row = data.row_for(indicator)
    if row is None:  # a derived indicator: nothing to explain it in
        return Problem(issue.message, False, indicator.pk, is_warning=True)
    explained = bool(row.explanation.strip())
    if indicator.is_statistical:
        # An optional figure for reports never holds up a submission over a warning (errors still do).
        message = issue.message if explained else f"{issue.message}（可在“情况说明”中说明原因）"
        return Problem(message, False, indicator.pk, is_warning=True)
    message = issue.message if explained else f"{issue.message}（须在“情况说明”中说明原因）"
    return Problem(message, not explained, indicator.pk, is_warning=True)

"""Relations between figures (数据关系): rules that say two or more figures describe the same things,
such as `E3.1.num <= E3.2.den` (持证执法人员数 ≤ 执法人员数) or `G1.3.den == G1.4.den` (the same 审结
案件数 reported twice). They are ValidationRule rows with `is_relation` set, so they are declared,
cloned, imported, exported and compared with the framework's other rules.

Entry checks them as cross-field errors (drafts save; submission is refused while one is violated).
Reports and 报告体检 ask `contradictions(...)` which figures contradict one another and say nothing
built on them. A relation whose figures are not all there (not entered, 不适用, 暂无数据, one part of
a rate missing) is not checked: nothing contradicts a figure nobody reported.

Pure: rules and readings come in as objects; `assessments.selectors.returns.return_contradictions` is the
database-side entry point for one return.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

from .expressions import ExpressionError, Reference, Undefined, evaluate, parse, references_of
from .models import ValidationRule
from .readings import IndicatorReading


@dataclass(frozen=True)
class Contradiction:
    """One violated relation: its rule, its Chinese message and the figures it involves."""

    rule_code: str
    message: str
    figures: tuple[str, ...]  # "E3.1.num", "E3.2.den", "C1.1": each figure as the rule reads it
    codes: tuple[str, ...]  # the indicators involved, each once, in the rule's order


@dataclass(frozen=True)
class Contradictions:
    items: tuple[Contradiction, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self) -> Iterator[Contradiction]:
        return iter(self.items)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(code for item in self.items for code in item.codes)

    def involves(self, code: str) -> bool:
        """Whether any figure of this indicator is part of a contradiction: say nothing built on it."""
        return code in self.codes

    def of(self, code: str) -> tuple[Contradiction, ...]:
        return tuple(item for item in self.items if code in item.codes)


def relation_rules(rules: Iterable[ValidationRule]) -> list[ValidationRule]:
    return [rule for rule in rules if getattr(rule, "is_relation", False)]


def contradictions(rules: Iterable[ValidationRule], readings: Mapping[str, IndicatorReading]) -> Contradictions:
    """The violated relations among `rules` (any ValidationRule rows; only relations are read)."""
    found = []
    for rule in relation_rules(rules):
        try:
            node = parse(rule.expression)
            outcome = evaluate(node, readings)
        except (Undefined, ExpressionError):
            continue
        if outcome is not True:
            read = references_of(node)
            figures = tuple(_figure(reference) for reference in read)
            codes = tuple(dict.fromkeys(reference.code for reference in read))
            found.append(Contradiction(rule.code, rule.message, figures, codes))
    return Contradictions(tuple(found))


def _figure(reference: Reference) -> str:
    return reference.code if reference.attribute == "value" else f"{reference.code}.{reference.attribute}"

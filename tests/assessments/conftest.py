import pytest

from assessments.models import AnnualReturn, NarrativeSection
from indicators.models import ValidationRule, ValueType

from .factories import framework_with, open_return, rate_indicator


@pytest.fixture
def evidence_codes() -> tuple[str, ...]:
    """Codes of `framework`'s indicators that need evidence files. A test overrides it with
    @pytest.mark.parametrize("evidence_codes", [("K1",)], ids=["K1"]): the flag must be set before
    returns are opened, as the tree of a framework filed against never changes (indicators.tree_lock)."""
    return ()


@pytest.fixture
def framework(db, evidence_codes):
    """A small 2025 framework: a count, a rate with a target, an amount, a yes/no; one warning rule."""
    framework = framework_with(
        {"code": "K1", "name": "行政复议案件数", "unit": "件"},
        {"code": "K3", "name": "法治建设经费", "value_type": ValueType.AMOUNT, "unit": "万元", "is_required": False},
        {"code": "K4", "name": "是否公开年度报告", "value_type": ValueType.BOOLEAN, "unit": ""},
    )
    group = framework.indicators.first().group
    rate_indicator(code="K2", name="合法性审核率", group=group, framework=framework, order=9)
    ValidationRule.objects.create(
        framework=framework,
        indicator=framework.indicators.get(code="K1"),
        code="V1",
        expression="K1 <= 1000",
        message="行政复议案件数超过1000件，请核实",
        severity=ValidationRule.Severity.WARNING,
    )
    framework.indicators.filter(code__in=evidence_codes).update(is_evidence_required=True)
    return framework


@pytest.fixture
def return_a(cast, framework) -> AnnualReturn:
    """dept_a's 2025 return, not started."""
    return open_return(cast.dept_a, framework)


@pytest.fixture
def return_b(cast, framework) -> AnnualReturn:
    return open_return(cast.dept_b, framework)


def fill_narratives(annual_return: AnnualReturn) -> None:
    NarrativeSection.objects.filter(annual_return=annual_return).update(text="全年推进依法行政。")


COMPLETE = {
    "K1": {"value": "12"},
    "K3": {"value": "3.5万元"},
    "K2": {"numerator": "48", "denominator": "50"},
    "K4": {"value": "是"},
}


from .provided_fixtures import (  # noqa: E402, F401 — fixtures of the provided-data tests
    court,
    court_user,
    provided_framework,
    provided_return_a,
    provided_return_b,
)

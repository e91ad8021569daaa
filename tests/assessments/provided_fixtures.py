"""A 数据提供单位 and a framework with provided figures: K1 (a count) provided whole, K2 (a rate) with
only its denominator provided, K3 the unit's own. Shared by the provided-data tests."""

import pytest

from accounts.models import Department, User
from indicators.models import ProvidedPart
from indicators.provisions import indicator_provision_set

from .factories import framework_with, open_return, rate_indicator


@pytest.fixture
def court(cast) -> Department:
    """The cast's court (测试市中级人民法院, not assessed), under the city."""
    return cast.court


@pytest.fixture
def court_user(cast) -> User:
    return cast.provider


@pytest.fixture
def provided_framework(db, court):
    framework = framework_with(
        {"code": "K1", "name": "行政诉讼案件数", "unit": "件"},
        {"code": "K3", "name": "行政复议案件数", "unit": "件"},
    )
    group = framework.indicators.first().group
    rate_indicator(
        code="K2",
        name="负责人出庭应诉率",
        numerator_label="出庭件数",
        denominator_label="开庭件数",
        group=group,
        framework=framework,
        order=9,
    )
    indicator_provision_set(indicator=framework.indicators.get(code="K1"), provider=court)
    indicator_provision_set(
        indicator=framework.indicators.get(code="K2"), provider=court, part=ProvidedPart.DENOMINATOR
    )
    return framework


@pytest.fixture
def provided_return_a(cast, provided_framework):
    return open_return(cast.dept_a, provided_framework)


@pytest.fixture
def provided_return_b(cast, provided_framework):
    return open_return(cast.dept_b, provided_framework)

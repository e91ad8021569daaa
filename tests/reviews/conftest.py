import pytest

from .factories import scoring_framework, submitted_return


@pytest.fixture
def framework(db):
    return scoring_framework(2025)


@pytest.fixture
def return_a(cast, framework):
    """dept_a's 2025 return with full marks, submitted."""
    return submitted_return(cast.dept_a, cast.staff_a, framework)


@pytest.fixture
def return_b(cast, framework):
    return submitted_return(cast.dept_b, cast.staff_b, framework)


@pytest.fixture
def second_reviewer(cast):
    from accounts.models import User
    from tests.factories import UserFactory

    return UserFactory(username="reviewer_two", role=User.Role.REVIEWER, department=cast.justice_bureau)


from tests.assessments.provided_fixtures import (  # noqa: E402, F401 — fixtures of the provided-data tests
    court,
    court_user,
    provided_framework,
    provided_return_a,
)

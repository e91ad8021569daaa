from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection

from accounts.models import Department, User

from .factories import DepartmentFactory, UserFactory


def pytest_report_header(config):
    db = settings.DATABASES["default"]
    broker = (
        "eager (in-process, no broker)" if settings.CELERY_BROKER_URL == "memory://" else (settings.CELERY_BROKER_URL)
    )
    return [f"lawgov database: {db['ENGINE'].rsplit('.', 1)[-1]} ({db['NAME']})", f"lawgov broker: {broker}"]


@dataclass
class Cast:
    """The standing cast of every access test: two departments in different branches, one user per role.

    city ─ dept_a (市直部门, staff_a)
         └ county ─ dept_b (乡镇, staff_b)
    reviewer sees all (and sits in the justice bureau); reviewer_scoped sees only the county branch.
    """

    city: Department
    justice_bureau: Department
    dept_a: Department
    county: Department
    dept_b: Department
    staff_a: User
    staff_b: User
    reviewer: User
    reviewer_scoped: User
    congress: User
    admin: User

    def user(self, role_name: str) -> User | None:
        return None if role_name == "anonymous" else getattr(self, role_name)


@pytest.fixture
def cast(db) -> Cast:
    G, D, T = Department.Kind.GOVERNMENT, Department.Kind.WORKING_DEPARTMENT, Department.Kind.TOWNSHIP
    city = DepartmentFactory(code="C000", name="测试市人民政府", kind=G, level=Department.Level.CITY)
    justice = DepartmentFactory(code="C001", name="测试市司法局", kind=D, parent=city)
    dept_a = DepartmentFactory(code="C002", name="测试市甲局", kind=D, parent=city)
    county = DepartmentFactory(code="C100", name="测试县人民政府", kind=G, level=Department.Level.COUNTY, parent=city)
    dept_b = DepartmentFactory(
        code="C110", name="测试县乙镇人民政府", kind=T, level=Department.Level.TOWNSHIP, parent=county
    )
    return Cast(
        city=city,
        justice_bureau=justice,
        dept_a=dept_a,
        county=county,
        dept_b=dept_b,
        staff_a=UserFactory(username="staff_a", department=dept_a),
        staff_b=UserFactory(username="staff_b", department=dept_b),
        reviewer=UserFactory(username="reviewer", role=User.Role.REVIEWER, department=justice),
        reviewer_scoped=UserFactory(
            username="reviewer_scoped", role=User.Role.REVIEWER, department=justice, review_scope=county
        ),
        congress=UserFactory(username="congress", role=User.Role.CONGRESS, department=None),
        admin=UserFactory(username="admin", role=User.Role.ADMIN, department=None, is_superuser=True),
    )


@pytest.fixture
def is_postgres() -> bool:
    return connection.vendor == "postgresql"

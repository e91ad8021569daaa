import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accounts.models import Department, User
from tests.factories import DepartmentFactory, UserFactory


def test_staff_user_without_department_is_refused_by_the_database(db):
    with pytest.raises(IntegrityError):
        User.objects.create(username="nobody", role=User.Role.DEPARTMENT_STAFF)


def test_review_scope_on_a_non_reviewer_is_refused_by_the_database(cast):
    with pytest.raises(IntegrityError):
        User.objects.create(username="x", role=User.Role.CONGRESS, review_scope=cast.county)


def test_department_code_is_unique(db):
    Department.objects.create(name="甲", code="DUP", kind="department", level="city")
    with pytest.raises(IntegrityError):
        Department.objects.create(name="乙", code="DUP", kind="department", level="city")


def test_department_cannot_be_moved_under_its_own_descendant(db):
    root = DepartmentFactory(kind=Department.Kind.GOVERNMENT)
    child = DepartmentFactory(kind=Department.Kind.GOVERNMENT, parent=root)
    root.parent = child
    with pytest.raises(ValidationError, match="上级单位不能是本单位或其下级单位"):
        root.full_clean()


def test_working_department_cannot_sit_under_another_working_department(db):
    bureau = DepartmentFactory()
    sub = DepartmentFactory.build(code="SUB", parent=bureau)
    with pytest.raises(ValidationError, match="上级单位必须是政府"):
        sub.full_clean()


def test_admin_site_access_follows_the_admin_role(db):
    assert UserFactory.build(role=User.Role.ADMIN).is_staff
    assert not UserFactory.build(role=User.Role.REVIEWER).is_staff


def test_staff_user_model_validation_speaks_chinese(db):
    user = User(username="a", role=User.Role.DEPARTMENT_STAFF)
    user.set_password("x")
    with pytest.raises(ValidationError, match="填报员必须指定所在单位"):
        user.full_clean()

"""The generator's row writer (COPY on PostgreSQL): a column the caller leaves out gets what Django
would have stored, so a column added to a model later does not break `make bench` on an empty
database; a NOT NULL column with no default at all is refused by name."""

import pytest

from accounts.models import Department
from bench.copying import RowWriter, next_id
from reviews.models import Adjustment

pytestmark = pytest.mark.django_db


def test_a_blank_text_column_left_out_is_stored_empty_not_null(cast):
    department_id = next_id(Department)
    with RowWriter(Department, ["id", "code", "name", "kind", "level", "parent_id"]) as write:
        write((department_id, "Z001", "测试新单位", cast.dept_a.kind, cast.dept_a.level, cast.city.pk))
    department = Department.objects.get(pk=department_id)
    assert department.name == "测试新单位"
    assert department.short_name == ""


def test_a_not_null_column_without_a_default_is_refused_by_name():
    with pytest.raises(ValueError, match="department_id"):
        RowWriter(Adjustment, ["id", "year", "item_id"])

import tablib

from accounts.models import Department
from accounts.resources import DepartmentResource


def _dataset(rows):
    headers = ["单位编码", "单位名称", "简称", "上级单位编码", "单位类型", "行政层级", "排序", "是否启用"]
    return tablib.Dataset(*rows, headers=headers)


def test_export_lists_parents_before_children_with_chinese_labels(cast):
    dataset = DepartmentResource().export()
    codes = dataset["单位编码"]
    assert codes.index("C100") < codes.index("C110")
    row = dataset.dict[codes.index("C110")]
    assert row["单位类型"] == "乡镇街道"
    assert row["行政层级"] == "乡级"
    assert row["上级单位编码"] == "C100"
    assert row["是否启用"] == "是"


def test_export_then_import_into_an_empty_database_recreates_the_tree(cast):
    exported = DepartmentResource().export()
    snapshot = sorted(Department.objects.values_list("code", "name", "kind", "level", "parent__code"))
    from accounts.models import User

    User.objects.all().delete()
    Department.objects.all().update(parent=None)
    Department.objects.all().delete()

    result = DepartmentResource().import_data(tablib.Dataset().load(exported.xlsx, format="xlsx"))

    assert not result.has_errors() and not result.has_validation_errors()
    assert sorted(Department.objects.values_list("code", "name", "kind", "level", "parent__code")) == snapshot


def test_import_updates_existing_departments_by_code(cast):
    rows = [("C002", "测试市甲局（更名）", "", "C000", "政府工作部门", "市级", 3, "是")]
    result = DepartmentResource().import_data(_dataset(rows))
    assert not result.has_validation_errors()
    assert Department.objects.get(code="C002").name == "测试市甲局（更名）"


def test_import_reports_each_bad_row_in_chinese_and_writes_nothing(cast):
    rows = [
        ("N001", "新单位一", "", "C000", "政府工作部门", "市级", 1, "是"),
        ("N002", "新单位二", "", "NOPE", "政府工作部门", "市级", 2, "是"),
        ("N003", "新单位三", "", "C000", "委员会", "市级", 3, "是"),
    ]
    result = DepartmentResource().import_data(_dataset(rows), raise_errors=False)

    messages = " ".join(
        str(error) for row in result.invalid_rows for errors in row.error_dict.values() for error in errors
    )
    assert "上级单位编码“NOPE”不存在" in messages
    assert "单位类型“委员会”无效" in messages
    assert [row.number for row in result.invalid_rows] == [2, 3]
    assert not Department.objects.filter(code__startswith="N").exists()


def test_import_refuses_a_child_under_a_working_department(cast):
    rows = [("N010", "下属科室", "", "C002", "政府工作部门", "市级", 1, "是")]
    result = DepartmentResource().import_data(_dataset(rows))
    assert result.has_validation_errors()
    assert not Department.objects.filter(code="N010").exists()

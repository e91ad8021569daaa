from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Department
from accounts.resources import DepartmentResource


def test_admin_exports_the_department_list_as_xlsx(cast, client):
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:accounts_department_export"),
        {"format": "0", **{f"departmentresource_{f}": "on" for f in DepartmentResource._meta.fields}},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_admin_import_previews_bad_rows_in_chinese_and_writes_nothing(cast, client):
    import tablib

    dataset = tablib.Dataset(
        ("N100", "新单位", "", "NOPE", "政府工作部门", "市级", 1, "是"),
        headers=["单位编码", "单位名称", "简称", "上级单位编码", "单位类型", "行政层级", "排序", "是否启用"],
    )
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:accounts_department_import"),
        {
            "format": "0",
            "import_file": SimpleUploadedFile("units.xlsx", dataset.xlsx),
            "resource": "0",
        },
    )
    assert response.status_code == 400
    assert "上级单位编码“NOPE”不存在" in response.content.decode()
    assert not Department.objects.filter(code="N100").exists()


def test_admin_import_of_a_good_file_reaches_the_confirmation_and_then_imports(cast, client):
    import tablib

    dataset = tablib.Dataset(
        ("N101", "新单位", "", "", "政府工作部门", "市级", 1, "是"),
        headers=["单位编码", "单位名称", "简称", "上级单位编码", "单位类型", "行政层级", "排序", "是否启用"],
    )
    client.force_login(cast.admin)
    response = client.post(
        reverse("admin:accounts_department_import"),
        {"format": "0", "import_file": SimpleUploadedFile("units.xlsx", dataset.xlsx), "resource": "0"},
    )
    assert response.status_code == 200
    confirm = response.context["confirm_form"]
    response = client.post(reverse("admin:accounts_department_process_import"), confirm.initial)
    assert response.status_code == 302
    assert Department.objects.get(code="N101").name == "新单位"

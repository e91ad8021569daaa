"""Audit of what system administrators change in the Django admin and by spreadsheet import (ASVS
5.0 16.2.1; issue 9 §6): users, roles and passwords, units, indicator frameworks and congress
records. Each change writes exactly one AuditEvent (one per row for imports and bulk deletes),
in the change's transaction; no password hash is ever written to the log."""

import pytest
import tablib
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Department, User
from audit.models import AuditEvent
from tests.factories import DepartmentFactory, UserFactory
from tests.security.page_forms import form_data

NEW_PASSWORD = "Admin#Reset2026x"


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.admin)
    return client


def _new_events(since: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(pk__gt=since, action=AuditEvent.Action.CHANGE).order_by("pk"))


def _mark() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _change_in_admin(client, url: str, form_id: str, **changes):
    data = form_data(client.get(url).content.decode(), form_id)
    data.update(changes)
    data["_save"] = "保存"
    return client.post(url, data)


def _no_hash_logged():
    hashes = [password for password in User.objects.values_list("password", flat=True) if password]
    text = repr(list(AuditEvent.objects.values("before", "after")))
    return not any(password in text for password in hashes)


# --- users and roles -----------------------------------------------------------------------------


def test_changing_a_users_role_in_the_admin_writes_one_event_with_before_and_after(cast, admin_client):
    user = UserFactory(username="promoted", role=User.Role.CONGRESS, department=None)
    since = _mark()
    url = reverse("admin:accounts_user_change", args=[user.pk])
    response = _change_in_admin(admin_client, url, "user_form", role=User.Role.ADMIN)
    assert response.status_code == 302, response.content.decode()[:2000]
    (event,) = _new_events(since)
    assert (event.actor_id, event.object_type, event.object_id) == (cast.admin.pk, "accounts.User", str(user.pk))
    assert event.before == {"role": "congress"}
    assert event.after["role"] == "admin"
    assert _no_hash_logged()


def test_adding_a_user_in_the_admin_writes_one_event_without_the_password(cast, admin_client):
    since = _mark()
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "new_staff",
            "full_name": "新填报员",
            "role": User.Role.DEPARTMENT_STAFF,
            "department": cast.dept_a.pk,
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
            "_save": "保存",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = User.objects.get(username="new_staff")
    (event,) = _new_events(since)
    assert (event.object_id, event.department_id, event.before) == (str(created.pk), cast.dept_a.pk, None)
    assert event.after["role"] == "staff" and "password" not in event.after
    assert _no_hash_logged()


def test_an_administrator_setting_a_users_password_writes_one_event_saying_only_that(cast, admin_client):
    since = _mark()
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[cast.staff_b.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )
    assert response.status_code == 302
    (event,) = _new_events(since)
    assert (event.object_id, event.after["password"]) == (str(cast.staff_b.pk), "已修改")
    assert _no_hash_logged()


def test_deleting_a_user_in_the_admin_writes_one_event(cast, admin_client):
    user = UserFactory(username="leaving", department=cast.dept_b)
    since = _mark()
    response = admin_client.post(reverse("admin:accounts_user_delete", args=[user.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    (event,) = _new_events(since)
    assert (event.object_id, event.before["username"], event.after) == (str(user.pk), "leaving", {"deleted": True})


# --- units ---------------------------------------------------------------------------------------


def test_renaming_a_unit_in_the_admin_writes_one_event(cast, admin_client):
    since = _mark()
    url = reverse("admin:accounts_department_change", args=[cast.dept_b.pk])
    response = _change_in_admin(admin_client, url, "department_form", name="测试县乙镇人民政府（更名）")
    assert response.status_code == 302, response.content.decode()[:2000]
    (event,) = _new_events(since)
    assert (event.department_id, event.before, event.after["name"]) == (
        cast.dept_b.pk,
        {"name": "测试县乙镇人民政府"},
        "测试县乙镇人民政府（更名）",
    )


def test_deleting_units_with_the_bulk_action_writes_one_event_per_unit(cast, admin_client):
    first, second = DepartmentFactory(code="Z001"), DepartmentFactory(code="Z002")
    since = _mark()
    response = admin_client.post(
        reverse("admin:accounts_department_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [first.pk, second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Department.objects.filter(code__in=["Z001", "Z002"]).exists()
    assert sorted(event.object_id for event in _new_events(since)) == sorted([str(first.pk), str(second.pk)])


def test_importing_units_writes_one_event_per_unit_added_or_changed_and_none_for_the_preview(cast, admin_client):
    headers = ["单位编码", "单位名称", "简称", "上级单位编码", "单位类型", "行政层级", "排序", "是否启用"]
    dataset = tablib.Dataset(
        ("N100", "测试市新设局", "", "C000", "政府工作部门", "市级", 50, "是"),
        ("C110", "测试县乙镇人民政府（更名）", "", "C100", "乡镇街道", "乡级", 0, "是"),
        headers=headers,
    )
    since = _mark()
    preview = admin_client.post(
        reverse("admin:accounts_department_import"),
        {"format": "0", "import_file": SimpleUploadedFile("units.xlsx", dataset.xlsx), "resource": "0"},
    )
    assert preview.status_code == 200
    assert _new_events(since) == []  # the preview's dry run rolled back with its events
    process = reverse("admin:accounts_department_process_import")
    confirm = form_data(preview.content.decode(), action=process)
    response = admin_client.post(process, confirm)
    assert response.status_code == 302, response.content.decode()[:2000]
    events = _new_events(since)
    added = Department.objects.get(code="N100")
    assert {event.object_id: event.before for event in events} == {
        str(added.pk): None,
        str(cast.dept_b.pk): {"name": "测试县乙镇人民政府"},
    }


# --- indicator frameworks ------------------------------------------------------------------------


def _framework_action(client, action, frameworks):
    data = {"action": action, ACTION_CHECKBOX_NAME: [f.pk for f in frameworks], "confirmed": "yes"}
    return client.post(reverse("admin:indicators_indicatorframework_changelist"), data)


@pytest.mark.parametrize("action", ["clone_to_next_year", "publish", "archive", "reopen"])
def test_each_framework_action_writes_one_event(cast, admin_client, action):
    from indicators.models import IndicatorFramework
    from indicators.services import framework_publish
    from tests.indicators.factories import small_framework

    framework = small_framework(year=2041)
    if action == "reopen":
        framework_publish(framework=framework)
    since = _mark()
    response = _framework_action(admin_client, action, [framework])
    assert response.status_code == 302
    (event,) = _new_events(since)
    assert event.actor_id == cast.admin.pk and event.object_type == "indicators.IndicatorFramework"
    if action == "clone_to_next_year":
        clone = IndicatorFramework.objects.get(year=2042)
        assert (event.object_id, event.after["cloned_from"]) == (str(clone.pk), framework.pk)
    else:
        assert event.object_id == str(framework.pk)


def test_importing_a_framework_file_writes_one_event(cast, admin_client):
    from indicators.exporting import framework_to_xlsx
    from tests.indicators.factories import small_framework

    content = framework_to_xlsx(small_framework(year=2043))
    since = _mark()
    response = admin_client.post(
        reverse("admin:indicators_indicatorframework_import"),
        {"file": SimpleUploadedFile("framework.xlsx", content), "year": 2044},
    )
    assert response.status_code == 302
    (event,) = _new_events(since)
    assert (event.after["year"], event.after["status"]) == (2044, "draft")


def test_editing_a_draft_framework_in_the_admin_writes_one_event(cast, admin_client):
    from tests.indicators.factories import small_framework

    framework = small_framework(year=2045)
    since = _mark()
    url = reverse("admin:indicators_indicatorframework_change", args=[framework.pk])
    response = _change_in_admin(admin_client, url, "indicatorframework_form", description="年度考核指标（修订）")
    assert response.status_code == 302, response.content.decode()[:3000]
    (event,) = _new_events(since)
    assert event.after["description"] == "年度考核指标（修订）"


def test_saving_an_admin_form_without_a_change_writes_nothing(cast, admin_client):
    since = _mark()
    url = reverse("admin:accounts_department_change", args=[cast.dept_a.pk])
    assert _change_in_admin(admin_client, url, "department_form").status_code == 302
    assert _new_events(since) == []


def test_congress_records_repaired_in_the_admin_are_audited(cast, admin_client):
    from tests.congress.factories import CongressYearFactory

    congress_year = CongressYearFactory(year=2046)
    since = _mark()
    url = reverse("admin:congress_congressyear_change", args=[congress_year.pk])
    response = _change_in_admin(admin_client, url, "congressyear_form", title="依法行政专题")
    assert response.status_code == 302
    (event,) = _new_events(since)
    assert (event.object_type, event.after["title"]) == ("congress.CongressYear", "依法行政专题")


def test_a_failed_admin_save_leaves_no_event(cast, admin_client):
    """The event is written in the admin's transaction: a save that fails leaves neither."""
    since = _mark()
    url = reverse("admin:accounts_department_change", args=[cast.dept_a.pk])
    response = _change_in_admin(admin_client, url, "department_form", code=cast.dept_b.code)  # taken
    assert response.status_code == 200
    assert _new_events(since) == []

from django.urls import reverse

from accounts.models import Department


def test_department_list_shows_children_indented_below_their_parent(cast, client):
    client.force_login(cast.reviewer)
    response = client.get(reverse("accounts:department_list"))
    names = [row.department.name for row in response.context["rows"]]
    assert names.index("测试县人民政府") < names.index("测试县乙镇人民政府")
    depths = {row.department.code: row.depth for row in response.context["rows"]}
    # C090 is the cast's court (a 数据提供单位, not assessed): a unit of the directory all the same.
    assert depths == {"C000": 0, "C001": 1, "C002": 1, "C090": 1, "C100": 1, "C110": 2}


def test_department_list_filters_by_kind(cast, client):
    client.force_login(cast.congress)
    response = client.get(reverse("accounts:department_list"), {"kind": Department.Kind.TOWNSHIP})
    assert [row.department.code for row in response.context["rows"]] == ["C110"]


def test_department_list_searches_name_and_code(cast, client):
    client.force_login(cast.congress)
    response = client.get(reverse("accounts:department_list"), {"q": "甲局"})
    assert [row.department.code for row in response.context["rows"]] == ["C002"]


def test_department_list_hides_inactive_units_unless_asked(cast, client):
    cast.dept_a.is_active = False
    cast.dept_a.save(update_fields=["is_active"])
    client.force_login(cast.reviewer)
    url = reverse("accounts:department_list")
    assert "C002" not in {r.department.code for r in client.get(url).context["rows"]}
    assert "C002" in {r.department.code for r in client.get(url, {"include_inactive": "on"}).context["rows"]}


def test_scoped_reviewer_list_contains_no_department_outside_the_scope(cast, client):
    client.force_login(cast.reviewer_scoped)
    body = client.get(reverse("accounts:department_list")).content.decode()
    assert "测试县乙镇人民政府" in body
    assert "测试市甲局" not in body


def test_department_list_query_count_does_not_grow_with_departments(cast, client, django_assert_max_num_queries):
    from tests.factories import DepartmentFactory

    DepartmentFactory.create_batch(40, parent=cast.city)
    client.force_login(cast.reviewer)
    with django_assert_max_num_queries(8):
        client.get(reverse("accounts:department_list"))


def test_staff_of_other_department_gets_404_on_department_detail(cast, client):
    client.force_login(cast.staff_b)
    response = client.get(reverse("accounts:department_detail", args=[cast.dept_a.pk]))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_home_shows_own_department_to_staff(cast, client):
    client.force_login(cast.staff_a)
    body = client.get(reverse("accounts:home")).content.decode()
    assert "测试市甲局" in body
    assert "测试县乙镇人民政府" not in body

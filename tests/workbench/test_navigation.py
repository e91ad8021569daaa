from django.urls import reverse

from workbench.navigation import navigation_for


def _labels(user) -> list[str]:
    return [item.label for item in navigation_for(user, current_path="/")]


def test_staff_menu_has_no_directory_or_admin(cast):
    labels = _labels(cast.staff_a)
    assert "工作台" in labels
    assert "单位名录" not in labels
    assert "系统管理" not in labels


def test_admin_menu_includes_system_administration(cast):
    assert "系统管理" in _labels(cast.admin)


def test_current_page_is_marked_active(cast):
    items = navigation_for(cast.reviewer, current_path=reverse("accounts:department_list"))
    assert [i.label for i in items if i.is_active] == ["单位名录"]


def test_only_the_most_specific_menu_item_is_active(cast):
    items = navigation_for(cast.reviewer, current_path=reverse("assessments:progress_dashboard"))
    assert [item.label for item in items if item.is_active] == ["填报进度"]


def test_the_justice_bureau_reaches_year_opening_from_the_menu(cast):
    """开启年度填报 was reachable only from 填报进度."""
    url = reverse("assessments:year_open")
    assert url in [item.url for item in navigation_for(cast.reviewer, current_path="/")]
    assert url in [item.url for item in navigation_for(cast.admin, current_path="/")]


def test_who_may_not_open_a_year_has_no_menu_entry_for_it(cast):
    url = reverse("assessments:year_open")
    for user in (cast.reviewer_scoped, cast.staff_a, cast.congress):
        assert url not in [item.url for item in navigation_for(user, current_path="/")]


def test_year_opening_is_the_active_entry_on_its_page(cast):
    url = reverse("assessments:year_open")
    active = [item.label for item in navigation_for(cast.reviewer, current_path=url) if item.is_active]
    assert active == ["开启年度填报"]

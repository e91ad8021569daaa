import pytest
from django.urls import reverse

from assessments.models import AnnualReturn
from indicators.models import ValueType

from .factories import (
    AreaFactory,
    FrameworkFactory,
    GroupFactory,
    IndicatorFactory,
    open_return,
    rate_indicator,
    value_row,
)
from .test_entry import save

HTMX = {"HTTP_HX_REQUEST": "true"}


def edit_url(annual_return):
    return reverse("assessments:return_edit", args=[annual_return.pk])


def save_url(annual_return, code):
    return reverse("assessments:value_save", args=[annual_return.pk, value_row(annual_return, code).indicator_id])


def test_the_entry_page_shows_each_applicable_indicator_with_its_inputs(client, cast, return_a):
    client.force_login(cast.staff_a)
    html = client.get(edit_url(return_a)).content.decode()
    assert "行政复议案件数" in html and 'name="numerator"' in html and 'name="denominator"' in html
    assert "主要举措和成效" in html and "党政主要负责人履行推进法治建设第一责任人职责情况" in html


def test_the_entry_page_loads_only_its_own_static_script(client, cast, return_a):
    client.force_login(cast.staff_a)
    html = client.get(edit_url(return_a)).content.decode()
    assert "js/assessments-entry.js" in html
    assert "<script>" not in html  # CSP script-src 'self': no inline scripts


def test_an_autosave_answers_with_the_saved_time_and_the_new_version(client, cast, return_a):
    client.force_login(cast.staff_a)
    response = client.post(save_url(return_a, "K1"), {"version": "1", "value": "１２件"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "已保存" in html and 'value="2" id="version-' in html
    assert value_row(return_a, "K1").value_integer == 12


def test_an_invalid_autosave_is_kept_and_explained_inline(client, cast, return_a):
    client.force_login(cast.staff_a)
    response = client.post(save_url(return_a, "K2"), {"version": "1", "numerator": "60", "denominator": "50"}, **HTMX)
    html = response.content.decode()
    assert "已保存草稿" in html and "分子（60）不能大于分母（50）" in html
    assert value_row(return_a, "K2").raw_input == {"numerator": "60", "denominator": "50"}


def test_a_stale_autosave_answers_409_showing_both_values(client, cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "10"})
    client.force_login(cast.staff_a)
    response = client.post(save_url(return_a, "K1"), {"version": "1", "value": "20"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 409
    assert "与他人的修改冲突" in html
    assert "<td data-theirs>10</td>" in html and "<td data-mine>20</td>" in html
    assert value_row(return_a, "K1").value_integer == 10


def test_keeping_my_value_after_a_conflict_overwrites_deliberately(client, cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "10"})
    client.force_login(cast.staff_a)
    response = client.post(save_url(return_a, "K1"), {"version": "1", "keep_mine": "2", "value": "20"}, **HTMX)
    assert response.status_code == 200
    assert value_row(return_a, "K1").value_integer == 20


def test_a_plain_post_without_javascript_saves_and_returns_to_the_field(client, cast, return_a):
    client.force_login(cast.staff_a)
    response = client.post(save_url(return_a, "K1"), {"version": "1", "value": "7"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#ind-{value_row(return_a, 'K1').indicator_id}")


def test_staff_leaving_and_coming_back_find_everything_they_typed(client, cast, return_a):
    client.force_login(cast.staff_a)
    client.post(save_url(return_a, "K1"), {"version": "1", "value": "十二"}, **HTMX)
    client.post(
        reverse("assessments:narrative_save", args=[return_a.pk, "measures"]),
        {"version": "1", "text": "推进依法行政"},
        **HTMX,
    )
    client.logout()
    client.force_login(cast.staff_a)
    html = client.get(edit_url(return_a)).content.decode()
    assert 'value="十二"' in html and "推进依法行政</textarea>" in html


def test_after_submission_the_entry_page_sends_staff_to_the_read_only_view(client, cast, return_a):
    AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted", first_submitted_at="2026-01-01T00:00Z")
    client.force_login(cast.staff_a)
    response = client.get(edit_url(return_a))
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:return_detail", args=[return_a.pk])


def test_a_save_posted_to_a_submitted_return_is_refused(client, cast, return_a):
    AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted", first_submitted_at="2026-01-01T00:00Z")
    client.force_login(cast.staff_a)
    assert client.post(save_url(return_a, "K1"), {"version": "1", "value": "7"}, **HTMX).status_code == 403
    assert value_row(return_a, "K1").raw_input == {}


def test_a_narrative_over_the_limit_answers_422_and_is_not_saved(client, cast, return_a):
    client.force_login(cast.staff_a)
    url = reverse("assessments:narrative_save", args=[return_a.pk, "other"])
    response = client.post(url, {"version": "1", "text": "字" * 20001}, **HTMX)
    assert response.status_code == 422
    assert "不能超过 20000 字" in response.content.decode()


def test_last_years_value_appears_beside_the_input(client, cast, framework):
    last_year = FrameworkFactory(year=2024)
    group = GroupFactory(area=AreaFactory(framework=last_year))
    IndicatorFactory(group=group, framework=last_year, code="K1", name="行政复议案件数")
    old = open_return(cast.dept_a, last_year)
    save(old, cast.staff_a, "K1", {"value": "37"})
    current = open_return(cast.dept_a, framework)
    client.force_login(cast.staff_a)
    assert "上年：37件" in client.get(edit_url(current)).content.decode()


RENAMED_NUMBER = 5  # in each area the sixth indicator, a count, changes code from 2024 to 2025


def hundred_indicators(year: int, *, old_codes: bool = False, renamed: bool = False):
    """A framework of 100 indicators in 5 areas, of every fillable kind. One count per area is
    coded OLD<area>.5 with `old_codes` (last year's edition) and X<area>.5 with previous_code
    OLD<area>.5 with `renamed` (this year's), so last year's values cross a rename."""
    framework = FrameworkFactory(year=year)
    kinds = [
        {"value_type": ValueType.COUNT},
        {"value_type": ValueType.AMOUNT, "unit": "万元"},
        {"value_type": ValueType.BOOLEAN, "unit": ""},
        {"value_type": ValueType.SINGLE_CHOICE, "options": ["甲", "乙"]},
        {"value_type": ValueType.TEXT, "unit": ""},
    ]
    for area_number in range(5):
        group = GroupFactory(area=AreaFactory(framework=framework, order=area_number))
        for number in range(20):
            code = f"X{area_number}.{number}"
            previous_code = ""
            if number == RENAMED_NUMBER:
                if old_codes:
                    code = f"OLD{area_number}.{number}"
                if renamed:
                    previous_code = f"OLD{area_number}.{number}"
            if number % 6 == 0:
                rate_indicator(group=group, framework=framework, code=code)
            else:
                spec = kinds[number % 5]
                IndicatorFactory(group=group, framework=framework, code=code, previous_code=previous_code, **spec)
    return framework


@pytest.fixture
def big_return(cast):
    """A return of 100 indicators whose department also has last year's return, filled in (its
    15 counts, 5 of them under the old codes of indicators renamed this year)."""
    last_year = open_return(cast.dept_a, hundred_indicators(2024, old_codes=True))
    for row in last_year.values.select_related("indicator"):
        if row.indicator.value_type == ValueType.COUNT:
            save(last_year, cast.staff_a, row.indicator.code, {"value": "5"})
    return open_return(cast.dept_a, hundred_indicators(2025, renamed=True))


def test_the_entry_page_of_a_hundred_indicators_needs_a_bounded_number_of_queries(
    client, cast, big_return, django_assert_max_num_queries
):
    client.force_login(cast.staff_a)
    with django_assert_max_num_queries(30):
        response = client.get(edit_url(big_return))
    html = response.content.decode()
    assert html.count('class="lg-code"') == 100
    assert html.count("上年：5件") == 15  # the 5 renamed counts included


def test_an_autosave_on_a_hundred_indicator_return_needs_a_bounded_number_of_queries(
    client, cast, big_return, django_assert_max_num_queries
):
    client.force_login(cast.staff_a)
    url = save_url(big_return, "X0.1")
    with django_assert_max_num_queries(45):
        response = client.post(url, {"version": "1", "value": "3"}, **HTMX)
    assert response.status_code == 200


def test_submit_preview_shows_the_self_score_and_what_is_missing(client, cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "3"})
    client.force_login(cast.staff_a)
    html = client.get(reverse("assessments:return_submit", args=[return_a.pk])).content.decode()
    assert "自评分" in html and "尚未填写" in html
    assert "disabled" in html


def test_history_lists_each_change_with_old_and_new_value(client, cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "3"})
    save(return_a, cast.staff_a, "K1", {"value": "4"})
    client.force_login(cast.reviewer)
    html = client.get(reverse("assessments:return_history", args=[return_a.pk])).content.decode()
    assert html.count("行政复议案件数") >= 2 and ">3</td>" in html and ">4</td>" in html


def test_the_department_home_shows_status_deadline_and_a_checklist_linking_to_fields(client, cast, return_a):
    save(return_a, cast.staff_a, "K1", {"value": "3"})
    client.force_login(cast.staff_a)
    html = client.get(reverse("accounts:home")).content.decode()
    k2 = value_row(return_a, "K2").indicator_id
    assert "2025年度填报" in html and "填报中" in html
    assert f"/returns/{return_a.pk}/edit/#ind-{k2}" in html


def test_the_department_home_shows_reviewer_comments_when_returned(client, cast, return_a):
    from assessments.services.workflow import annual_return_send_back

    AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted", first_submitted_at="2026-01-01T00:00Z")
    k2 = value_row(return_a, "K2")
    annual_return_send_back(
        annual_return=return_a,
        user=cast.reviewer,
        comment="数据需核实",
        indicator_comments={k2.indicator_id: "分母应为全部规范性文件"},
    )
    client.force_login(cast.staff_a)
    html = client.get(reverse("accounts:home")).content.decode()
    assert "数据需核实" in html and "分母应为全部规范性文件" in html


def test_the_home_of_other_roles_has_no_return_panel(client, cast, return_a):
    client.force_login(cast.reviewer)
    assert "年度填报</h2>" not in client.get(reverse("accounts:home")).content.decode()


def test_extension_granted_through_the_form_is_logged(client, cast, return_a):
    client.force_login(cast.reviewer)
    url = reverse("assessments:extension_grant", args=[return_a.pk])
    response = client.post(url, {"until": "2026-03-20", "reason": "机构改革，人员调整"})
    assert response.status_code == 302
    return_a.refresh_from_db()
    assert str(return_a.extended_until) == "2026-03-20"
    assert return_a.transitions.filter(action="extend").exists()


def test_an_extension_not_after_the_deadline_is_refused_with_a_message(client, cast, return_a):
    client.force_login(cast.reviewer)
    url = reverse("assessments:extension_grant", args=[return_a.pk])
    html = client.post(url, {"until": "2026-02-01", "reason": "x"}).content.decode()
    assert "延期日期须晚于原截止日期" in html

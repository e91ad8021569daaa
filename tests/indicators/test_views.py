import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from indicators.services import framework_clone, framework_load_default, framework_publish, indicator_update

from .factories import GradeThresholdFactory, IndicatorFrameworkFactory, PublishedFrameworkFactory, small_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def default_framework():
    framework, _ = framework_load_default(publish=True)
    return framework


def test_the_list_shows_published_editions_to_staff(client, cast, default_framework):
    IndicatorFrameworkFactory(name="草稿体系")
    client.force_login(cast.staff_a)
    response = client.get(reverse("indicators:framework_list"))
    assert "法治政府建设年度考核指标体系" in response.text
    assert "草稿体系" not in response.text
    assert "管理指标体系" not in response.text


def test_the_list_shows_drafts_and_the_admin_link_to_administrators(client, cast):
    IndicatorFrameworkFactory(name="草稿体系")
    client.force_login(cast.admin)
    response = client.get(reverse("indicators:framework_list"))
    assert "草稿体系" in response.text
    assert "管理指标体系" in response.text


def test_the_list_query_count_does_not_grow_with_frameworks(client, cast, django_assert_max_num_queries):
    for _ in range(6):
        PublishedFrameworkFactory(cloned_from=PublishedFrameworkFactory())
    client.force_login(cast.reviewer)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("indicators:framework_list"))
    assert response.status_code == 200


def test_the_tree_page_shows_areas_indicators_targets_points_and_rules(client, cast, default_framework):
    client.force_login(cast.staff_b)
    response = client.get(reverse("indicators:framework_detail", args=[default_framework.pk]))
    text = response.text
    assert "G 社会矛盾纠纷化解" in text
    assert "被诉行政机关负责人出庭应诉率" in text
    assert "≥100%" in text
    assert "按完成比例得分，低于90%不得分" in text
    assert "《中华人民共和国行政诉讼法》第三条" in text
    assert "一票否决" in text
    assert "负责人出庭应诉案件数（件） ÷ 开庭审理案件数（件）" in text


def test_the_tree_page_query_count_is_bounded(client, cast, default_framework, django_assert_max_num_queries):
    client.force_login(cast.staff_a)
    with django_assert_max_num_queries(20):  # constant: the whole tree is fetched in 8
        client.get(reverse("indicators:framework_detail", args=[default_framework.pk]))


def test_the_tree_page_can_show_only_a_department_kinds_indicators(client, cast, default_framework):
    client.force_login(cast.staff_b)
    url = reverse("indicators:framework_detail", args=[default_framework.pk])
    response = client.get(url, {"kind": "township"})
    assert "行政复议案件法定期限内审结率" not in response.text  # 复议机关 only
    assert "法治政府建设年度报告按时报送" in response.text


def test_an_unknown_kind_filter_shows_everything(client, cast, default_framework):
    client.force_login(cast.staff_b)
    response = client.get(reverse("indicators:framework_detail", args=[default_framework.pk]), {"kind": "alien"})
    assert "行政复议案件法定期限内审结率" in response.text


def test_staff_cannot_see_a_draft(client, cast):
    client.force_login(cast.staff_a)
    assert client.get(reverse("indicators:framework_detail", args=[small_framework().pk])).status_code == 404


def test_the_tree_page_offers_comparison_with_last_year(client, cast):
    old = framework_publish(framework=small_framework(year=2024))
    new = framework_publish(framework=framework_clone(framework=old))
    client.force_login(cast.reviewer)
    response = client.get(reverse("indicators:framework_detail", args=[new.pk]))
    assert f"?old={old.pk}&amp;new={new.pk}" in response.text


def test_compare_without_a_choice_shows_the_latest_change(client, cast):
    old = framework_publish(framework=small_framework(year=2024))
    new = framework_clone(framework=old)
    indicator_update(indicator=new.indicators.get(code="G2.1"), code="G2.9", previous_code="G2.1")
    framework_publish(framework=new)
    client.force_login(cast.congress)
    response = client.get(reverse("indicators:framework_compare"))
    assert "调整的指标" in response.text
    assert "原 G2.1" in response.text


def test_compare_lists_added_and_removed_indicators(client, cast):
    old = framework_publish(framework=small_framework(year=2024))
    new = framework_clone(framework=old)
    indicator_update(indicator=new.indicators.get(code="A1.1"), code="A1.7")
    framework_publish(framework=new)
    client.force_login(cast.staff_a)
    response = client.get(reverse("indicators:framework_compare"), {"old": old.pk, "new": new.pk})
    assert response.context["comparison"].added[0].code == "A1.7"
    assert response.context["comparison"].removed[0].code == "A1.1"


def test_compare_shows_phrasing_rule_grade_and_veto_item_changes(client, cast):
    old = framework_publish(framework=small_framework(year=2024))
    new = framework_clone(framework=old)
    indicator_update(indicator=new.indicators.get(code="G2.1"), phrase_template="出庭应诉率{rate}%")
    new.validation_rules.filter(code="VG2.1").update(message="出庭案件数不能超过开庭案件数")
    new.adjustment_items.filter(code="X1").delete()
    GradeThresholdFactory(framework=new, min_score=Decimal("9"))
    new = framework_publish(framework=new)
    client.force_login(cast.reviewer)
    html = client.get(reverse("indicators:framework_compare"), {"old": old.pk, "new": new.pk}).content.decode()
    assert "出庭应诉率{rate}%" in html
    assert "出庭案件数不能超过开庭案件数" in html
    assert "一票否决：获评示范地区" in html and "删除" in html
    assert "等次线" in html and "优秀" in html


def test_compare_says_when_nothing_but_indicators_changed(client, cast):
    old = framework_publish(framework=small_framework(year=2024))
    new = framework_publish(framework=framework_clone(framework=old))
    client.force_login(cast.reviewer)
    html = client.get(reverse("indicators:framework_compare"), {"old": old.pk, "new": new.pk}).content.decode()
    assert "均无变化" in html


def test_compare_refuses_the_same_version_twice(client, cast):
    framework = PublishedFrameworkFactory()
    client.force_login(cast.staff_a)
    response = client.get(reverse("indicators:framework_compare"), {"old": framework.pk, "new": framework.pk})
    assert "请选择两个不同的版本" in response.text
    assert response.context["comparison"] is None


def test_staff_cannot_compare_against_a_draft(client, cast):
    published, draft = PublishedFrameworkFactory(), small_framework()
    client.force_login(cast.staff_a)
    response = client.get(reverse("indicators:framework_compare"), {"old": published.pk, "new": draft.pk})
    assert response.context["comparison"] is None
    assert "新版本" in response.text


def test_compare_query_count_is_bounded(client, cast, default_framework, django_assert_max_num_queries):
    clone = framework_publish(framework=framework_clone(framework=default_framework))
    client.force_login(cast.reviewer)
    with django_assert_max_num_queries(23):
        client.get(reverse("indicators:framework_compare"), {"old": default_framework.pk, "new": clone.pk})


def test_export_downloads_the_framework_as_xlsx(client, cast):
    framework = framework_publish(framework=small_framework(year=2033))
    client.force_login(cast.staff_a)
    response = client.get(reverse("indicators:framework_export", args=[framework.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="indicator-framework-2033-v1.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.getvalue()))
    assert workbook["指标"]["B4"].value == "A1.1"


def test_the_menu_links_to_the_frameworks(client, cast):
    client.force_login(cast.staff_a)
    response = client.get(reverse("accounts:home"))
    assert f'href="{reverse("indicators:framework_list")}"' in response.text

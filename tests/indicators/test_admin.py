import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.exporting import framework_to_data, framework_to_xlsx
from indicators.models import IndicatorFramework
from indicators.resources import to_xlsx
from indicators.services import framework_publish

from .factories import small_framework

pytestmark = pytest.mark.django_db
CHANGELIST = "admin:indicators_indicatorframework_changelist"
Status = IndicatorFramework.Status


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.admin)
    return client


def run_action(client, action, frameworks, *, confirmed=False):
    data = {"action": action, ACTION_CHECKBOX_NAME: [framework.pk for framework in frameworks]}
    if confirmed:
        data["confirmed"] = "yes"
    return client.post(reverse(CHANGELIST), data, follow=confirmed)


def test_cloning_asks_for_confirmation_first(admin_client):
    framework = small_framework(year=2034)
    response = run_action(admin_client, "clone_to_next_year", [framework])
    assert "确认复制指标体系" in response.text
    assert "将生成 2035 年度草稿" in response.text
    assert IndicatorFramework.objects.count() == 1


def test_confirmed_cloning_makes_next_years_draft(admin_client):
    framework = small_framework(year=2034)
    response = run_action(admin_client, "clone_to_next_year", [framework], confirmed=True)
    clone = IndicatorFramework.objects.get(year=2035)
    assert clone.cloned_from == framework
    assert "已复制为" in response.text


def test_publishing_asks_for_confirmation_and_warns_it_is_final(admin_client):
    response = run_action(admin_client, "publish", [small_framework()])
    assert "发布后各单位即按此指标体系填报" in response.text
    assert 'name="confirmed" value="yes"' in response.text


def test_a_framework_with_problems_cannot_be_confirmed_for_publishing(admin_client):
    response = run_action(admin_client, "publish", [small_framework(base_points=100)])
    assert "与基础分" in response.text
    assert 'type="submit" value="确认"' not in response.text


def test_confirmed_publishing_publishes(admin_client):
    framework = small_framework()
    run_action(admin_client, "publish", [framework], confirmed=True)
    framework.refresh_from_db()
    assert framework.status == Status.PUBLISHED


def test_a_confirmed_publish_that_fails_says_why(admin_client):
    framework = small_framework(base_points=100)
    response = run_action(admin_client, "publish", [framework], confirmed=True)
    assert "未发布" in response.text
    framework.refresh_from_db()
    assert framework.status == Status.DRAFT


def test_confirmed_archiving_archives(admin_client):
    framework = framework_publish(framework=small_framework())
    run_action(admin_client, "archive", [framework], confirmed=True)
    framework.refresh_from_db()
    assert framework.status == Status.ARCHIVED


def test_a_published_framework_is_shown_read_only(admin_client):
    framework = framework_publish(framework=small_framework())
    url = reverse("admin:indicators_indicatorframework_change", args=[framework.pk])
    assert 'name="_save"' not in admin_client.get(url).text
    response = admin_client.post(url, {"name": "改名", "year": framework.year})
    assert response.status_code == 403
    framework.refresh_from_db()
    assert framework.name != "改名"


def test_an_indicator_of_a_published_framework_cannot_be_edited(admin_client):
    framework = framework_publish(framework=small_framework())
    indicator = framework.indicators.get(code="A1.1")
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    assert admin_client.post(url, {"name": "改名"}).status_code == 403


def test_a_draft_indicator_is_editable_in_admin(admin_client):
    framework = small_framework()
    indicator = framework.indicators.get(code="A1.1")
    response = admin_client.get(reverse("admin:indicators_indicator_change", args=[indicator.pk]))
    assert 'name="_save"' in response.text


def indicator_post(indicator, **overrides):
    data = {
        "framework": indicator.framework_id,
        "group": indicator.group_id,
        "order": 1,
        "code": indicator.code,
        "name": indicator.name,
        "nature": "assessed",
        "value_type": indicator.value_type,
        "unit": "件",
        "options": "[]",
        "applies_to_government": "on",
        "applies_to_department": "on",
        "applies_to_township": "on",
        "required_for_government": "on",
        "required_for_department": "on",
        "required_for_township": "on",
        "max_points": "4",
        "scoring_rule": "deduct_per_event",
        "scoring_params": '{"per_event": "0.5"}',
        "assessment_points-TOTAL_FORMS": 0,
        "assessment_points-INITIAL_FORMS": 0,
        "validation_rules-TOTAL_FORMS": 1,
        "validation_rules-INITIAL_FORMS": 0,
        "validation_rules-0-order": 1,
        "validation_rules-0-code": "VA1.1",
        "validation_rules-0-expression": "A1.1 <= 52",
        "validation_rules-0-message": "次数异常",
        "validation_rules-0-severity": "warning",
    }
    data.update(overrides)
    return data


def test_saving_an_indicator_with_a_rule_attaches_the_rule_to_its_framework(admin_client):
    framework = small_framework()
    indicator = framework.indicators.get(code="A1.1")
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    response = admin_client.post(url, indicator_post(indicator))
    assert response.status_code == 302
    assert framework.validation_rules.get(code="VA1.1").indicator == indicator


def test_bad_scoring_params_are_refused_in_chinese(admin_client):
    indicator = small_framework().indicators.get(code="A1.1")
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    response = admin_client.post(url, indicator_post(indicator, scoring_params="{}"))
    assert "缺少参数 per_event" in response.text


def test_a_rule_referencing_a_missing_code_is_refused(admin_client):
    indicator = small_framework().indicators.get(code="A1.1")
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    response = admin_client.post(url, indicator_post(indicator, **{"validation_rules-0-expression": "Q9 > 1"}))
    assert "不存在的指标编码：Q9" in response.text


def test_a_bad_phrase_template_is_refused(admin_client):
    indicator = small_framework().indicators.get(code="A1.1")
    url = reverse("admin:indicators_indicator_change", args=[indicator.pk])
    response = admin_client.post(url, indicator_post(indicator, phrase_template="共{total}件"))
    assert "占位符 {total} 无效" in response.text


def test_the_import_page_offers_an_upload(admin_client):
    response = admin_client.get(reverse("admin:indicators_indicatorframework_import"))
    assert "检查并导入" in response.text


def upload(client, content: bytes, name="framework.xlsx", **data):
    return client.post(
        reverse("admin:indicators_indicatorframework_import"),
        {"file": SimpleUploadedFile(name, content), **data},
    )


def test_importing_a_good_file_creates_a_draft_and_opens_it(admin_client):
    content = framework_to_xlsx(small_framework(year=2036))
    response = upload(admin_client, content, year=2037)
    imported = IndicatorFramework.objects.get(year=2037)
    assert imported.status == Status.DRAFT
    assert response["Location"] == reverse("admin:indicators_indicatorframework_change", args=[imported.pk])


def test_importing_a_bad_file_lists_row_errors_and_writes_nothing(admin_client):
    data = framework_to_data(small_framework(year=2038))
    next(row for row in data["tree"] if row["code"] == "A1.1").update(parent_code="B7", scoring_rule="lottery")
    before = IndicatorFramework.objects.count()
    response = upload(admin_client, to_xlsx(data))
    assert "未导入任何数据" in response.text
    assert "第 4 行" in response.text
    assert "上级编码“B7”不存在" in response.text
    assert "评分规则“lottery”无效" in response.text
    assert IndicatorFramework.objects.count() == before


def test_only_xlsx_files_are_accepted(admin_client):
    response = upload(admin_client, b"a,b", name="framework.csv")
    assert "请上传 .xlsx 格式的文件" in response.text


def test_the_admin_export_downloads_xlsx(admin_client):
    framework = small_framework(year=2039)
    response = admin_client.get(reverse("admin:indicators_indicatorframework_export", args=[framework.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_non_administrators_are_sent_to_the_admin_login(client, cast):
    client.force_login(cast.reviewer)
    response = client.get(reverse("admin:indicators_indicatorframework_import"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_a_framework_added_in_admin_takes_the_next_version_of_its_year(admin_client):
    small_framework(year=2041)
    response = admin_client.post(
        reverse("admin:indicators_indicatorframework_add"),
        {
            "name": "新指标体系",
            "year": 2041,
            "base_points": "100",
            "bonus_cap": "5",
            "yoy_swing_percent": "50",
            **{
                f"{prefix}-{key}": 0
                for prefix in ("areas", "grade_thresholds", "adjustment_items")
                for key in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    assert response.status_code == 302
    assert IndicatorFramework.objects.get(name="新指标体系").version == 2


def test_a_published_framework_without_returns_can_be_reopened_after_confirmation(admin_client):
    framework = framework_publish(framework=small_framework())
    assert "确认退回草稿" in run_action(admin_client, "reopen", [framework]).text
    run_action(admin_client, "reopen", [framework], confirmed=True)
    framework.refresh_from_db()
    assert framework.status == Status.DRAFT


def test_reopening_a_draft_is_not_offered(admin_client):
    response = run_action(admin_client, "reopen", [small_framework()])
    assert "只有已发布的指标体系可以退回草稿" in response.text
    assert 'type="submit" value="确认"' not in response.text

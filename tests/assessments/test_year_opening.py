"""开启年度填报 by the justice bureau: a preview by department type, the deadline (1 March of the
following year unless set), idempotent re-runs for departments added later, the audit trail; and
changing the year's deadline afterwards, recorded on every return it moves."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from accounts.models import Department
from assessments.models import AnnualReturn, ReturnTransition, default_deadline
from assessments.selectors.opening import opening_preview
from assessments.services.errors import ReturnActionError, TransitionNotAllowed
from assessments.services.opening import year_deadline_change, year_open
from audit.models import AuditEvent
from indicators.models import Indicator
from indicators.presenting import date_text
from tests.factories import DepartmentFactory

from .factories import framework_with

TODAY = timezone.localdate()
YEAR = TODAY.year  # its default deadline, 1 March next year, is still ahead
LATER = TODAY + datetime.timedelta(days=40)


@pytest.fixture
def year_framework(db):
    """This year's published framework: three indicators, one of them not for townships."""
    framework = framework_with({"code": "Y1"}, {"code": "Y2"}, {"code": "Y3"}, year=YEAR)
    Indicator.objects.filter(framework=framework, code="Y3").update(applies_to_township=False)
    return framework


def opened(cast, framework, deadline=None):
    return year_open(framework=framework, deadline=deadline or default_deadline(YEAR), user=cast.reviewer)


# --- opening


def test_opening_gives_every_active_department_a_return_due_by_the_chosen_date(cast, year_framework):
    result = opened(cast, year_framework, LATER)
    assert (result.opened, result.already_open) == (5, 0)
    assert set(AnnualReturn.objects.filter(year=YEAR).values_list("deadline", flat=True)) == {LATER}


def test_each_opened_return_logs_who_opened_it_and_the_deadline(cast, year_framework):
    opened(cast, year_framework, LATER)
    transition = ReturnTransition.objects.get(annual_return__department=cast.dept_a, action="open")
    assert transition.user == cast.reviewer
    assert transition.comment == f"开启{YEAR}年度填报，截止日期 {date_text(LATER)}"


def test_opening_writes_one_audit_event_naming_the_year_count_and_deadline(cast, year_framework):
    opened(cast, year_framework, LATER)
    event = AuditEvent.objects.get(object_type="indicators.IndicatorFramework", object_id=str(year_framework.pk))
    assert (event.action, event.actor_id) == ("change", cast.reviewer.pk)
    assert event.after == {"开启年度填报": YEAR, "新开启": 5, "截止日期": LATER.isoformat()}


def test_opening_again_opens_only_a_department_added_since(cast, year_framework):
    opened(cast, year_framework)
    newcomer = DepartmentFactory(code="C003", name="测试市新设局", parent=cast.city)
    result = opened(cast, year_framework, LATER)
    assert (result.opened, result.already_open) == (1, 5)
    assert AnnualReturn.objects.get(department=newcomer, year=YEAR).deadline == LATER
    assert AnnualReturn.objects.get(department=cast.dept_a, year=YEAR).deadline == default_deadline(YEAR)
    assert AnnualReturn.objects.filter(year=YEAR).count() == 6


def test_opening_again_with_nothing_new_changes_and_records_nothing(cast, year_framework):
    opened(cast, year_framework)
    events = AuditEvent.objects.count()
    assert opened(cast, year_framework, LATER).opened == 0
    assert AuditEvent.objects.count() == events
    assert ReturnTransition.objects.count() == 5


@pytest.mark.parametrize("role", ["reviewer_scoped", "staff_a", "congress"])
def test_only_the_bureau_may_open_a_year(cast, year_framework, role):
    with pytest.raises(TransitionNotAllowed):
        year_open(framework=year_framework, deadline=LATER, user=getattr(cast, role))
    assert not AnnualReturn.objects.exists()


def test_an_administrator_may_open_a_year(cast, year_framework):
    assert year_open(framework=year_framework, deadline=LATER, user=cast.admin).opened == 5


def test_a_deadline_in_the_past_is_refused_in_chinese(cast, year_framework):
    with pytest.raises(ReturnActionError, match="截止日期不能早于今天"):
        opened(cast, year_framework, TODAY - datetime.timedelta(days=1))
    assert not AnnualReturn.objects.exists()


def test_a_deadline_beyond_the_following_year_is_refused(cast, year_framework):
    with pytest.raises(ReturnActionError, match=f"不能晚于{YEAR + 1}年12月31日"):
        opened(cast, year_framework, datetime.date(YEAR + 2, 1, 1))


def test_a_draft_framework_is_refused(cast, db):
    draft = framework_with({"code": "D1"}, year=YEAR, status="draft")
    with pytest.raises(ReturnActionError, match="已发布"):
        opened(cast, draft)


# --- the preview


def test_the_preview_counts_departments_and_indicators_by_type(cast, year_framework):
    preview = opening_preview(year_framework)
    counts = {kind.label: (kind.departments, kind.indicators) for kind in preview.by_kind}
    assert counts == {"政府": (2, 3), "政府工作部门": (2, 3), "乡镇街道": (1, 2)}
    assert (preview.to_open, preview.already_open) == (5, 0)


def test_the_preview_suggests_1_march_of_the_following_year(cast, year_framework):
    assert opening_preview(year_framework).suggested_deadline == datetime.date(YEAR + 1, 3, 1)


def test_once_opened_the_preview_suggests_the_years_deadline_and_names_only_newcomers(cast, year_framework):
    opened(cast, year_framework, LATER)
    DepartmentFactory(code="C003", name="测试市新设局", parent=cast.city)
    preview = opening_preview(year_framework)
    assert preview.suggested_deadline == LATER
    assert [department.name for department in preview.named] == ["测试市新设局"]
    assert preview.pending_deadlines == ((LATER, 5),)


def test_the_preview_leaves_out_inactive_departments(cast, year_framework):
    Department.objects.filter(pk=cast.dept_b.pk).update(is_active=False)
    assert cast.dept_b not in opening_preview(year_framework).named


# --- the page


def test_the_page_previews_the_year_with_the_default_deadline(client, cast, year_framework):
    client.force_login(cast.reviewer)
    response = client.get(reverse("assessments:year_open"), {"framework": year_framework.pk})
    html = response.content.decode()
    assert "将为 <strong>5</strong> 个启用的单位开启填报" in html
    assert "<td>乡镇街道</td><td>1</td><td>2</td>" in html
    assert f'value="{YEAR + 1}-03-01"' in html


def test_confirming_opens_the_year_and_says_so(client, cast, year_framework):
    client.force_login(cast.reviewer)
    response = client.post(
        reverse("assessments:year_open"), {"framework": year_framework.pk, "deadline": LATER.isoformat()}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('assessments:progress_dashboard')}?year={YEAR}"
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"已为 5 个单位开启{YEAR}年度填报，截止日期 {date_text(LATER)}。"
    ]
    assert AnnualReturn.objects.filter(year=YEAR, deadline=LATER).count() == 5


def test_a_past_deadline_is_shown_next_to_the_field_and_nothing_opens(client, cast, year_framework):
    client.force_login(cast.admin)
    past = TODAY - datetime.timedelta(days=3)
    response = client.post(
        reverse("assessments:year_open"), {"framework": year_framework.pk, "deadline": past.isoformat()}
    )
    assert response.status_code == 400
    assert "截止日期不能早于今天" in response.content.decode()
    assert not AnnualReturn.objects.exists()


def test_an_unreadable_date_gets_a_chinese_message(client, cast, year_framework):
    client.force_login(cast.reviewer)
    response = client.post(reverse("assessments:year_open"), {"framework": year_framework.pk, "deadline": "明年三月"})
    assert response.status_code == 400
    assert "请按 2026-03-01 的格式填写日期" in response.content.decode()


def test_a_scoped_reviewer_is_refused_the_page(client, cast, year_framework):
    client.force_login(cast.reviewer_scoped)
    assert client.get(reverse("assessments:year_open")).status_code == 403


def test_the_page_shows_its_queries_do_not_grow_with_departments(
    client, cast, year_framework, django_assert_max_num_queries
):
    client.force_login(cast.reviewer)
    url = reverse("assessments:year_open")
    with django_assert_max_num_queries(20) as few:
        client.get(url, {"framework": year_framework.pk})
    for number in range(40):
        DepartmentFactory(code=f"N{number:03d}", name=f"新增单位{number}", parent=cast.city)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"framework": year_framework.pk})
    assert "将为 <strong>45</strong> 个启用的单位开启填报" in response.content.decode()


# --- changing the year's deadline


@pytest.fixture
def open_year(cast, year_framework):
    opened(cast, year_framework)
    return year_framework


def returns_of(department):
    return AnnualReturn.objects.get(department=department, year=YEAR)


def test_a_new_deadline_moves_every_return_not_yet_submitted(cast, open_year):
    AnnualReturn.objects.filter(department=cast.dept_b).update(status="submitted", first_submitted_at=timezone.now())
    change = year_deadline_change(year=YEAR, deadline=LATER, reason="机构改革，延后一个月", user=cast.reviewer)
    assert change.changed == 4
    assert returns_of(cast.dept_a).deadline == LATER
    assert returns_of(cast.dept_b).deadline == default_deadline(YEAR)  # judged against the old one


def test_each_moved_return_logs_the_old_and_new_date_and_the_reason(cast, open_year):
    year_deadline_change(year=YEAR, deadline=LATER, reason="机构改革", user=cast.reviewer)
    transition = ReturnTransition.objects.get(annual_return=returns_of(cast.dept_a), action="deadline")
    assert transition.user == cast.reviewer
    assert transition.comment == f"截止日期由 {date_text(default_deadline(YEAR))} 调整为 {date_text(LATER)}：机构改革"


def test_a_deadline_change_is_audited_with_before_and_after(cast, open_year):
    year_deadline_change(year=YEAR, deadline=LATER, reason="机构改革", user=cast.admin)
    event = AuditEvent.objects.get(object_type="assessments.year", object_id=str(YEAR))
    assert event.before == {"截止日期": {default_deadline(YEAR).isoformat(): 5}}
    assert event.after == {"截止日期": LATER.isoformat(), "调整填报数": 5, "取消延期": 0, "理由": "机构改革"}


def test_an_extension_no_later_than_the_new_deadline_is_withdrawn_and_says_so(cast, open_year):
    short = LATER - datetime.timedelta(days=5)
    AnnualReturn.objects.filter(department=cast.dept_a).update(
        deadline=TODAY, extended_until=short, extension_reason="系统故障"
    )
    AnnualReturn.objects.filter(department=cast.dept_b).update(
        deadline=TODAY, extended_until=LATER + datetime.timedelta(days=5), extension_reason="合并"
    )
    change = year_deadline_change(year=YEAR, deadline=LATER, reason="统一延后", user=cast.reviewer)
    assert change.extensions_ended == 1
    assert (returns_of(cast.dept_a).extended_until, returns_of(cast.dept_a).extension_reason) == (None, "")
    assert returns_of(cast.dept_b).extended_until == LATER + datetime.timedelta(days=5)
    comment = ReturnTransition.objects.get(annual_return=returns_of(cast.dept_a), action="deadline").comment
    assert f"原批准延期至 {date_text(short)}" in comment and "延期取消" in comment


def test_a_deadline_change_needs_a_reason(cast, open_year):
    with pytest.raises(ReturnActionError, match="须填写理由"):
        year_deadline_change(year=YEAR, deadline=LATER, reason="  ", user=cast.reviewer)
    assert returns_of(cast.dept_a).deadline == default_deadline(YEAR)


def test_a_deadline_change_to_the_past_is_refused(cast, open_year):
    with pytest.raises(ReturnActionError, match="截止日期不能早于今天"):
        year_deadline_change(year=YEAR, deadline=TODAY - datetime.timedelta(days=1), reason="误填", user=cast.reviewer)


def test_a_scoped_reviewer_cannot_change_the_deadline(cast, open_year):
    with pytest.raises(TransitionNotAllowed):
        year_deadline_change(year=YEAR, deadline=LATER, reason="延后", user=cast.reviewer_scoped)
    assert returns_of(cast.dept_a).deadline == default_deadline(YEAR)


def test_the_same_deadline_again_is_refused_as_no_change(cast, open_year):
    with pytest.raises(ReturnActionError, match="均已是"):
        year_deadline_change(year=YEAR, deadline=default_deadline(YEAR), reason="再次确认", user=cast.reviewer)


def test_the_deadline_page_moves_the_year_and_reports_how_many(client, cast, open_year):
    client.force_login(cast.reviewer)
    url = reverse("assessments:year_deadline", args=[YEAR])
    assert "截止 " in client.get(url).content.decode()
    response = client.post(url, {"deadline": LATER.isoformat(), "reason": "延后"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        f"已将 5 份尚未提交的{YEAR}年度填报的截止日期调整为 {date_text(LATER)}。"
    ]


def test_the_deadline_page_shows_a_missing_reason_next_to_the_field(client, cast, open_year):
    client.force_login(cast.reviewer)
    response = client.post(reverse("assessments:year_deadline", args=[YEAR]), {"deadline": LATER.isoformat()})
    assert response.status_code == 400
    assert "调整截止日期须填写理由。" in response.content.decode()
    assert returns_of(cast.dept_a).deadline == default_deadline(YEAR)

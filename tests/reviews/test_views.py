"""Pages of review: the queue, the review page and its htmx rows, results, sheets, export, inbox."""

import datetime
import io

import pytest
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessments.models import AnnualReturn
from assessments.selectors.deadlines import overdue_q
from reviews.models import Notification, ReviewScore
from reviews.selectors import queue_base, queue_counts

from .factories import confirmed_return, indicator, judge, published_sheet, submitted_return

Status = AnnualReturn.Status


def queue_url(**params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("reviews:queue") + (f"?{query}" if query else "")


def test_the_queue_lists_submitted_returns_oldest_first(cast, framework, client):
    later = submitted_return(cast.dept_b, cast.staff_b, framework)
    earlier = submitted_return(cast.dept_a, cast.staff_a, framework)
    AnnualReturn.objects.filter(pk=earlier.pk).update(
        first_submitted_at=later.first_submitted_at - datetime.timedelta(days=2)
    )
    client.force_login(cast.reviewer)
    page = client.get(queue_url()).context["page"]
    assert [r.pk for r in page] == [earlier.pk, later.pk]


def test_the_queue_counts_returns_per_status(cast, framework, client):
    submitted_return(cast.dept_a, cast.staff_a, framework)
    confirmed_return(cast.dept_b, cast.staff_b, cast.reviewer, framework)
    client.force_login(cast.reviewer)
    tabs = {value: count for value, _, count in client.get(queue_url()).context["status_tabs"]}
    assert (tabs["submitted"], tabs["confirmed"], tabs["returned"]) == (1, 1, 0)


def test_the_queue_counts_every_status_and_the_overdue_in_one_query(cast, framework, django_assert_num_queries):
    from tests.assessments.factories import open_return

    submitted_return(cast.dept_a, cast.staff_a, framework)
    open_return(cast.dept_b, framework, deadline=timezone.localdate() - datetime.timedelta(days=3))
    with django_assert_num_queries(1):
        counts = queue_counts(cast.reviewer, 2025)
    in_scope = queue_base(cast.reviewer, 2025)
    assert counts == {
        **{status: in_scope.filter(status=status).count() for status in Status.values},
        "overdue": in_scope.filter(Q(is_late=True) | overdue_q(timezone.localdate())).count(),
    }
    assert (counts["submitted"], counts["returned"]) == (1, 0) and counts["overdue"] >= 1


def test_the_queue_filters_by_department_kind_and_level(cast, framework, client):
    submitted_return(cast.dept_a, cast.staff_a, framework)
    township = submitted_return(cast.dept_b, cast.staff_b, framework)
    client.force_login(cast.reviewer)
    assert [r.pk for r in client.get(queue_url(kind="township")).context["page"]] == [township.pk]
    assert [r.pk for r in client.get(queue_url(level="township")).context["page"]] == [township.pk]


def test_the_queue_filters_by_area_with_unreviewed_indicators(cast, framework, client):
    done = submitted_return(cast.dept_a, cast.staff_a, framework)
    for code in ("B1.1", "B1.2", "B1.3"):
        ReviewScore.objects.create(
            annual_return=done, indicator=indicator(framework, code), max_points=2, points=None, reviewer=cast.reviewer
        )
    pending = submitted_return(cast.dept_b, cast.staff_b, framework)
    client.force_login(cast.reviewer)
    assert [r.pk for r in client.get(queue_url(status="submitted", area="B")).context["page"]] == [pending.pk]


def test_the_queue_filters_overdue_returns(cast, framework, client):
    from tests.assessments.factories import open_return

    on_time = submitted_return(cast.dept_a, cast.staff_a, framework)
    late = open_return(cast.dept_b, framework, deadline=timezone.localdate() - datetime.timedelta(days=3))
    client.force_login(cast.reviewer)
    response = client.get(queue_url(status="", overdue="on"))
    listed = [r.pk for r in response.context["page"]]
    assert late.pk in listed
    assert on_time.pk not in listed
    assert response.context["overdue_count"] == len(listed)


def test_the_queue_never_lists_the_reviewers_own_department(cast, framework, client):
    from tests.factories import UserFactory

    own_staff = UserFactory(username="staff_justice", department=cast.justice_bureau)
    submitted_return(cast.justice_bureau, own_staff, framework)
    client.force_login(cast.reviewer)
    assert list(client.get(queue_url()).context["page"]) == []


def test_the_scoped_reviewer_sees_only_their_branch(cast, framework, client):
    submitted_return(cast.dept_a, cast.staff_a, framework)
    b = submitted_return(cast.dept_b, cast.staff_b, framework)
    client.force_login(cast.reviewer_scoped)
    assert [r.pk for r in client.get(queue_url()).context["page"]] == [b.pk]


def test_the_queue_query_count_does_not_grow_with_returns(cast, framework, client, django_assert_max_num_queries):
    from tests.factories import DepartmentFactory, UserFactory

    for number in range(6):
        department = DepartmentFactory(code=f"Q{number}", parent=cast.city)
        submitted_return(department, UserFactory(username=f"q{number}", department=department), framework)
    client.force_login(cast.reviewer)
    with django_assert_max_num_queries(14):
        response = client.get(queue_url())
    assert len(response.context["page"]) == 6


def test_the_review_page_shows_claimed_target_evidence_and_scores_side_by_side(cast, return_a, client):
    client.force_login(cast.reviewer)
    content = client.get(reverse("reviews:review", kwargs={"pk": return_a.pk})).content.decode()
    for text in ("自报值", "目标", "上年", "佐证材料", "自评分", "核定值", "审核分", "100%（10/10）", "≥3次"):
        assert text in content


def test_the_review_page_query_count_is_bounded(cast, return_a, client, django_assert_max_num_queries):
    client.force_login(cast.reviewer)
    with django_assert_max_num_queries(40):
        client.get(reverse("reviews:review", kwargs={"pk": return_a.pk}))


def test_the_reviewers_own_department_is_shown_read_only(cast, framework, client):
    from tests.factories import UserFactory

    own = submitted_return(cast.justice_bureau, UserFactory(username="sj", department=cast.justice_bureau), framework)
    client.force_login(cast.reviewer)
    response = client.get(reverse("reviews:review", kwargs={"pk": own.pk}))
    assert response.context["may_review"] is False
    assert "本单位填报，您不能审核" in response.content.decode()
    url = reverse("reviews:score", kwargs={"pk": own.pk, "indicator_pk": indicator(framework, "A1.2").pk})
    assert client.post(url, {"points": "0", "reason": "x"}).status_code == 403


def test_an_htmx_score_returns_the_row_with_the_saved_score(cast, return_a, client):
    client.force_login(cast.reviewer)
    a12 = indicator(return_a.framework, "A1.2")
    url = reverse("reviews:score", kwargs={"pk": return_a.pk, "indicator_pk": a12.pk})
    response = client.post(url, {"points": "1", "reason": "清单未公开"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert f'id="row-{a12.pk}"' in response.content.decode()
    assert "已保存" in response.content.decode()
    assert ReviewScore.objects.get(annual_return=return_a, indicator=a12).points == 1


def test_an_htmx_score_without_its_reason_shows_the_message_in_the_row(cast, return_a, client):
    client.force_login(cast.reviewer)
    url = reverse("reviews:score", kwargs={"pk": return_a.pk, "indicator_pk": indicator(return_a.framework, "A1.2").pk})
    response = client.post(url, {"points": "1.5", "reason": ""}, HTTP_HX_REQUEST="true")
    content = response.content.decode()
    assert "须填写理由" in content
    assert 'value="1.5"' in content  # what was typed is kept for the second try
    assert not ReviewScore.objects.exists()


def test_sending_back_two_ticked_indicators_through_the_page(cast, return_a, client):
    client.force_login(cast.reviewer)
    a11, b13 = indicator(return_a.framework, "A1.1"), indicator(return_a.framework, "B1.3")
    deadline = (timezone.localdate() + datetime.timedelta(days=5)).isoformat()
    data = {
        "comment": "请修改", "resubmit_deadline": deadline, "version": return_a.version, "reopen": [a11.pk, b13.pk],
        f"comment_{a11.pk}": "核实次数", f"comment_{b13.pk}": "核实满意度",
    }  # fmt: skip
    client.post(reverse("reviews:send_back", kwargs={"pk": return_a.pk}), data)
    rows = return_a.values.filter(is_reopened=True).order_by("indicator__order")
    assert [(row.indicator.code, row.reviewer_comment) for row in rows] == [
        ("A1.1", "核实次数"),
        ("B1.3", "核实满意度"),
    ]
    assert (
        Notification.objects.get(recipient=cast.staff_a, kind="returned").title == "2025年度填报被退回修改（2 项指标）"
    )


def test_approving_and_confirming_through_the_page(cast, return_a, client):
    judge(return_a, cast.reviewer)
    client.force_login(cast.reviewer)
    client.post(reverse("reviews:approve", kwargs={"pk": return_a.pk}), {"version": return_a.version + 0})
    return_a.refresh_from_db()
    assert return_a.status == Status.APPROVED
    client.post(reverse("reviews:confirm", kwargs={"pk": return_a.pk}), {"version": return_a.version})
    assert AnnualReturn.objects.get(pk=return_a.pk).status == Status.CONFIRMED


def test_a_stale_page_cannot_approve(cast, return_a, client):
    judge(return_a, cast.reviewer)
    client.force_login(cast.reviewer)
    response = client.post(reverse("reviews:approve", kwargs={"pk": return_a.pk}), {"version": 1}, follow=True)
    assert "请刷新" in response.content.decode()
    assert AnnualReturn.objects.get(pk=return_a.pk).status == Status.SUBMITTED


def test_department_staff_see_no_results_before_publication(cast, framework, client):
    confirmed_return(cast.dept_a, cast.staff_a, cast.reviewer, framework)
    client.force_login(cast.staff_a)
    response = client.get(reverse("reviews:results", kwargs={"year": 2025}))
    assert "尚未公示" in response.content.decode()
    assert response.context["rows"] == []


def test_department_staff_see_their_own_sheet_and_rank_once_published(cast, client):
    sheet = published_sheet(cast.dept_a, cast.staff_a, cast.reviewer)
    client.force_login(cast.staff_a)
    response = client.get(reverse("reviews:results", kwargs={"year": 2025}))
    assert response.context["own_sheet"] == sheet
    assert client.get(reverse("reviews:sheet", kwargs={"pk": sheet.pk})).status_code == 200


def test_department_staff_never_open_another_departments_sheet(cast, client):
    sheet = published_sheet(cast.dept_a, cast.staff_a, cast.reviewer)
    client.force_login(cast.staff_b)
    assert client.get(reverse("reviews:sheet", kwargs={"pk": sheet.pk})).status_code == 404


def test_the_ranking_is_shown_to_departments_only_when_the_bureau_makes_it_public(cast, client):
    published_sheet(cast.dept_a, cast.staff_a, cast.reviewer)
    client.force_login(cast.staff_b)
    url = reverse("reviews:results", kwargs={"year": 2025})
    assert client.get(url).context["rows"] == []
    client.force_login(cast.reviewer)
    client.post(reverse("reviews:ranking_visibility", kwargs={"year": 2025}), {"public": "1"})
    client.force_login(cast.staff_b)
    response = client.get(url)
    assert [row.department for row in response.context["rows"]] == [cast.dept_a]
    assert (
        reverse("reviews:sheet", kwargs={"pk": response.context["rows"][0].sheet.pk}) not in response.content.decode()
    )


def test_the_results_page_query_count_does_not_grow_with_departments(
    cast, framework, client, django_assert_max_num_queries
):
    from tests.factories import DepartmentFactory, UserFactory

    for number in range(5):
        department = DepartmentFactory(code=f"R{number}", parent=cast.city)
        confirmed_return(
            department, UserFactory(username=f"r{number}", department=department), cast.reviewer, framework
        )
    client.force_login(cast.reviewer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("reviews:results", kwargs={"year": 2025}))
    assert len(response.context["rows"]) == 5


def test_the_export_escapes_cells_that_would_run_as_formulas(cast, framework, client):
    cast.dept_a.name = '=HYPERLINK("http://evil")'
    cast.dept_a.save(update_fields=["name"])
    confirmed_return(cast.dept_a, cast.staff_a, cast.reviewer, framework)
    client.force_login(cast.reviewer)
    response = client.get(reverse("reviews:results_export", kwargs={"year": 2025}))
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet["C2"].value == '\'=HYPERLINK("http://evil")'
    assert sheet["E2"].value == 95.0
    assert "filename*=utf-8''2025" in response["Content-Disposition"]


def test_the_bell_counts_unread_notices_and_the_inbox_marks_them_read(cast, return_a, client):
    from reviews.services.notifications import notify

    notify(users=[cast.staff_a], kind="approved", title="已审核通过", url=reverse("accounts:home"))
    client.force_login(cast.staff_a)
    assert "1 条未读" in client.get(reverse("accounts:home")).content.decode()
    notice = Notification.objects.get(recipient=cast.staff_a)
    response = client.post(reverse("reviews:notifications_read"), {"pk": notice.pk, "next": notice.url})
    assert response.url == reverse("accounts:home")
    assert Notification.objects.get(pk=notice.pk).is_read


def test_marking_read_never_redirects_off_site(cast, client):
    client.force_login(cast.staff_a)
    response = client.post(reverse("reviews:notifications_read"), {"next": "https://evil.example/"})
    assert response.url == reverse("reviews:notifications")


@pytest.mark.parametrize("user_name", ["staff_a", "congress"])
def test_only_reviewers_and_admins_reach_the_workbench(cast, client, user_name):
    client.force_login(getattr(cast, user_name))
    assert client.get(queue_url()).status_code == 403


@pytest.mark.parametrize(
    "model", ["scoresheet", "reviewscore", "adjustment", "appeal", "publication", "reviewauditentry", "notification"]
)
def test_the_admin_lists_review_data_read_only(cast, client, model):
    client.force_login(cast.admin)
    assert client.get(reverse(f"admin:reviews_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:reviews_{model}_add")).status_code == 403


def test_the_review_page_takes_eleven_queries(cast, return_a, client, django_assert_num_queries):
    """Session, the user with their department, the return with its unit's score sheet and whether
    the year is published, the read's audit record; last year's return; this year's and last year's
    values in one; review scores; evidence files; adjustments; the 审核记录 page with its count and
    the re-scores after provided figures (得分变动说明) in one; the bell."""
    client.force_login(cast.reviewer)
    url = reverse("reviews:review", kwargs={"pk": return_a.pk})
    client.get(url)  # the framework's tree, kept per process once read
    with django_assert_num_queries(11):
        assert client.get(url).status_code == 200

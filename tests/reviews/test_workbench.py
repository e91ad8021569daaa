"""The reviewer's 工作台 says what waits for them, with counts and links (it showed only the scope
and the number of units)."""

from django.urls import reverse

from reviews.services.adjustments import adjustment_register
from workbench.work import work_for

from .factories import appeal_on_judgement, published_sheet, resubmit


def _items(user) -> dict[str, tuple[int, str]]:
    return {item.label: (item.count, item.url) for item in work_for(user)}


def test_first_submissions_and_resubmissions_to_review_are_counted_with_a_link(cast, return_a, return_b):
    from assessments.services.workflow import annual_return_send_back

    annual_return_send_back(annual_return=return_b, user=cast.reviewer, comment="请补充说明")
    resubmit(return_b, cast.staff_b)
    items = _items(cast.reviewer)
    assert items["待审核的填报（首次提交）"][0] == 1
    assert items["重新提交待审核的填报"][0] == 1
    assert items["待审核的填报（首次提交）"][1] == reverse("reviews:queue") + "?year=2025&status=submitted"


def test_a_scoped_reviewer_counts_only_their_branch(cast, return_a, return_b):
    assert _items(cast.reviewer_scoped)["待审核的填报（首次提交）"][0] == 1  # dept_b only


def test_adjustments_entered_by_someone_else_wait_for_approval(cast, framework, second_reviewer):
    item = framework.adjustment_items.get(code="X5")
    adjustment_register(department=cast.dept_b, year=2025, item=item, reason="被省级媒体曝光并查实", user=cast.reviewer)
    assert _items(cast.reviewer)["待审批的加减分"][0] == 0  # not one's own entry (four eyes)
    assert _items(second_reviewer)["待审批的加减分"] == (1, reverse("reviews:adjustments", args=[2025]))


def test_appeals_wait_for_a_reviewer_who_did_not_decide_the_score(cast, second_reviewer):
    sheet = published_sheet(cast.dept_a, cast.staff_a, cast.reviewer)
    appeal_on_judgement(sheet, cast.staff_a)
    assert _items(cast.reviewer)["待复核的异议"][0] == 0  # the first reviewer may not 复核 it
    assert _items(second_reviewer)["待复核的异议"] == (1, reverse("reviews:appeals"))


def test_the_home_page_lists_the_work_with_counts_and_links(client, cast, return_a):
    client.force_login(cast.reviewer)
    html = client.get(reverse("accounts:home")).content.decode()
    assert "待办事项" in html and "待审核的填报（首次提交）" in html
    assert f'href="{reverse("reviews:queue")}?year=2025&amp;status=submitted"' in html


def test_department_staff_get_no_reviewer_work(cast, return_a):
    assert _items(cast.staff_a) == {}

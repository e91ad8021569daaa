"""Done-when of issue 5: a reviewer returns two indicators with comments; the department can edit
only those two; after resubmission and approval everything is locked, and an attempt to change a
locked value through any URL is refused."""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments.models import AnnualReturn, Evidence, IndicatorValue, NarrativeSection
from assessments.services.entry import ValueInput, indicator_values_save
from assessments.services.errors import ReturnNotEditable
from reviews.models import ReviewScore
from reviews.services.errors import ReviewError, ScoresLocked
from reviews.services.review import review_approve, review_confirm, review_score_save, review_send_back

from .factories import indicator, judge, resubmit

Status = AnnualReturn.Status
DEADLINE = timezone.localdate() + datetime.timedelta(days=7)


def send_back_two(annual_return, reviewer):
    framework = annual_return.framework
    comments = {
        indicator(framework, "A1.1").pk: "会议纪要只附了2次，请核实次数。",
        indicator(framework, "B1.3").pk: "满意度与第三方报告不一致。",
    }
    return review_send_back(
        annual_return=annual_return,
        user=reviewer,
        comment="请修改标注的两项指标。",
        indicator_comments=comments,
        resubmit_deadline=DEADLINE,
    )


def test_a_targeted_return_reopens_exactly_the_two_indicators_with_their_comments(cast, return_a):
    returned = send_back_two(return_a, cast.reviewer)
    reopened = IndicatorValue.objects.filter(annual_return=return_a, is_reopened=True).select_related("indicator")
    assert returned.status == Status.RETURNED
    assert returned.resubmit_deadline == DEADLINE
    assert {row.indicator.code: row.reviewer_comment for row in reopened} == {
        "A1.1": "会议纪要只附了2次，请核实次数。",
        "B1.3": "满意度与第三方报告不一致。",
    }


def save(annual_return, user, code, raw):
    row = IndicatorValue.objects.get(annual_return=annual_return, indicator__code=code)
    return indicator_values_save(
        annual_return=annual_return, inputs=[ValueInput(row.indicator_id, raw, row.version)], user=user
    )


def test_the_department_may_change_a_returned_indicator(cast, return_a):
    send_back_two(return_a, cast.reviewer)
    save(return_a, cast.staff_a, "A1.1", {"value": "2"})
    assert IndicatorValue.objects.get(annual_return=return_a, indicator__code="A1.1").value_integer == 2


@pytest.mark.parametrize("code", ["A1.2", "A1.3", "A1.4", "B1.1", "B1.2"])
def test_the_department_may_not_change_an_indicator_that_was_not_returned(cast, return_a, code):
    send_back_two(return_a, cast.reviewer)
    raw = {"numerator": "1", "denominator": "2"} if code in ("A1.3", "B1.2") else {"value": "1"}
    with pytest.raises(ReturnNotEditable):
        save(return_a, cast.staff_a, code, raw)


def test_the_entry_page_refuses_a_not_returned_indicator_over_http(cast, return_a, client):
    send_back_two(return_a, cast.reviewer)
    row = IndicatorValue.objects.get(annual_return=return_a, indicator__code="B1.1")
    client.force_login(cast.staff_a)
    url = reverse("assessments:value_save", kwargs={"pk": return_a.pk, "indicator_pk": row.indicator_id})
    response = client.post(url, {"value": "9", "version": row.version})
    assert response.status_code == 403
    assert IndicatorValue.objects.get(pk=row.pk).value_integer == 0


def test_the_department_sees_each_comment_next_to_its_field(cast, return_a, client):
    send_back_two(return_a, cast.reviewer)
    client.force_login(cast.staff_a)
    page = client.get(reverse("assessments:return_edit", kwargs={"pk": return_a.pk})).content.decode()
    assert "会议纪要只附了2次，请核实次数。" in page
    assert "满意度与第三方报告不一致。" in page


def test_a_whole_return_reopens_everything_and_clears_earlier_marks(cast, return_a):
    send_back_two(return_a, cast.reviewer)
    resubmit(return_a, cast.staff_a, {"A1.1": {"value": "3"}})
    review_send_back(annual_return=return_a, user=cast.reviewer, comment="整份重填", resubmit_deadline=DEADLINE)
    assert not IndicatorValue.objects.filter(annual_return=return_a, is_reopened=True).exists()
    save(return_a, cast.staff_a, "B1.1", {"value": "1"})


def test_a_returned_indicator_needs_a_comment_and_a_deadline(cast, return_a):
    with pytest.raises(ReviewError):
        review_send_back(
            annual_return=return_a,
            user=cast.reviewer,
            comment="改",
            indicator_comments={indicator(return_a.framework, "A1.1").pk: " "},
            resubmit_deadline=DEADLINE,
        )
    with pytest.raises(ReviewError):
        review_send_back(annual_return=return_a, user=cast.reviewer, comment="改", resubmit_deadline=None)
    assert AnnualReturn.objects.get(pk=return_a.pk).status == Status.SUBMITTED


@pytest.fixture
def locked_return(cast, return_a):
    """Returned for two indicators, fixed, resubmitted, scored, approved and confirmed."""
    send_back_two(return_a, cast.reviewer)
    resubmit(return_a, cast.staff_a, {"A1.1": {"value": "3"}, "B1.3": {"value": "92"}})
    judge(return_a, cast.reviewer)
    review_approve(annual_return=return_a, user=cast.reviewer)
    return review_confirm(annual_return=return_a, user=cast.reviewer)


def snapshot(annual_return):
    values = list(IndicatorValue.objects.filter(annual_return=annual_return).order_by("pk").values())
    narratives = list(NarrativeSection.objects.filter(annual_return=annual_return).order_by("pk").values("text"))
    scores = list(ReviewScore.objects.filter(annual_return=annual_return).order_by("pk").values())
    evidence = list(Evidence.objects.filter(annual_return=annual_return).values("pk", "deleted_at"))
    return values, narratives, scores, evidence


def test_after_resubmission_and_approval_the_fix_is_kept_and_the_return_is_locked(locked_return):
    assert locked_return.status == Status.CONFIRMED
    assert IndicatorValue.objects.get(annual_return=locked_return, indicator__code="B1.3").value_decimal == 92
    assert not IndicatorValue.objects.filter(annual_return=locked_return, is_reopened=True).exists()


def test_approval_records_a_score_for_every_indicator(locked_return):
    codes = set(ReviewScore.objects.filter(annual_return=locked_return).values_list("indicator__code", flat=True))
    assert codes == {"A1.1", "A1.2", "A1.3", "A1.4", "B1.1", "B1.2", "B1.3"}


def test_a_locked_value_cannot_be_changed_by_the_save_service(cast, locked_return):
    with pytest.raises(ReturnNotEditable):
        save(locked_return, cast.staff_a, "A1.1", {"value": "9"})


def test_a_locked_score_cannot_be_changed_by_the_review_service(cast, locked_return):
    with pytest.raises(ScoresLocked):
        review_score_save(
            annual_return=locked_return,
            indicator=indicator(locked_return.framework, "A1.2"),
            user=cast.reviewer,
            points=0,
            reason="改分",
        )


def _patterns(resolver=None, prefix=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _patterns(pattern, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}", pattern


def _kwargs_for(pattern, annual_return, any_indicator, evidence_pk):
    """Fill a URL's parameters with the locked return's objects, or None when it takes others."""
    names = set(pattern.pattern.regex.groupindex)
    values = {"pk": annual_return.pk, "indicator_pk": any_indicator, "kind": NarrativeSection.Kind.MEASURES}
    if names <= set(values) and "pk" in names:
        return {name: values[name] for name in names}
    if names == {"pk"} and evidence_pk is not None:
        return {"pk": evidence_pk}
    return None


def test_no_url_changes_a_locked_return(cast, locked_return, client):
    """Every URL of returns and review that takes a return (or its indicator) is posted to by its
    department, a reviewer and an administrator with plausible data; nothing changes."""
    framework = locked_return.framework
    any_indicator = indicator(framework, "A1.1").pk
    before = snapshot(locked_return)
    data = {
        "value": "9", "numerator": "1", "denominator": "2", "version": "99", "points": "0", "reason": "改",
        "text": "改写", "comment": "改", "resubmit_deadline": DEADLINE.isoformat(), "decision": "approve",
    }  # fmt: skip
    posted = []
    for name, pattern in _patterns():
        if not name.startswith(("assessments:", "reviews:")) or name == "reviews:reopen":
            continue
        kwargs = _kwargs_for(pattern, locked_return, any_indicator, None)
        if kwargs is None:
            continue
        url = reverse(name, kwargs=kwargs)
        for user in (cast.staff_a, cast.reviewer, cast.admin):
            client.force_login(user)
            client.post(url, data)
            client.post(url, data, HTTP_HX_REQUEST="true")
        posted.append(name)
    assert {"assessments:value_save", "assessments:narrative_save", "reviews:score", "reviews:send_back"} <= set(posted)
    assert snapshot(locked_return) == before
    assert AnnualReturn.objects.get(pk=locked_return.pk).status == Status.CONFIRMED


def test_reopening_a_locked_return_needs_a_reason_and_is_audited(cast, locked_return, client):
    client.force_login(cast.reviewer)
    url = reverse("reviews:reopen", kwargs={"pk": locked_return.pk})
    client.post(url, {"reason": ""})
    assert AnnualReturn.objects.get(pk=locked_return.pk).status == Status.CONFIRMED
    a11 = indicator(locked_return.framework, "A1.1").pk
    reason = "发现A1.1会议纪要系伪造，需重新核实"
    client.post(url, {"reason": reason, "reopen": [a11], f"comment_{a11}": "请提供原件"})
    reopened = AnnualReturn.objects.get(pk=locked_return.pk)
    assert reopened.status == Status.RETURNED
    entry = reopened.department.reviewauditentry_set.get(action="reopen")
    assert (entry.before, entry.reason) == ({"status": "confirmed"}, reason)
    reopened_rows = IndicatorValue.objects.filter(annual_return=reopened, is_reopened=True)
    assert list(reopened_rows.values_list("reviewer_comment", flat=True)) == ["请提供原件"]

"""Done-when of issue 5: a reviewer returns two indicators with comments; the department can edit
only those two; after resubmission and approval everything is locked, and an attempt to change a
locked value through any URL is refused."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from assessments.excel.common import preview_token
from assessments.excel.department import department_preview
from assessments.models import AnnualReturn, Evidence, IndicatorValue, NarrativeSection, ReturnTransition
from assessments.services.entry import ValueInput, indicator_values_save, narrative_save
from assessments.services.errors import ReturnNotEditable
from assessments.services.evidence import evidence_upload
from assessments.services.submission import content_fingerprint
from reviews.models import ReviewScore, ScoreSheet
from reviews.services.errors import ReviewError, ScoresLocked
from reviews.services.review import review_approve, review_confirm, review_score_save, review_send_back
from tests.assessments.test_xlsx_fill import filled

from .factories import indicator, judge, resubmit, small_pdf

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


ALL_CODES = ["A1.1", "A1.2", "A1.3", "A1.4", "B1.1", "B1.2", "B1.3"]


def raw_for(code):
    return {"numerator": "1", "denominator": "2"} if code in ("A1.3", "B1.2") else {"value": "1"}


def test_the_whole_story_two_returned_then_resubmitted_then_approved_then_nothing_editable(cast, return_a):
    """Two indicators returned with comments; only they can be changed; after resubmission and
    approval (审核通过, before 确认) the department can change no value, text or file, the two
    fixed ones included."""
    send_back_two(return_a, cast.reviewer)
    editable = []
    for code in ALL_CODES:
        try:
            save(return_a, cast.staff_a, code, {"value": "2"} if code == "A1.1" else raw_for(code))
        except ReturnNotEditable:
            continue
        editable.append(code)
    assert editable == ["A1.1", "B1.3"]
    resubmit(return_a, cast.staff_a, {"B1.3": {"value": "92"}})
    judge(return_a, cast.reviewer)
    approved = review_approve(annual_return=return_a, user=cast.reviewer)
    assert approved.status == Status.APPROVED
    for code in ALL_CODES:
        with pytest.raises(ReturnNotEditable):
            save(approved, cast.staff_a, code, raw_for(code))
    section = NarrativeSection.objects.get(annual_return=approved, kind=NarrativeSection.Kind.MEASURES)
    with pytest.raises(ReturnNotEditable):
        narrative_save(
            annual_return=approved, kind=section.kind, text="改写", expected_version=section.version, user=cast.staff_a
        )
    with pytest.raises(ReturnNotEditable):
        evidence_upload(annual_return=approved, uploaded_file=small_pdf(), user=cast.staff_a)
    values = {row.indicator.code: row for row in approved.values.select_related("indicator")}
    assert (values["A1.1"].value_integer, values["B1.3"].value_decimal) == (2, 92)


@pytest.fixture
def locked_return(cast, return_a):
    """Returned for two indicators, fixed (with a file for A1.1 and one for the whole return),
    resubmitted, scored, approved and confirmed."""
    send_back_two(return_a, cast.reviewer)
    for target, name in ((indicator(return_a.framework, "A1.1"), "会议纪要.pdf"), (None, "工作总结.pdf")):
        evidence_upload(annual_return=return_a, uploaded_file=small_pdf(name), user=cast.staff_a, indicator=target)
    resubmit(return_a, cast.staff_a, {"A1.1": {"value": "3"}, "B1.3": {"value": "92"}})
    judge(return_a, cast.reviewer)
    review_approve(annual_return=return_a, user=cast.reviewer)
    return review_confirm(annual_return=return_a, user=cast.reviewer)


def snapshot(annual_return):
    values = list(IndicatorValue.objects.filter(annual_return=annual_return).order_by("pk").values())
    narratives = list(NarrativeSection.objects.filter(annual_return=annual_return).order_by("pk").values())
    scores = list(ReviewScore.objects.filter(annual_return=annual_return).order_by("pk").values())
    evidence = list(Evidence.objects.filter(annual_return=annual_return).order_by("pk").values())
    the_return = list(AnnualReturn.objects.filter(pk=annual_return.pk).values())
    sheet = list(ScoreSheet.objects.filter(annual_return=annual_return).values())
    moves = ReturnTransition.objects.filter(annual_return=annual_return).count()
    return values, narratives, scores, evidence, the_return, sheet, moves


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


def _targets(annual_return, indicator_pk: int, evidence_ids: list[int]):
    """(name, kwargs) for every URL of returns and review that acts on the return, one of its
    indicators or sections, or one of its files (each file once)."""
    for name, pattern in _patterns():
        if not name.startswith(("assessments:", "reviews:")) or name == "reviews:reopen":
            continue
        route, names = str(pattern.pattern), set(pattern.pattern.regex.groupindex)
        if route.startswith("evidence/<int:pk>"):
            for evidence_id in evidence_ids:
                yield name, {"pk": evidence_id}
        elif route.startswith(("<int:pk>/", "returns/<int:pk>/")) and names <= {"pk", "indicator_pk", "kind"}:
            values = {"pk": annual_return.pk, "indicator_pk": indicator_pk, "kind": NarrativeSection.Kind.MEASURES}
            yield name, {key: values[key] for key in names}


class Payloads:
    """What each URL's own form would post on a page opened just now: the current version of the
    row it changes, a fresh file that passes every check, a signed Excel preview with a real change.
    Nothing is stale, duplicated or malformed, so the lock is the only thing left to refuse."""

    def __init__(self, annual_return, a11):
        self.annual_return, self.a11 = annual_return, a11
        self.workbook = filled(annual_return, {"A1.1": {"本年值": "9"}})
        self.preview = department_preview(annual_return, self.workbook)
        assert [change.code for change in self.preview.changes] == ["A1.1"]
        self.uploads = 0

    def _fresh_pdf(self):
        self.uploads += 1
        return SimpleUploadedFile(
            f"新材料{self.uploads}.pdf", b"%PDF-1.4\n%% upload " + str(self.uploads).encode() + b"\n%%EOF\n"
        )

    def for_url(self, name: str, user) -> dict:
        annual_return = AnnualReturn.objects.get(pk=self.annual_return.pk)
        row = IndicatorValue.objects.get(annual_return=annual_return, indicator_id=self.a11)
        section = NarrativeSection.objects.get(annual_return=annual_return, kind=NarrativeSection.Kind.MEASURES)
        score = ReviewScore.objects.get(annual_return=annual_return, indicator_id=self.a11)
        version = str(annual_return.version)
        payloads = {
            "assessments:value_save": {"value": "9", "version": str(row.version)},
            "assessments:narrative_save": {"text": "改写后的工作措施。", "version": str(section.version)},
            "assessments:return_submit": {"version": version, "fingerprint": content_fingerprint(annual_return)},
            "assessments:extension_grant": {"until": (DEADLINE + datetime.timedelta(days=30)).isoformat(),
                                            "reason": "系统故障"},
            "assessments:evidence_upload": {"files": self._fresh_pdf(), "description": "补充材料"},
            "assessments:evidence_indicator_upload": {"files": self._fresh_pdf(), "description": "补充材料"},
            "assessments:excel_upload": {"file": SimpleUploadedFile("填报.xlsx", self.workbook)},
            "assessments:excel_apply": {
                "token": preview_token(self.preview.changes, user_id=user.pk, scope=f"return:{annual_return.pk}")
            },
            "reviews:score": {"points": "0", "reason": "改分", "version": str(score.version)},
            "reviews:send_back": {"comment": "改", "resubmit_deadline": DEADLINE.isoformat(), "version": version,
                                  "reopen": [str(self.a11)], f"comment_{self.a11}": "请重填"},
            "reviews:approve": {"comment": "通过", "version": version},
            "reviews:confirm": {"comment": "确认", "version": version},
        }  # fmt: skip
        return payloads.get(name, {})


def test_no_url_changes_a_locked_return(cast, locked_return, client):
    """Every URL of returns and review that takes the return, its indicator, section or files is
    posted to by its department, a reviewer and an administrator with the data its own form sends
    (current versions, real file ids, a real upload); nothing changes."""
    a11 = indicator(locked_return.framework, "A1.1").pk
    evidence_ids = list(Evidence.objects.filter(annual_return=locked_return).values_list("pk", flat=True))
    assert len(evidence_ids) == 2
    payloads = Payloads(locked_return, a11)
    before = snapshot(locked_return)
    posted = set()
    for name, kwargs in _targets(locked_return, a11, evidence_ids):
        url = reverse(name, kwargs=kwargs)
        for user in (cast.staff_a, cast.reviewer, cast.admin):
            client.force_login(user)
            client.post(url, payloads.for_url(name, user))
            client.post(url, payloads.for_url(name, user), HTTP_HX_REQUEST="true")
        posted.add(name)
    assert {
        "assessments:value_save",
        "assessments:narrative_save",
        "assessments:return_submit",
        "assessments:evidence_upload",
        "assessments:evidence_indicator_upload",
        "assessments:evidence_delete",
        "assessments:excel_upload",
        "assessments:excel_apply",
        "reviews:score",
        "reviews:send_back",
        "reviews:approve",
        "reviews:confirm",
    } <= posted
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

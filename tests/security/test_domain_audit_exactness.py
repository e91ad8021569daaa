"""Exactness of the domain audit trails (ASVS 5.0 16.2.1; issue 9 §6): each state-changing service
writes exactly one row for its change in its app's own audit table — assessments.ValueChange for
values and narratives, assessments.ReturnTransition for workflow moves, reviews.ReviewAuditEntry
for review and scoring — and the application-wide AuditEvent table does not duplicate them.
Changes with no domain table (evidence upload and delete, 审议意见 answers) write one AuditEvent."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.reviews import factories as rf

TABLES = ("ValueChange", "ReturnTransition", "ReviewAuditEntry", "AuditEvent")
# A review step that moves a return's points also recomputes its score sheet: a second, derived
# state change (ScoreSheet's total), recorded by its own review-trail row.
SHEET = "score_sheet_compute"


def _counts() -> dict[str, int]:
    from assessments.models import ReturnTransition, ValueChange
    from audit.models import AuditEvent
    from reviews.models import ReviewAuditEntry

    models = {
        "ValueChange": ValueChange,
        "ReturnTransition": ReturnTransition,
        "ReviewAuditEntry": ReviewAuditEntry,
        "AuditEvent": AuditEvent,
    }
    return {name: models[name].objects.count() for name in TABLES}


def _delta(action) -> dict:
    """Rows added per audit table; for the review trail, the sorted actions of its new rows."""
    from reviews.models import ReviewAuditEntry

    before, last_entry = _counts(), ReviewAuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    action()
    after = _counts()
    delta: dict = {name: after[name] - before[name] for name in TABLES if after[name] != before[name]}
    if "ReviewAuditEntry" in delta:
        delta["ReviewAuditEntry"] = sorted(
            ReviewAuditEntry.objects.filter(pk__gt=last_entry or 0).values_list("action", flat=True)
        )
    return delta


@pytest.fixture
def year(cast):
    from assessments.models import AnnualReturn
    from tests.assessments.factories import open_return

    framework = rf.framework_for()
    annual_return = open_return(cast.dept_a, framework, deadline=timezone.localdate() + datetime.timedelta(days=30))
    AnnualReturn.objects.filter(pk=annual_return.pk).update(status=AnnualReturn.Status.IN_PROGRESS)
    annual_return.refresh_from_db()
    return annual_return


@pytest.fixture
def second_reviewer(cast):
    from accounts.models import User
    from tests.factories import UserFactory

    return UserFactory(username="reviewer_two", role=User.Role.REVIEWER, department=cast.justice_bureau)


def test_each_step_of_the_year_writes_exactly_one_domain_audit_row(cast, year, second_reviewer):
    from assessments.models import AnnualReturn, NarrativeSection
    from assessments.services.entry import ValueInput, indicator_values_save, narrative_save
    from assessments.services.submission import annual_return_submit
    from assessments.services.workflow import annual_return_transition
    from reviews.models import ScoreSheet
    from reviews.services import adjustments, appeals, publication, review

    annual_return = year
    a11 = annual_return.values.get(indicator__code="A1.1")

    def refresh():
        annual_return.refresh_from_db()

    steps = []

    def step(name, action, expected):
        steps.append((name, _delta(action), expected))
        refresh()

    step(
        "one value saved",
        lambda: indicator_values_save(
            annual_return=annual_return,
            inputs=[ValueInput(a11.indicator_id, {"value": "5"}, a11.version)],
            user=cast.staff_a,
        ),
        {"ValueChange": 1},
    )
    section = NarrativeSection.objects.filter(annual_return=annual_return).first()
    step(
        "one narrative saved",
        lambda: narrative_save(
            annual_return=annual_return,
            kind=section.kind,
            text="新的叙述。",
            expected_version=section.version,
            user=cast.staff_a,
        ),
        {"ValueChange": 1},
    )
    rf.fill(annual_return, cast.staff_a, rf.FULL_MARKS)
    refresh()
    step(
        "submitted",
        lambda: annual_return_submit(annual_return=annual_return, user=cast.staff_a),
        {"ReturnTransition": 1},
    )
    step(
        "judgement scored",
        lambda: rf.judge(annual_return, cast.reviewer),
        {"ReviewAuditEntry": ["review_score", SHEET]},
    )
    step(
        "sent back",
        lambda: review.review_send_back(
            annual_return=annual_return,
            user=cast.reviewer,
            comment="请核实",
            indicator_comments={a11.indicator_id: "次数不符"},
            resubmit_deadline=timezone.localdate() + datetime.timedelta(days=7),
        ),
        # The sheet of the figures being rewritten is withdrawn (its own derived row).
        {"ReturnTransition": 1, "ReviewAuditEntry": ["return", "score_sheet_withdraw"]},
    )
    step(
        "resumed",
        lambda: annual_return_transition(annual_return=annual_return, action="resume", user=cast.staff_a),
        {"ReturnTransition": 1},
    )
    step(
        "resubmitted",
        lambda: annual_return_submit(annual_return=annual_return, user=cast.staff_a),
        {"ReturnTransition": 1, "ReviewAuditEntry": [SHEET]},
    )
    step(
        "approved",
        lambda: review.review_approve(annual_return=annual_return, user=cast.reviewer),
        {"ReturnTransition": 1, "ReviewAuditEntry": ["approve", SHEET]},
    )
    step(
        "confirmed",
        lambda: review.review_confirm(annual_return=annual_return, user=cast.reviewer),
        {"ReturnTransition": 1, "ReviewAuditEntry": ["confirm", SHEET]},
    )
    framework = annual_return.framework
    entry = []
    step(
        "adjustment registered",
        lambda: entry.append(
            adjustments.adjustment_register(
                department=cast.dept_a,
                year=2025,
                item=framework.adjustment_items.get(code="X5"),
                reason="通报",
                user=cast.reviewer,
            )
        ),
        {"ReviewAuditEntry": ["adjustment_register"]},
    )
    step(
        "adjustment decided",
        lambda: adjustments.adjustment_decide(adjustment=entry[0], approve=True, user=second_reviewer),
        {"ReviewAuditEntry": ["adjustment_approve", SHEET]},
    )
    step(
        "results published",
        lambda: publication.results_publish(
            year=2025, appeal_deadline=timezone.localdate() + datetime.timedelta(days=7), user=cast.reviewer
        ),
        {"ReviewAuditEntry": ["publish"]},
    )
    step(
        "ranking made public",
        lambda: publication.results_set_ranking_public(year=2025, is_public=True, user=cast.reviewer),
        {"ReviewAuditEntry": ["ranking_visibility"]},
    )
    step(
        "breakdowns made public",
        lambda: publication.results_set_breakdown_public(year=2025, is_public=True, user=cast.reviewer),
        {"ReviewAuditEntry": ["breakdown_visibility"]},
    )
    sheet = ScoreSheet.objects.get(department=cast.dept_a, year=2025)
    appeal = []
    step(
        "appeal submitted",
        lambda: appeal.append(rf.appeal_on_judgement(sheet, cast.staff_a)),
        {"ReviewAuditEntry": ["appeal_submit"]},
    )
    step(
        "appeal decided",
        lambda: appeals.appeal_decide(
            appeal=appeal[0], user=second_reviewer, decision="upheld", reason="已补正", points=Decimal("4")
        ),
        {"ReviewAuditEntry": ["appeal_decide", SHEET]},
    )
    assert AnnualReturn.objects.get(pk=annual_return.pk).status == AnnualReturn.Status.CONFIRMED
    observed = {name: delta for name, delta, _ in steps}
    expected = {name: want for name, _, want in steps}
    assert observed == expected


def test_state_changes_outside_the_review_cycle_are_audited_once(cast, year):
    """Evidence, deadline extensions and 审议意见 answers: each change leaves exactly one row."""
    from assessments.services.deadlines import annual_return_grant_extension
    from assessments.services.evidence import evidence_delete, evidence_upload
    from congress.services.followup import assignment_answer
    from tests.congress.factories import AssignmentFactory

    uploaded = []
    observed = {
        "evidence uploaded": _delta(
            lambda: uploaded.append(
                evidence_upload(annual_return=year, uploaded_file=rf.small_pdf(), user=cast.staff_a)
            )
        ),
    }
    year.refresh_from_db()
    observed["evidence deleted"] = _delta(lambda: evidence_delete(evidence=uploaded[0], user=cast.staff_a))
    year.refresh_from_db()
    observed["extension granted"] = _delta(
        lambda: annual_return_grant_extension(
            annual_return=year,
            until=timezone.localdate() + datetime.timedelta(days=60),
            reason="系统故障",
            user=cast.reviewer,
        )
    )
    assignment = AssignmentFactory(department=cast.dept_a)
    observed["审议意见 answered"] = _delta(
        lambda: assignment_answer(
            assignment=assignment, status="resolved", answer="已整改。", version=assignment.version, user=cast.staff_a
        )
    )
    assert observed == {
        "evidence uploaded": {"AuditEvent": 1},
        "evidence deleted": {"AuditEvent": 1},
        "extension granted": {"ReturnTransition": 1},
        "审议意见 answered": {"AuditEvent": 1},
    }

import pytest

from assessments.models import AnnualReturn, ReturnTransition
from assessments.services import workflow
from assessments.services.errors import StaleReturn, TransitionNotAllowed
from assessments.services.workflow import (
    TRANSITIONS,
    allowed_actions,
    annual_return_reopen,
    annual_return_send_back,
    annual_return_transition,
)

from .factories import value_row

Status = AnnualReturn.Status


def at(annual_return, status):
    AnnualReturn.objects.filter(pk=annual_return.pk).update(status=status, first_submitted_at="2026-02-01T00:00Z")
    annual_return.refresh_from_db()
    return annual_return


def test_the_table_follows_the_official_lifecycle():
    assert {(action, t.target) for action, t in TRANSITIONS.items()} == {
        ("start", Status.IN_PROGRESS),
        ("resume", Status.IN_PROGRESS),
        ("submit", Status.SUBMITTED),
        ("return", Status.RETURNED),
        ("approve", Status.APPROVED),
        ("confirm", Status.CONFIRMED),
        ("reopen", Status.RETURNED),
    }


def test_a_reviewer_approves_a_submitted_return_and_it_is_logged(cast, return_a):
    approved = annual_return_transition(
        annual_return=at(return_a, Status.SUBMITTED), action="approve", user=cast.reviewer
    )
    assert approved.status == Status.APPROVED
    last = ReturnTransition.objects.filter(annual_return=return_a).last()
    assert (last.from_status, last.to_status, last.user, last.action) == (
        "submitted",
        "approved",
        cast.reviewer,
        "approve",
    )


def test_every_transition_bumps_the_version(cast, return_a):
    before = at(return_a, Status.SUBMITTED).version
    assert annual_return_transition(annual_return=return_a, action="approve", user=cast.reviewer).version == before + 1


@pytest.mark.parametrize("status", [Status.NOT_STARTED, Status.IN_PROGRESS, Status.RETURNED, Status.CONFIRMED])
def test_approving_is_refused_unless_submitted(cast, return_a, status):
    with pytest.raises(TransitionNotAllowed):
        annual_return_transition(annual_return=at(return_a, status), action="approve", user=cast.reviewer)
    assert AnnualReturn.objects.get(pk=return_a.pk).status == status


def test_confirming_skips_no_step(cast, return_a):
    with pytest.raises(TransitionNotAllowed):
        annual_return_transition(annual_return=at(return_a, Status.SUBMITTED), action="confirm", user=cast.reviewer)


def test_a_department_cannot_approve_its_own_return(cast, return_a):
    with pytest.raises(TransitionNotAllowed):
        annual_return_transition(annual_return=at(return_a, Status.SUBMITTED), action="approve", user=cast.staff_a)


def test_a_reviewer_outside_the_scope_cannot_approve(cast, return_a):
    with pytest.raises(TransitionNotAllowed):
        annual_return_transition(
            annual_return=at(return_a, Status.SUBMITTED), action="approve", user=cast.reviewer_scoped
        )


def test_a_reviewer_never_reviews_their_own_department(cast, framework):
    from .factories import open_return

    own = at(open_return(cast.justice_bureau, framework), Status.SUBMITTED)
    with pytest.raises(TransitionNotAllowed):
        annual_return_transition(annual_return=own, action="approve", user=cast.reviewer)


def test_congress_staff_and_admins_cannot_approve(cast, return_a):
    at(return_a, Status.SUBMITTED)
    for user in (cast.congress, cast.admin):
        with pytest.raises(TransitionNotAllowed):
            annual_return_transition(annual_return=return_a, action="approve", user=user)


def test_returning_needs_a_reason(cast, return_a):
    with pytest.raises(TransitionNotAllowed):
        annual_return_transition(annual_return=at(return_a, Status.SUBMITTED), action="return", user=cast.reviewer)


def test_submitting_through_the_generic_transition_is_refused(cast, return_a):
    with pytest.raises(TransitionNotAllowed):
        annual_return_transition(annual_return=at(return_a, Status.IN_PROGRESS), action="submit", user=cast.staff_a)


def test_a_stale_version_is_refused(cast, return_a):
    at(return_a, Status.SUBMITTED)
    with pytest.raises(StaleReturn):
        annual_return_transition(
            annual_return=return_a, action="approve", user=cast.reviewer, expected_version=return_a.version - 1
        )


def test_a_targeted_return_reopens_only_the_named_indicators_with_comments(cast, return_a):
    k1 = value_row(return_a, "K1")
    returned = annual_return_send_back(
        annual_return=at(return_a, Status.SUBMITTED),
        user=cast.reviewer,
        comment="部分数据需核实",
        indicator_comments={k1.indicator_id: "请附会议纪要"},
    )
    assert returned.status == Status.RETURNED
    assert list(return_a.values.filter(is_reopened=True).values_list("reviewer_comment", flat=True)) == ["请附会议纪要"]


def test_sending_back_an_indicator_of_another_return_is_refused(cast, return_a, return_b):
    foreign = return_b.values.first()
    with pytest.raises(TransitionNotAllowed):
        annual_return_send_back(
            annual_return=at(return_a, Status.SUBMITTED),
            user=cast.reviewer,
            comment="x",
            indicator_comments={foreign.indicator_id + 10_000: "y"},
        )
    assert AnnualReturn.objects.get(pk=return_a.pk).status == Status.SUBMITTED


def test_reopening_a_locked_return_needs_a_reason_and_is_logged(cast, return_a):
    at(return_a, Status.CONFIRMED)
    with pytest.raises(TransitionNotAllowed):
        annual_return_reopen(annual_return=return_a, user=cast.reviewer, reason=" ")
    reopened = annual_return_reopen(annual_return=return_a, user=cast.admin, reason="异议复核后需更正数据")
    assert reopened.status == Status.RETURNED
    assert (
        ReturnTransition.objects.filter(annual_return=return_a, action="reopen").get().comment == "异议复核后需更正数据"
    )


def test_department_staff_cannot_reopen_a_locked_return(cast, return_a):
    with pytest.raises(TransitionNotAllowed):
        annual_return_reopen(annual_return=at(return_a, Status.CONFIRMED), user=cast.staff_a, reason="想改")


def test_allowed_actions_offer_only_what_the_user_may_do_now(cast, return_a):
    at(return_a, Status.SUBMITTED)
    assert [t.action for t in allowed_actions(return_a, cast.reviewer)] == ["return", "approve"]
    assert allowed_actions(return_a, cast.staff_a) == []


# --- the hook other apps react through (reviews: the score sheet follows a send-back)


def test_every_move_tells_the_listeners_with_the_return_in_its_new_status(cast, return_a, monkeypatch):
    heard = []
    monkeypatch.setattr(workflow, "RETURN_MOVE_LISTENERS", [lambda **move: heard.append(move)])

    annual_return_send_back(annual_return=at(return_a, Status.SUBMITTED), user=cast.reviewer, comment="请补充佐证")

    assert [(m["annual_return"].status, m["user"], m["reason"]) for m in heard] == [
        (Status.RETURNED, cast.reviewer, "请补充佐证")
    ]


def test_a_listener_that_refuses_undoes_the_move(cast, return_a, monkeypatch):
    def refuse(**move):
        raise TransitionNotAllowed("考核结果已公示")

    monkeypatch.setattr(workflow, "RETURN_MOVE_LISTENERS", [refuse])
    at(return_a, Status.SUBMITTED)
    logged = ReturnTransition.objects.filter(annual_return=return_a).count()

    with pytest.raises(TransitionNotAllowed, match="已公示"):
        annual_return_transition(annual_return=return_a, action="approve", user=cast.reviewer)

    assert AnnualReturn.objects.get(pk=return_a.pk).status == Status.SUBMITTED
    assert ReturnTransition.objects.filter(annual_return=return_a).count() == logged

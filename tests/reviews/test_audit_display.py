"""Audit rows read in Chinese on the review and sheet pages; coded values are labelled by what
they belong to."""

from reviews.audit_display import action_label, audit_changes
from reviews.models import ReviewAuditEntry


def entry(action, before, after):
    return ReviewAuditEntry(action=action, subject="x", year=2025, before=before, after=after)


def test_a_status_reads_as_the_returns_status_in_a_return_action():
    [change] = audit_changes(entry("approve", {"status": "submitted"}, {"status": "approved"}))
    assert (change.label, change.before, change.after) == ("状态", "已提交", "已审核")


def test_the_same_code_reads_as_the_adjustments_status_in_an_adjustment_action():
    [change] = audit_changes(entry("adjustment_approve", {"status": "pending"}, {"status": "approved"}))
    assert (change.before, change.after) == ("待审批", "已批准")


def test_a_withdrawn_sheet_shows_its_last_values_and_nothing_after():
    changes = audit_changes(entry("score_sheet_withdraw", {"total": "95.00", "is_vetoed": False, "grade": "good"}, {}))
    assert [(c.label, c.before, c.after) for c in changes] == [
        ("总分", "95.00", "—"),
        ("一票否决", "否", "—"),
        ("等次", "良好", "—"),
    ]


def test_an_unchanged_value_is_shown_but_not_marked_changed():
    [change] = audit_changes(entry("appeal_decide", {"sheet_bonus": "1.50"}, {"sheet_bonus": "1.50"}))
    assert (change.label, change.is_changed) == ("得分表加分", False)


def test_every_action_the_services_record_has_a_chinese_label():
    import pathlib
    import re

    recorded = set()
    for path in pathlib.Path("reviews/services").glob("*.py"):
        for first, second in re.findall(r'action="([a-z_]+)"(?: if [^\n]*? else "([a-z_]+)")?', path.read_text()):
            recorded |= {first, second} - {""}
    assert {"adjustment_approve", "adjustment_reject", "score_sheet_withdraw", "appeal_decide"} <= recorded
    assert {action for action in recorded if action_label(action) == action} == set()

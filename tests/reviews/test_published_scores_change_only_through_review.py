"""Done-when of issue 5: once results are published, appeals change a score only through the 复核
decision, and the audit shows every before/after value. Every other page that could move a score
is posted to, with what its own form sends, by each reviewer and the administrator; nothing moves.
Then the department appeals and the second reviewer decides, over HTTP, and the score moves."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews.models import Adjustment, Appeal, ReviewAuditEntry, ReviewScore, ScoreSheet
from reviews.services.adjustments import adjustment_decide, adjustment_register
from reviews.services.publication import results_publish

from .factories import confirmed_return, indicator

D = Decimal
TODAY = timezone.localdate()
DEADLINE = TODAY + datetime.timedelta(days=7)


@pytest.fixture
def published(cast, framework, second_reviewer):
    """dept_a confirmed (judgement 3 of 4 → 95.00), a K2 bonus of 1.5 approved → 96.50, an X5
    deduction registered but not yet approved; then the year is published."""
    annual_return = confirmed_return(cast.dept_a, cast.staff_a, cast.reviewer, framework)
    items = {item.code: item for item in framework.adjustment_items.all()}
    bonus = adjustment_register(
        department=cast.dept_a, year=2025, item=items["K2"], reason="经验被省级推广", user=cast.reviewer
    )
    adjustment_decide(adjustment=bonus, approve=True, user=second_reviewer)
    pending = adjustment_register(
        department=cast.dept_a, year=2025, item=items["X5"], reason="被媒体曝光", user=cast.reviewer
    )
    results_publish(year=2025, appeal_deadline=DEADLINE, user=cast.reviewer)
    sheet = ScoreSheet.objects.get(department=cast.dept_a, year=2025)
    assert sheet.total == D("96.50")
    return annual_return, sheet, bonus, pending


def state(sheet):
    sheet_row = ScoreSheet.objects.filter(pk=sheet.pk).values("total", "grade", "fingerprint", "version", "breakdown")
    scores = ReviewScore.objects.filter(annual_return_id=sheet.annual_return_id).order_by("pk").values()
    adjustments = Adjustment.objects.filter(department_id=sheet.department_id).order_by("pk").values()
    return list(sheet_row), list(scores), list(adjustments)


def test_after_publication_no_page_but_the_review_decision_moves_a_score(cast, published, second_reviewer, client):
    annual_return, sheet, bonus, pending = published
    framework = annual_return.framework
    a12 = indicator(framework, "A1.2").pk
    before = state(sheet)
    audit_rows = ReviewAuditEntry.objects.count()

    def score_version():
        return ReviewScore.objects.get(annual_return=annual_return, indicator_id=a12).version

    return_version = str(annual_return.version)
    posts = [
        ("reviews:score", {"pk": annual_return.pk, "indicator_pk": a12},
         lambda: {"points": "0", "reason": "职责清单未印发", "version": str(score_version())}),
        ("reviews:reopen", {"pk": annual_return.pk},
         lambda: {"reason": "发现数据有误", "version": return_version, "resubmit_deadline": DEADLINE.isoformat()}),
        ("reviews:send_back", {"pk": annual_return.pk},
         lambda: {"comment": "请修改", "resubmit_deadline": DEADLINE.isoformat(), "version": return_version}),
        ("reviews:adjustments", {"year": 2025},
         lambda: {"department": cast.dept_a.pk, "item": framework.adjustment_items.get(code="X5").pk,
                  "occurrences": "1", "reason": "补登一件"}),
        ("reviews:adjustment_decide", {"pk": pending.pk}, lambda: {"decision": "approve", "note": "同意"}),
        ("reviews:adjustment_withdraw", {"pk": bonus.pk}, lambda: {"reason": "重复登记"}),
    ]  # fmt: skip
    for name, kwargs, data in posts:
        for user in (cast.reviewer, second_reviewer, cast.admin):
            client.force_login(user)
            client.post(reverse(name, kwargs=kwargs), data())
    assert state(sheet) == before
    assert ReviewAuditEntry.objects.count() == audit_rows

    # The department contests A1.4 (3 of 4); the second reviewer upholds it: 4 of 4 → 100 + 1.5.
    a14 = ReviewScore.objects.get(annual_return=annual_return, indicator__code="A1.4")
    client.force_login(cast.staff_a)
    client.post(
        reverse("reviews:appeal_create", kwargs={"pk": sheet.pk}),
        {"subject": f"score:{a14.pk}", "statement": "会议纪要已补充上传，请复核。"},
    )
    appeal = Appeal.objects.get(score_sheet=sheet)
    client.force_login(second_reviewer)
    client.post(
        reverse("reviews:appeal_decide", kwargs={"pk": appeal.pk}), {"decision": "upheld", "reason": "材料齐全"}
    )
    sheet.refresh_from_db()
    a14.refresh_from_db()
    assert (a14.points, a14.final_points, sheet.total) == (D("3.00"), D("4.00"), D("101.50"))
    entry = ReviewAuditEntry.objects.get(action="appeal_decide")
    assert (entry.user, entry.reason) == (second_reviewer, "材料齐全")
    assert (entry.before["final_points"], entry.after["final_points"]) == (None, "4.00")
    assert (entry.before["sheet_total"], entry.after["sheet_total"]) == ("96.50", "101.50")
    assert (entry.before["sheet_bonus"], entry.after["sheet_bonus"]) == ("1.50", "1.50")
    assert (entry.before["sheet_area_points"], entry.after["sheet_area_points"]) == (
        {"A": "9.00", "B": "10.00"},
        {"A": "10.00", "B": "10.00"},
    )
    recompute = ReviewAuditEntry.objects.filter(action="score_sheet_compute").latest("pk")
    assert (recompute.before["total"], recompute.after["total"], recompute.reason) == (
        "96.50",
        "101.50",
        "异议复核：材料齐全",
    )


def test_the_sheet_page_shows_the_decision_with_its_before_and_after_values(cast, published, second_reviewer, client):
    from reviews.services.appeals import appeal_decide

    from .factories import appeal_on_judgement

    _, sheet, _, _ = published
    appeal = appeal_on_judgement(sheet, cast.staff_a)
    appeal_decide(appeal=appeal, user=second_reviewer, decision="upheld", reason="材料齐全")
    client.force_login(cast.reviewer)
    page = client.get(reverse("reviews:sheet", kwargs={"pk": sheet.pk})).content.decode()
    for text in (
        "异议复核",
        "异议状态：待复核 → 异议成立",
        "复核分：— → 4.00",
        "得分表总分：96.50 → 101.50",
        "得分表一级指标得分：A 9.00，B 10.00 → A 10.00，B 10.00",
        "计算得分",
        "总分：96.50 → 101.50",
        "批准加减分",
        "状态：待审批 → 已批准",
    ):
        assert text in page, text

"""The demo city's 2024 scores, worked out by hand for five units covering every scoring rule.

Built from accounts, indicators and reviews demo data only, so the five units carry the figures
designed in reviews/demo.py (full marks but for the listed shortfalls). Applicable maxima of the
default framework (sum of applicable indicators, capped per group and area): 政府 75.5, 政府工作部门
84.5, 乡镇街道 96.0. Base score = earned × 100 / applicable maximum, rounded half up to 0.01.
"""

from decimal import Decimal

import pytest
from django.db import transaction

from reviews.models import Publication, ScoreSheet
from reviews.services.scoring import score_sheet_compute

D = Decimal


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    from accounts import demo as accounts_demo
    from indicators import demo as indicators_demo
    from reviews import demo as reviews_demo

    with django_db_blocker.unblock(), transaction.atomic():
        accounts_demo.seed()
        indicators_demo.seed()
        reviews_demo.seed()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def sheets(demo_city, db):
    return {sheet.department.code: sheet for sheet in ScoreSheet.objects.filter(year=2024).select_related("department")}


def points(sheet, code):
    for area in sheet.breakdown["areas"]:
        for group in area["groups"]:
            for item in group["indicators"]:
                if item["code"] == code:
                    return item["points"]
    raise KeyError(code)


def test_the_2024_cycle_is_published_and_final(sheets):
    assert Publication.objects.get(year=2024).is_final
    assert len(sheets) == 21  # every assessed demo unit (市信访局 included; not the court)
    assert all(sheet.is_final for sheet in sheets.values())


def test_applicable_maxima_per_kind(sheets):
    assert (sheets["YZ100"].applicable_max, sheets["YZ002"].applicable_max, sheets["YZ210"].applicable_max) == (
        D("75.5"),
        D("84.5"),
        D("96.0"),
    )


def test_police_all_or_nothing_and_linear(sheets):
    # A1.2 否 → 0 of 1; A3.2 18/20 = 90 % → 0.5 × 0.9 = 0.45; earned 84.5 − 1.05 = 83.45
    sheet = sheets["YZ002"]
    assert (points(sheet, "A1.2"), points(sheet, "A3.2")) == ("0.00", "0.45")
    # 83.45 × 100 / 84.5 = 98.7574 → 98.76
    assert (sheet.earned, sheet.total, sheet.grade) == (D("83.45"), D("98.76"), "excellent")


def test_market_regulation_shortfall_and_per_event_with_the_appeal_decided(sheets):
    # A1.1 2 of 3 meetings → 1.5 − 0.5; C2.1 18/20 → 2 unfiled × 1, item of 1 → 0;
    # H1.3 2 cases × 0.5 → 0, raised to 0.5 by the 复核 decision (partly upheld)
    sheet = sheets["YZ003"]
    assert (points(sheet, "A1.1"), points(sheet, "C2.1"), points(sheet, "H1.3")) == ("1.00", "0.00", "0.50")
    h13 = next(
        item
        for a in sheet.breakdown["areas"]
        for g in a["groups"]
        for item in g["indicators"]
        if item["code"] == "H1.3"
    )
    assert (h13["initial_points"], h13["final_points"]) == ("0.00", "0.50")
    # earned 84.5 − 0.5 − 1 − 0.5 = 82.5 → 8250 / 84.5 = 97.6331 → 97.63
    assert (sheet.earned, sheet.total, sheet.grade) == (D("82.50"), D("97.63"), "excellent")


def test_dongcheng_inverse_tiered_and_bonus(sheets):
    # G2.2 败诉率 20 %: (20 − 10) / 5 = 2 steps × 0.5 → 1.5 − 1.0; J1.1 82 → tier 80 → 1.5 of 2
    sheet = sheets["YZ100"]
    assert (points(sheet, "G2.2"), points(sheet, "J1.1")) == ("0.50", "1.50")
    # earned 75.5 − 1.5 = 74 → 7400 / 75.5 = 98.0132 → 98.01; + K1 3 → 101.01
    assert (sheet.base_score, sheet.bonus, sheet.total, sheet.grade) == (
        D("98.01"),
        D("3.00"),
        D("101.01"),
        "excellent",
    )


def test_qingshi_judgement_and_linear_floor(sheets):
    # B3.2 judged 0.5 of 1; A3.3 15/20 = 75 % < floor 80 % → 0 of 0.5; earned 96 − 1 = 95
    sheet = sheets["YZ210"]
    assert (points(sheet, "B3.2"), points(sheet, "A3.3")) == ("0.50", "0.00")
    # 9500 / 96 = 98.9583 → 98.96
    assert (sheet.earned, sheet.total, sheet.grade) == (D("95.00"), D("98.96"), "excellent")


def test_baishui_date_multiple_choice_deduction_and_veto(sheets):
    # A2.1 reported after the due date → 0 of 1; A2.2 4 of 5 elements → 1 event × 0.2 → 0.8
    sheet = sheets["YZ211"]
    assert (points(sheet, "A2.1"), points(sheet, "A2.2")) == ("0.00", "0.80")
    # earned 96 − 1.2 = 94.8 → 98.75; X5 −2 → 96.75; X1 一票否决 → 不合格, ranked last
    assert (sheet.base_score, sheet.deductions, sheet.total) == (D("98.75"), D("2.00"), D("96.75"))
    assert (sheet.is_vetoed, sheet.grade, sheet.rank) == (True, "fail", 21)


def test_recomputing_every_sheet_of_the_demo_city_changes_nothing(sheets):
    for sheet in sheets.values():
        again, changed = score_sheet_compute(annual_return=sheet.annual_return)
        assert (changed, again.fingerprint, again.total) == (False, sheet.fingerprint, sheet.total)

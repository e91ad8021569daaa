"""Rankings read stored sheets: overall, per area, per kind, ties shared, vetoes last, change vs last year."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Department
from reviews.models import ScoreSheet
from reviews.selectors import _ranked, ranking
from reviews.services.scoring import score_sheets_rank
from tests.factories import DepartmentFactory

D = Decimal


def sheet(department, year, total, *, areas=None, is_vetoed=False):
    from indicators.models import IndicatorFramework

    framework = IndicatorFramework.objects.get_or_create(name="排名", year=year, defaults={"version": 1})[0]
    return ScoreSheet.objects.create(
        department=department, year=year, framework=framework, department_kind=department.kind, earned=0,
        applicable_max=0, base_score=total, bonus=0, deductions=0, total=D(total), is_vetoed=is_vetoed,
        grade="fail" if is_vetoed else "good", area_points=areas or {}, breakdown={}, fingerprint="x",
        computed_at="2026-01-01T00:00:00Z",
    )  # fmt: skip


def departments(n, kind=Department.Kind.WORKING_DEPARTMENT):
    return [DepartmentFactory(code=f"K{kind[:1]}{i}", name=f"单位{i}", kind=kind, sort_order=i) for i in range(n)]


def test_ties_share_a_rank_and_the_next_rank_skips(db):
    a, b, c, d = departments(4)
    for department, total in ((a, "90"), (b, "95"), (c, "90"), (d, "80")):
        sheet(department, 2025, total)
    assert [(row.department, row.rank) for row in ranking(year=2025)] == [(b, 1), (a, 2), (c, 2), (d, 4)]


def test_a_vetoed_unit_ranks_last_whatever_its_points(db):
    a, b = departments(2)
    sheet(a, 2025, "99", is_vetoed=True)
    sheet(b, 2025, "70")
    assert [row.department for row in ranking(year=2025)] == [b, a]
    score_sheets_rank(year=2025)
    assert ScoreSheet.objects.get(department=a).rank == 2


def test_ranking_by_an_area_uses_the_stored_subtotal(db):
    a, b = departments(2)
    sheet(a, 2025, "95", areas={"G": "10.00"})
    sheet(b, 2025, "90", areas={"G": "12.50"})
    assert [(row.department, row.points) for row in ranking(year=2025, area_code="G")] == [
        (b, D("12.50")),
        (a, D("10.00")),
    ]


def test_ranking_within_a_kind_leaves_other_kinds_out(db):
    (a,) = departments(1)
    (town,) = departments(1, Department.Kind.TOWNSHIP)
    sheet(a, 2025, "90")
    sheet(town, 2025, "80")
    assert [row.department for row in ranking(year=2025, kind=Department.Kind.TOWNSHIP)] == [town]


def test_rank_change_compares_with_last_years_rank_in_the_same_ranking(db):
    a, b, c = departments(3)
    for department, last, now in ((a, "90", "80"), (b, "85", "95"), (c, "70", "75")):
        sheet(department, 2024, last)
        sheet(department, 2025, now)
    changes = {row.department: row.rank_change for row in ranking(year=2025)}
    assert changes == {b: 1, a: -1, c: 0}


def test_a_unit_new_this_year_has_no_rank_change_and_reads_new(db):
    a, b = departments(2)
    sheet(a, 2024, "90")
    sheet(a, 2025, "90")
    sheet(b, 2025, "80")
    rows = {row.department: row for row in ranking(year=2025)}
    assert {d: row.rank_change for d, row in rows.items()} == {a: 0, b: None}
    assert (rows[a].is_new, rows[b].is_new) == (False, True)


def test_without_a_ranking_last_year_no_unit_reads_new(db):
    (a,) = departments(1)
    sheet(a, 2025, "90")
    (row,) = ranking(year=2025)
    assert (row.rank_change, row.is_new) == (None, False)


def test_rank_change_counts_only_the_units_ranked_in_both_years(db):
    """20 units last year, 8 confirmed so far this year: the last of last year, now first of the 8,
    has passed 7 of the units present in both years, not 19 (it read ↑17 and the like)."""
    units = departments(20)
    for place, unit in enumerate(units):
        sheet(unit, 2024, str(100 - place))  # last year: units[0] first … units[19] last
    for place, unit in enumerate(reversed(units[12:])):
        sheet(unit, 2025, str(100 - place))  # this year only units[12..19], in reverse order
    changes = {row.department: row.rank_change for row in ranking(year=2025)}
    assert changes[units[19]] == 7 and changes[units[12]] == -7
    assert max(changes.values()) == 7


class Stub:
    def __init__(self, index, total, is_vetoed):
        self.department_id, self.total, self.is_vetoed = index, total, is_vetoed
        self.department = type("Dept", (), {"sort_order": index, "code": f"{index:03d}"})()


@given(st.lists(st.tuples(st.integers(0, 40), st.booleans()), min_size=1, max_size=30))
def test_competition_ranks_hold_for_any_totals(entries):
    sheets = [Stub(index, D(total), vetoed) for index, (total, vetoed) in enumerate(entries)]
    ranks = _ranked(sheets, lambda s: s.total)
    for one in sheets:
        better = sum(1 for other in sheets if (other.is_vetoed, -other.total) < (one.is_vetoed, -one.total))
        assert ranks[one.department_id] == better + 1

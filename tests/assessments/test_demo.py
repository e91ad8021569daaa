from types import SimpleNamespace

from accounts import demo as accounts_demo
from assessments import demo
from assessments.models import AnnualReturn, ReturnTransition
from assessments.selectors.checking import return_check
from assessments.selectors.returns import return_data_load
from assessments.services.completion import completion_counted
from indicators import demo as indicators_demo

Status = AnnualReturn.Status


def test_the_demo_fills_2024_locked_and_2025_in_every_state_and_seeding_again_adds_nothing(db):
    """One test, because seeding the demo city takes most of a minute."""
    accounts_demo.seed()
    indicators_demo.seed()
    demo.seed()
    last_year, this_year = AnnualReturn.objects.filter(year=2024), AnnualReturn.objects.filter(year=2025)
    assert set(last_year.values_list("status", flat=True)) == {Status.CONFIRMED}
    assert not last_year.filter(self_score__isnull=True).exists()
    assert set(this_year.values_list("status", flat=True)) == set(Status.values)
    assert not last_year.get(department__code="YZ211").is_late  # submitted within an extension: in time
    returned = this_year.get(department__code="YZ003")
    assert returned.values.filter(is_reopened=True).exclude(reviewer_comment="").count() == 2
    for annual_return in this_year.filter(status=Status.SUBMITTED).select_related("department", "framework"):
        assert return_check(return_data_load(annual_return)).is_submittable, annual_return
    counted = completion_counted(AnnualReturn.objects.all())  # the demo writes values around the services
    assert {r.pk: (r.filled_count, r.item_count) for r in AnnualReturn.objects.all()} == counted
    before = (AnnualReturn.objects.count(), ReturnTransition.objects.count())
    demo.seed()
    assert (AnnualReturn.objects.count(), ReturnTransition.objects.count()) == before


def test_demo_figures_are_deterministic_and_keep_rates_whole():
    indicator = SimpleNamespace(
        code="B1.1", value_type="rate", target_value=None, target_operator=">=", unit="", options=[], target_date=None
    )
    department = SimpleNamespace(code="YZ002")
    first = demo._raw_for(indicator, department, 2025)
    assert first == demo._raw_for(indicator, department, 2025)
    assert int(first["numerator"]) <= int(first["denominator"])


def test_demo_litigation_figures_do_not_contradict_each_other():
    raws = {
        "G2.1": {"numerator": "90", "denominator": "95"},
        "G2.2": {"numerator": "12", "denominator": "200"},
        "G2.5": {"value": "40"},
        "G2.6": {"value": "30"},
        "G2.9": {"value": "70"},
    }
    demo.keep_case_counts_plausible(raws)
    assert raws["G2.6"] == {"value": "24"}  # 二审 ≤ 60 % of 一审
    assert raws["G2.2"] == {"numerator": "12", "denominator": "40"}  # 一审审结 ≤ 一审应诉
    assert raws["G2.1"] == {"numerator": "64", "denominator": "64"}  # 开庭审理 ≤ 一审 + 二审
    assert raws["G2.9"] == {"value": "40"}  # 判决驳回 ≤ 一审审结


def test_demo_reconsideration_figures_stay_within_the_cases_against_the_unit():
    raws = {"G1.1": {"numerator": "49", "denominator": "2481"}, "G1.6": {"value": "561"}}
    demo.keep_case_counts_plausible(raws)
    assert raws["G1.1"] == {"numerator": "49", "denominator": "561"}


def test_demo_litigation_figures_already_plausible_are_left_alone():
    raws = {"G2.2": {"numerator": "1", "denominator": "8"}, "G2.5": {"value": "10"}, "G2.9": {"value": "3"}}
    demo.keep_case_counts_plausible(raws)
    assert raws == {"G2.2": {"numerator": "1", "denominator": "8"}, "G2.5": {"value": "10"}, "G2.9": {"value": "3"}}

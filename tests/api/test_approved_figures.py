"""The approved returns' figures a provincial platform pulls: only returns the bureau approved, only
units in the token's subtree, values as the product's pages write them."""

import pytest
from django.urls import reverse

from assessments.models import AnnualReturn, IndicatorValue
from audit.models import AuditEvent
from tests.factories import UserFactory
from tests.reviews import factories as rf

from .factories import authorization, token_for

URL = reverse("api:approved_figures")


@pytest.fixture
def year(cast):
    """dept_a (city branch) and dept_b (county branch) confirmed; the justice bureau only submitted."""
    rf.confirmed_return(cast.dept_a, cast.staff_a, cast.reviewer)
    rf.confirmed_return(cast.dept_b, cast.staff_b, cast.reviewer)
    bureau_staff = UserFactory(department=cast.justice_bureau)
    rf.submitted_return(cast.justice_bureau, bureau_staff, rf.framework_for())
    return 2025


def _rows(api, issued, **query):
    response = api.get(URL, {"page_size": 500, **query}, **authorization(issued))
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_token_reads_only_the_units_of_its_subtree(cast, year, api):
    units = {row["unit_code"] for row in _rows(api, token_for(cast.county))}
    assert units == {cast.dept_b.code}


def test_a_token_of_the_top_unit_reads_every_approved_return_but_no_submitted_one(cast, year, api):
    units = {row["unit_code"] for row in _rows(api, token_for(cast.city))}
    assert units == {cast.dept_a.code, cast.dept_b.code}


def test_an_approved_but_unconfirmed_return_is_included(cast, year, api):
    AnnualReturn.objects.filter(department=cast.dept_b).update(status=AnnualReturn.Status.APPROVED)
    statuses = {row["return_status"] for row in _rows(api, token_for(cast.county))}
    assert statuses == {"approved"}


def test_a_return_sent_back_for_changes_disappears(cast, year, api):
    AnnualReturn.objects.filter(department=cast.dept_b).update(status=AnnualReturn.Status.RETURNED)
    assert _rows(api, token_for(cast.county)) == []


def test_filtering_by_a_unit_inside_the_subtree(cast, year, api):
    units = {row["unit_code"] for row in _rows(api, token_for(cast.city), unit=cast.county.code)}
    assert units == {cast.dept_b.code}


def test_filtering_by_a_unit_outside_the_subtree_answers_404_like_an_unknown_unit(cast, year, api):
    issued = token_for(cast.county)
    outside = api.get(URL, {"unit": cast.dept_a.code}, **authorization(issued))
    unknown = api.get(URL, {"unit": "NOSUCHUNIT"}, **authorization(issued))
    assert (outside.status_code, unknown.status_code) == (404, 404)
    assert outside.json() == unknown.json()


def test_filtering_by_year_and_indicator(cast, year, api):
    rows = _rows(api, token_for(cast.city), year=2025, indicator="A1.3")
    assert {(row["unit_code"], row["indicator_code"]) for row in rows} == {
        (cast.dept_a.code, "A1.3"),
        (cast.dept_b.code, "A1.3"),
    }
    assert _rows(api, token_for(cast.city), year=2024) == []


def test_a_bad_year_is_refused_with_a_field_error(cast, api):
    response = api.get(URL, {"year": "去年"}, **authorization(token_for(cast.city)))
    assert response.status_code == 400
    assert "year" in response.json()


def test_a_rate_carries_its_parts_its_rate_and_the_pages_text(cast, year, api):
    (row,) = _rows(api, token_for(cast.county), indicator="A1.3")
    assert (row["numerator"], row["denominator"], row["rate"], row["value"]) == ("10", "10", "100", None)
    assert row["text"] == "100%（10/10）"


def test_a_count_a_yes_no_and_an_amount_read_as_json_values(cast, year, api):
    rows = {row["indicator_code"]: row for row in _rows(api, token_for(cast.county))}
    assert rows["A1.1"]["value"] == "3" and rows["A1.1"]["text"] == "3次"
    assert rows["A1.2"]["value"] is True and rows["A1.2"]["text"] == "是"
    assert rows["B1.3"]["value"] == "95" and rows["B1.3"]["text"] == "95分"


def test_not_applicable_carries_its_state_and_reason_and_no_figure(cast, api):
    not_applicable = {"state": "不适用", "reason": "本单位无此职能"}
    rf.confirmed_return(cast.dept_b, cast.staff_b, cast.reviewer, **{"B1.1": not_applicable})
    (row,) = _rows(api, token_for(cast.county), indicator="B1.1")
    assert (row["state"], row["state_reason"], row["value"]) == ("not_applicable", "本单位无此职能", None)
    assert row["text"] == "不适用（本单位无此职能）"


def test_reviewers_notes_and_explanations_are_never_sent(cast, year, api):
    IndicatorValue.objects.update(explanation="ZQXEXPLAIN", reviewer_comment="ZQXCOMMENT")
    body = api.get(URL, **authorization(token_for(cast.city))).content.decode()
    assert "ZQXEXPLAIN" not in body and "ZQXCOMMENT" not in body


def test_each_read_is_recorded_in_the_audit_log_with_the_token(cast, year, api):
    issued = token_for(cast.county)
    api.get(URL, {"year": 2025}, **authorization(issued))
    event = AuditEvent.objects.get(action=AuditEvent.Action.READ, object_type="api.ApiToken")
    assert (event.object_id, event.department_id) == (str(issued.token.pk), cast.county.pk)
    assert "year=2025" in event.path


def test_a_page_of_figures_costs_a_fixed_number_of_queries(cast, year, api, django_assert_max_num_queries):
    issued = token_for(cast.city)
    # token lookup, the unit tree, the page, the audit event (and a savepoint pair around it)
    with django_assert_max_num_queries(6):
        response = api.get(URL, {"page_size": 500}, **authorization(issued))
    assert len(response.json()["results"]) > 10


def test_a_row_written_out_at_once_says_what_drf_would_field_by_field(cast, year, api):
    """ApprovedFigureSerializer.to_representation is a shortcut of DRF's walk over the declared
    fields (which the schema documents): the two agree on every row."""
    from rest_framework import serializers

    from api.serializers import ApprovedFigureSerializer
    from assessments.selectors.figures import approved_values

    rows = list(approved_values(department_ids=[cast.dept_a.pk, cast.dept_b.pk]))
    shortcut = ApprovedFigureSerializer(rows, many=True).data
    field_by_field = [serializers.Serializer.to_representation(ApprovedFigureSerializer(), row) for row in rows]
    assert len(rows) == 14 and [dict(row) for row in shortcut] == [dict(row) for row in field_by_field]

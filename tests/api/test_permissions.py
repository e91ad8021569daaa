"""Every API endpoint × who calls it: nobody (no token), a token whose subtree holds the unit asked
for, a token whose subtree does not, a revoked token. Public data answers anyone; approved returns'
figures only a live token, and only within its subtree. A revoked or unknown key is refused
everywhere, public endpoints included (a caller that sends a key must learn that it is dead), but
the schema and its docs page, which take no credential."""

import pytest
from django.urls import reverse

from indicators.models import IndicatorFramework
from tests.indicators.factories import PublishedFrameworkFactory

from .factories import authorization, token_for

CALLERS = ("anonymous", "in_scope", "out_of_scope", "revoked")


def _framework_pk(cast) -> dict:
    return {"pk": PublishedFrameworkFactory().pk}


def _report_pk(cast) -> dict:
    from tests.publication.factories import publication

    return {"pk": publication(cast.dept_b, user=cast.staff_b).pk}


def _year(cast) -> dict:
    return {"year": 2025}


PUBLIC = {"anonymous": 200, "in_scope": 200, "out_of_scope": 200, "revoked": 401}


# (URL name, URL kwargs maker, query, expected status per caller). The unit asked for is dept_b
# (under the county): in scope for a token of the county, out of scope for a token of dept_a.
ENDPOINTS = [
    # The schema and its page take no credential at all.
    ("api:schema", None, {}, {"anonymous": 200, "in_scope": 200, "out_of_scope": 200, "revoked": 200}),
    ("api:docs", None, {}, {"anonymous": 200, "in_scope": 200, "out_of_scope": 200, "revoked": 200}),
    ("api:years", None, {}, {"anonymous": 200, "in_scope": 200, "out_of_scope": 200, "revoked": 401}),
    ("api:frameworks", None, {}, {"anonymous": 200, "in_scope": 200, "out_of_scope": 200, "revoked": 401}),
    ("api:framework", _framework_pk, {}, {"anonymous": 200, "in_scope": 200, "out_of_scope": 200, "revoked": 401}),
    ("api:indicators", _framework_pk, {}, {"anonymous": 200, "in_scope": 200, "out_of_scope": 200, "revoked": 401}),
    ("api:units", None, {"unit": "C110"}, {"anonymous": 200, "in_scope": 200, "out_of_scope": 200, "revoked": 401}),
    ("api:reports", None, {"unit": "C110"}, PUBLIC),
    ("api:report", _report_pk, {}, PUBLIC),
    ("api:report_pdf", _report_pk, {}, PUBLIC),
    ("api:published_figures", None, {"unit": "C110"}, PUBLIC),
    ("api:open_data_csv", _year, {}, PUBLIC),
    ("api:open_data_json", _year, {}, PUBLIC),
    ("api:token", None, {}, {"anonymous": 401, "in_scope": 200, "out_of_scope": 200, "revoked": 401}),
    (
        "api:approved_figures",
        None,
        {"unit": "C110"},
        {"anonymous": 401, "in_scope": 200, "out_of_scope": 404, "revoked": 401},
    ),
]


def _headers(caller: str, cast) -> dict[str, str]:
    if caller == "anonymous":
        return {}
    scope = {"in_scope": cast.county, "out_of_scope": cast.dept_a, "revoked": cast.county}[caller]
    return authorization(token_for(scope, revoked=caller == "revoked"))


@pytest.mark.parametrize(("name", "kwargs", "query", "expected"), ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_each_caller_gets_the_expected_status(name, kwargs, query, expected, cast, api):
    url = reverse(name, kwargs=kwargs(cast) if kwargs else None)
    outcomes = {caller: api.get(url, query, **_headers(caller, cast)).status_code for caller in CALLERS}
    assert outcomes == expected


def test_every_api_url_is_in_the_table_above():
    from tests.test_permission_matrix import _url_names

    assert {name for name in _url_names() if name.startswith("api:")} == {e[0] for e in ENDPOINTS}


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only_even_with_a_token(method, cast, api):
    url = reverse("api:approved_figures")
    response = getattr(api, method)(url, {}, format="json", **authorization(token_for(cast.city)))
    assert response.status_code == 405
    assert response.json() == {"detail": "数据接口只读：只接受 GET 请求。"}


def test_a_request_without_a_token_is_told_how_to_send_one_in_chinese(api):
    response = api.get(reverse("api:approved_figures"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "Authorization: Token" in response.json()["detail"]


def test_a_revoked_token_is_refused_with_a_chinese_message(cast, api):
    response = api.get(reverse("api:years"), **authorization(token_for(cast.city, revoked=True)))
    assert response.json() == {"detail": "令牌无效或已吊销。"}


def test_an_unknown_key_is_refused(cast, api):
    response = api.get(reverse("api:approved_figures"), HTTP_AUTHORIZATION="Token lgv_not-a-real-key")
    assert response.status_code == 401


def test_a_signed_in_session_is_no_api_credential(cast, client):
    """An administrator's browser cookies do not open the token-only endpoints (no CSRF-able API)."""
    client.force_login(cast.admin)
    assert client.get(reverse("api:approved_figures")).status_code == 401


def test_a_draft_framework_is_not_public(cast, api):
    from tests.indicators.factories import IndicatorFrameworkFactory

    draft = IndicatorFrameworkFactory(status=IndicatorFramework.Status.DRAFT)
    assert api.get(reverse("api:framework", kwargs={"pk": draft.pk})).status_code == 404
    assert api.get(reverse("api:indicators", kwargs={"pk": draft.pk})).status_code == 404
    listed = [row["id"] for row in api.get(reverse("api:frameworks")).json()["results"]]
    assert draft.pk not in listed


def test_a_post_without_a_csrf_token_is_refused_before_the_api_sees_it(cast):
    """The API keeps Django's CSRF check (tests/security/test_csrf.py: no view is exempt)."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        reverse("api:approved_figures"), **authorization(token_for(cast.city))
    )
    assert response.status_code == 403

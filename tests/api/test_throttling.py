"""Rate limits: per address without a token, per token with one; the 429 says when to come back,
in Chinese."""

from django.urls import reverse

from .factories import authorization, token_for


def test_an_anonymous_caller_over_the_limit_gets_429_in_chinese(db, api, settings):
    settings.API_THROTTLE_ANONYMOUS = "3/min"
    statuses = [api.get(reverse("api:years")).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api.get(reverse("api:years"))
    assert response.json()["detail"].startswith("请求过于频繁，请在 ")
    assert response.json()["detail"].endswith(" 秒后再试。")
    assert int(response["Retry-After"]) > 0


def test_a_token_is_limited_on_its_own_count(cast, api, settings):
    settings.API_THROTTLE_ANONYMOUS = "2/min"
    settings.API_THROTTLE_TOKEN = "3/min"
    headers = authorization(token_for(cast.city))
    anonymous = [api.get(reverse("api:years")).status_code for _ in range(3)]
    with_token = [api.get(reverse("api:years"), **headers).status_code for _ in range(4)]
    assert anonymous == [200, 200, 429]
    assert with_token == [200, 200, 200, 429]


def test_two_tokens_do_not_share_a_limit(cast, api, settings):
    settings.API_THROTTLE_TOKEN = "2/min"
    first, second = authorization(token_for(cast.city)), authorization(token_for(cast.county))
    assert [api.get(reverse("api:token"), **first).status_code for _ in range(3)] == [200, 200, 429]
    assert api.get(reverse("api:token"), **second).status_code == 200


def test_the_figures_endpoint_is_limited_too(cast, api, settings):
    settings.API_THROTTLE_TOKEN = "1/min"
    headers = authorization(token_for(cast.city))
    statuses = [api.get(reverse("api:approved_figures"), **headers).status_code for _ in range(2)]
    assert statuses == [200, 429]

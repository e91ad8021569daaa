"""The OpenAPI 3 schema validates, names every endpoint and the token scheme, and its docs page
loads Swagger UI from our own static files."""

import re

import yaml
from django.urls import reverse
from openapi_spec_validator import validate

EXPECTED_PATHS = {
    "/api/v1/years/",
    "/api/v1/frameworks/",
    "/api/v1/frameworks/{id}/",
    "/api/v1/frameworks/{id}/indicators/",
    "/api/v1/units/",
    "/api/v1/token/",
    "/api/v1/reports/",
    "/api/v1/reports/{id}/",
    "/api/v1/reports/{id}/pdf/",
    "/api/v1/published-figures/",
    "/api/v1/open-data/{year}.csv",
    "/api/v1/open-data/{year}.json",
    "/api/v1/approved-figures/",
}


def _schema(api) -> dict:
    response = api.get(reverse("api:schema"))
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_the_schema_is_valid_openapi_3(db, api):
    schema = _schema(api)
    assert schema["openapi"].startswith("3.")
    validate(schema)


def test_the_schema_lists_every_endpoint(db, api):
    assert set(_schema(api)["paths"]) >= EXPECTED_PATHS


def test_the_schema_declares_the_token_scheme_on_the_token_only_endpoints(db, api):
    schema = _schema(api)
    assert schema["components"]["securitySchemes"]["ApiToken"]["in"] == "header"
    figures = schema["paths"]["/api/v1/approved-figures/"]["get"]
    assert {"ApiToken": []} in figures["security"]


def test_the_schema_has_no_warnings_from_drf_spectacular(db):
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache


def test_the_docs_page_loads_only_our_own_files(db, api):
    response = api.get(reverse("api:docs"))
    html = response.content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in source for source in sources)
    assert all(source.startswith("/") for source in sources), sources
    script = api.get(reverse("api:docs") + "?script=")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content

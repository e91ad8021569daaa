"""Dispute text reaches only those in the dispute (issue 20 §3–4): a reason, an answer and an evidence
file name of dept_a's disputes of a figure the court provides carry marker strings; every GET URL of
the permission matrix answers without any of them to staff_b, reviewer_scoped (whose branch excludes
dept_a), congress staff, another 数据提供单位 (the 信访局, which provides other figures for dept_a)
and anonymous callers — pages, lists, searches, xlsx, PDF, the public site and the API alike. The
guard below proves the same markers do show to dept_a's staff, the court and the reviewer."""

import zipfile

import pytest
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from tests.permission_matrix import ROWS
from tests.test_permission_matrix import _url

from .leaks import response_text as _response_text
from .test_cross_department_leaks import _rich_dept_a

DISPUTE_MARKERS = {
    "reason": "ZQXDISPUTEREASON7751",
    "answer": "ZQXDISPUTEANSWER7752",
    "evidence_name": "ZQXDISPUTEFILE7753",
}
OUTSIDERS = ("anonymous", "staff_b", "reviewer_scoped", "congress", "other_provider")
GET_ROWS = [row for row in ROWS if row.method == "GET" and not row.url_name.startswith("admin:")]
SEARCHES = {"q": "ZQXDISPUTE", "search": "ZQXDISPUTEFILE"}


def response_text(response) -> str:
    """As tests/security/leaks.py reads it; a fabricated download that only looks like a package
    (the reports rows' DOCX stand-in) is read as its bytes."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    try:
        return _response_text(HttpResponse(body, content_type=response.get("Content-Type", "")))
    except zipfile.BadZipFile:
        return body.decode("utf-8", "replace")


def _leaked(text: str) -> set[str]:
    return {marker for marker in DISPUTE_MARKERS.values() if marker in text}


def _other_provider(cast):
    """测试市信访局 and its user, providing another of dept_a's figures."""
    from accounts.models import Department, User
    from tests.factories import DepartmentFactory, UserFactory

    xinfang = Department.objects.filter(code="C091").first() or DepartmentFactory(
        code="C091", name="测试市信访局", short_name="市信访局", parent=cast.city, is_assessed=False
    )
    user = User.objects.filter(username="provider_xinfang").first()
    return xinfang, user or UserFactory(username="provider_xinfang", role=User.Role.PROVIDER, department=xinfang)


def plant_dispute_markers(cast) -> None:
    """On dept_a's latest return: a figure provided by the court (the first indicator, unless one is
    already provided) with an answered dispute and an open one, both with a marked file; a second
    figure provided by the 信访局."""
    from assessments.models import AnnualReturn, Evidence, ProvidedValue, ProvidedValueDispute
    from indicators.provisions import indicator_provision_set
    from indicators.selectors import framework_tree_cache_clear

    annual_return = AnnualReturn.objects.filter(department=cast.dept_a).order_by("-year").first()
    values = list(annual_return.values.select_related("indicator").order_by("indicator__order", "indicator__code"))
    provided = [row.indicator for row in values if hasattr(row.indicator, "provision_row")]
    disputed = provided[0] if provided else values[0].indicator
    if not provided:
        indicator_provision_set(indicator=disputed, provider=cast.court)
    xinfang, _ = _other_provider(cast)
    others = [
        row.indicator for row in values if row.indicator != disputed and not hasattr(row.indicator, "provision_row")
    ]
    if others:
        indicator_provision_set(indicator=others[0], provider=xinfang)
    framework_tree_cache_clear()
    provider = disputed.provision_row.provider
    value, _ = ProvidedValue.objects.get_or_create(
        annual_return=annual_return, indicator=disputed, defaults={"provider": provider, "raw_input": {"value": "12"}}
    )
    evidence = Evidence(
        annual_return=annual_return,
        indicator=disputed,
        original_name=f"{DISPUTE_MARKERS['evidence_name']}.pdf",
        description="对提供数据的异议材料",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        uploaded_by=cast.staff_a,
    )
    evidence.file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    evidence.save()
    marked = {"reason": DISPUTE_MARKERS["reason"], "evidence": evidence, "raised_by": cast.staff_a, "value_text": "12"}
    ProvidedValueDispute.objects.create(
        provided_value=value,
        status=ProvidedValueDispute.Status.KEPT,
        answer=DISPUTE_MARKERS["answer"],
        answered_by=cast.provider,
        answered_at=timezone.now(),
        **marked,
    )
    ProvidedValueDispute.objects.create(provided_value=value, **marked)


def _client_for(client, cast, role: str):
    client.logout()
    if role == "other_provider":
        client.force_login(_other_provider(cast)[1])
    elif role != "anonymous":
        client.force_login(getattr(cast, role))


@pytest.mark.parametrize("row", GET_ROWS, ids=lambda row: row.id)
def test_no_get_url_shows_dispute_text_outside_the_dispute(row, cast, client):
    url = _url(row, cast)
    _rich_dept_a(cast)
    plant_dispute_markers(cast)
    for role in OUTSIDERS:
        _client_for(client, cast, role)
        for params in ({}, SEARCHES) if row.kwargs is None and row.target is None else ({},):
            response = client.get(url, params)
            assert response.status_code < 500, (role, url)
            assert not _leaked(response_text(response)), (role, url, params)


def _seen(client, urls) -> set[str]:
    return set().union(*(_leaked(response_text(client.get(url))) for url in urls))


def test_the_dispute_markers_show_to_the_unit_the_provider_and_the_reviewer(cast, client):
    """The guard of the test above: each party to the dispute reads what is theirs to read."""
    from assessments.models import ProvidedValueDispute

    _rich_dept_a(cast)
    plant_dispute_markers(cast)
    dispute = ProvidedValueDispute.objects.filter(status=ProvidedValueDispute.Status.OPEN).get()
    value = dispute.provided_value
    every = set(DISPUTE_MARKERS.values())

    client.force_login(cast.staff_a)
    unit_urls = [
        reverse("assessments:provided_dispute_raise", args=[value.annual_return_id, value.indicator_id]),
        reverse("assessments:evidence_list", args=[value.annual_return_id]),
    ]
    assert _seen(client, unit_urls) == every

    client.force_login(cast.provider)
    answered = ProvidedValueDispute.objects.exclude(pk=dispute.pk).get()
    provider_urls = [
        reverse("assessments:provided_grid") + f"?year={value.annual_return.year}",
        reverse("assessments:provided_dispute_answer", args=[dispute.pk]),
        reverse("assessments:provided_dispute_answer", args=[answered.pk]),
    ]
    assert _seen(client, provider_urls) == every

    client.force_login(cast.reviewer)
    reviewer_urls = [
        reverse("reviews:review", args=[value.annual_return_id]),
        reverse("assessments:evidence_list", args=[value.annual_return_id]),
    ]
    assert {DISPUTE_MARKERS["reason"], DISPUTE_MARKERS["evidence_name"]} <= _seen(client, reviewer_urls)

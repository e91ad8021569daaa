"""佐证材料 pages: upload through htmx or a plain form, download only through the authorising view
with the original Chinese name, safe headers, and removal."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.models import AnnualReturn, Evidence
from assessments.services.evidence import evidence_upload

from .hostile_files import HTML_BYTES, PDF_BYTES, PNG_BYTES, docx_bytes


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def attach(annual_return, user, name="行政复议决定书.pdf", content=PDF_BYTES, indicator=None):
    return evidence_upload(
        annual_return=annual_return, uploaded_file=SimpleUploadedFile(name, content), user=user, indicator=indicator
    )


def download(client, evidence, **params):
    return client.get(reverse("assessments:evidence_download", kwargs={"pk": evidence.pk}), params)


def test_download_keeps_the_chinese_name_with_rfc_6266_encoding(client, cast, return_a):
    evidence = attach(return_a, cast.staff_a)
    client.force_login(cast.staff_a)
    response = download(client, evidence)
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''%E8%A1%8C%E6%94%BF%E5%A4%8D%E8%AE%AE%E5%86%B3%E5%AE%9A%E4%B9%A6.pdf" in disposition
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_download_sends_nosniff_a_sandbox_and_the_detected_type(client, cast, return_a):
    evidence = attach(return_a, cast.staff_a, name="照片.png", content=PNG_BYTES)
    client.force_login(cast.reviewer)
    response = download(client, evidence)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert "no-store" in response["Cache-Control"]


def test_a_pdf_may_be_previewed_inline_when_asked(client, cast, return_a):
    evidence = attach(return_a, cast.staff_a)
    client.force_login(cast.staff_a)
    response = download(client, evidence, inline="1")
    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Type"] == "application/pdf"


def test_a_word_document_is_never_served_inline(client, cast, return_a):
    evidence = attach(return_a, cast.staff_a, name="纪要.docx", content=docx_bytes())
    client.force_login(cast.staff_a)
    assert download(client, evidence, inline="1")["Content-Disposition"].startswith("attachment;")


def test_staff_of_another_department_get_404_for_the_file(client, cast, return_a):
    evidence = attach(return_a, cast.staff_a)
    client.force_login(cast.staff_b)
    assert download(client, evidence).status_code == 404


def test_a_reviewer_outside_scope_gets_404_for_the_file(client, cast, return_a):
    evidence = attach(return_a, cast.staff_a)
    client.force_login(cast.reviewer_scoped)
    assert download(client, evidence).status_code == 404


def test_congress_staff_may_download_once_the_return_is_submitted(client, cast, return_a):
    evidence = attach(return_a, cast.staff_a)
    client.force_login(cast.congress)
    assert download(client, evidence).status_code == 404  # the department's draft
    AnnualReturn.objects.filter(pk=return_a.pk).update(
        status=AnnualReturn.Status.SUBMITTED, first_submitted_at=timezone.now()
    )
    assert download(client, evidence).status_code == 200


def test_a_deleted_file_is_no_longer_served(client, cast, return_a):
    evidence = attach(return_a, cast.staff_a)
    client.force_login(cast.staff_a)
    client.post(reverse("assessments:evidence_delete", kwargs={"pk": evidence.pk}))
    assert download(client, evidence).status_code == 404


def test_media_files_have_no_public_url(client, cast, return_a):
    evidence = attach(return_a, cast.staff_a)
    client.force_login(cast.staff_a)
    assert client.get("/media/" + evidence.file.name).status_code == 404


def _upload_url(annual_return, indicator=None):
    if indicator is None:
        return reverse("assessments:evidence_upload", kwargs={"pk": annual_return.pk})
    return reverse(
        "assessments:evidence_indicator_upload", kwargs={"pk": annual_return.pk, "indicator_pk": indicator.pk}
    )


def test_several_files_upload_at_once_through_htmx_and_the_panel_comes_back(client, cast, return_a, framework):
    indicator = framework.indicators.get(code="K1")
    client.force_login(cast.staff_a)
    files = [SimpleUploadedFile("决定书.pdf", PDF_BYTES), SimpleUploadedFile("照片.png", PNG_BYTES)]
    response = client.post(_upload_url(return_a, indicator), {"files": files}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert set(Evidence.objects.filter(indicator=indicator).values_list("original_name", flat=True)) == {
        "决定书.pdf",
        "照片.png",
    }
    assert f'id="evidence-{indicator.pk}"' in response.content.decode()


def test_a_refused_file_is_reported_in_the_panel_while_good_ones_are_kept(client, cast, return_a):
    client.force_login(cast.staff_a)
    files = [SimpleUploadedFile("伪装.pdf", HTML_BYTES), SimpleUploadedFile("照片.png", PNG_BYTES)]
    response = client.post(_upload_url(return_a), {"files": files}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "伪装.pdf" in body and "网页" in body
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["照片.png"]


def test_a_refusal_answers_422_which_the_page_swaps_in(client, cast, return_a):
    """htmx swaps only 2xx, and 409/422 through static/js/htmx-swap.js: a 400 showed nothing at all."""
    client.force_login(cast.staff_a)
    response = client.post(
        _upload_url(return_a), {"files": [SimpleUploadedFile("x.pdf", HTML_BYTES)]}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422


def test_a_plain_form_upload_redirects_to_the_evidence_list_with_a_message(client, cast, return_a):
    client.force_login(cast.staff_a)
    response = client.post(_upload_url(return_a), {"files": [SimpleUploadedFile("a.pdf", PDF_BYTES)]}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("assessments:evidence_list", kwargs={"pk": return_a.pk})
    assert "已上传“a.pdf”" in response.content.decode()


def test_too_many_files_in_one_request_are_refused(client, cast, return_a):
    client.force_login(cast.staff_a)
    files = [SimpleUploadedFile(f"{n}.pdf", PDF_BYTES + bytes([n])) for n in range(11)]
    response = client.post(_upload_url(return_a), {"files": files}, HTTP_HX_REQUEST="true")
    assert "一次最多上传 10 个文件" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_reviewer_cannot_upload(client, cast, return_a):
    client.force_login(cast.reviewer)
    response = client.post(_upload_url(return_a), {"files": [SimpleUploadedFile("a.pdf", PDF_BYTES)]})
    assert response.status_code == 403
    assert not Evidence.objects.exists()


def test_staff_of_another_department_get_404_on_upload(client, cast, return_a):
    client.force_login(cast.staff_b)
    response = client.post(_upload_url(return_a), {"files": [SimpleUploadedFile("a.pdf", PDF_BYTES)]})
    assert response.status_code == 404


def test_deleting_through_htmx_returns_the_panel_without_the_file(client, cast, return_a):
    evidence = attach(return_a, cast.staff_a)
    client.force_login(cast.staff_a)
    response = client.post(reverse("assessments:evidence_delete", kwargs={"pk": evidence.pk}), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "行政复议决定书.pdf" not in response.content.decode()
    assert Evidence.objects.get().is_deleted


def test_the_panel_shows_no_upload_form_to_a_reviewer(client, cast, return_a):
    attach(return_a, cast.staff_a)
    client.force_login(cast.reviewer)
    response = client.get(reverse("assessments:evidence_panel", kwargs={"pk": return_a.pk}))
    body = response.content.decode()
    assert "行政复议决定书.pdf" in body
    assert 'type="file"' not in body


def test_the_panel_of_a_submitted_return_has_no_delete_buttons(client, cast, return_a):
    attach(return_a, cast.staff_a)
    AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted", first_submitted_at="2026-01-01T00:00Z")
    client.force_login(cast.staff_a)
    body = client.get(reverse("assessments:evidence_panel", kwargs={"pk": return_a.pk})).content.decode()
    assert "删除" not in body


def test_the_evidence_list_takes_a_bounded_number_of_queries(client, cast, return_a, django_assert_max_num_queries):
    for n in range(5):
        attach(return_a, cast.staff_a, name=f"{n}.pdf", content=PDF_BYTES + bytes([n]))
    client.force_login(cast.reviewer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("assessments:evidence_list", kwargs={"pk": return_a.pk})).status_code == 200


def test_a_png_html_polyglot_is_stored_but_only_ever_served_as_an_image_in_a_sandbox(client, cast, return_a):
    polyglot = PNG_BYTES + b"<html><script>alert(document.cookie)</script></html>"
    evidence = attach(return_a, cast.staff_a, name="照片.png", content=polyglot)
    client.force_login(cast.staff_a)
    response = download(client, evidence, inline="1")
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_the_return_tools_link_the_department_to_evidence_excel_and_history(client, cast, return_a):
    from django.template.loader import render_to_string

    html = render_to_string("assessments/partials/return_tools.html", {"annual_return": return_a, "user": cast.staff_a})
    assert reverse("assessments:evidence_list", kwargs={"pk": return_a.pk}) in html
    assert reverse("assessments:excel_fill", kwargs={"pk": return_a.pk}) in html
    reviewer_html = render_to_string(
        "assessments/partials/return_tools.html", {"annual_return": return_a, "user": cast.reviewer}
    )
    assert "Excel" not in reviewer_html


def _after_the_file_input(html: str, panel_id: str) -> str:
    start = html.index(f'id="{panel_id}-files"')
    return html[start : html.index("</div>", html.index(f'id="{panel_id}-refused"')) + 6]


def test_a_fake_pdf_is_refused_next_to_the_file_input(client, cast, return_a, framework):
    indicator = framework.indicators.get(code="K1")
    client.force_login(cast.staff_a)
    response = client.post(
        _upload_url(return_a, indicator),
        {"files": [SimpleUploadedFile("伪装.pdf", HTML_BYTES)]},
        HTTP_HX_REQUEST="true",
    )
    beside = _after_the_file_input(response.content.decode(), f"evidence-{indicator.pk}")
    assert f'aria-describedby="evidence-{indicator.pk}-refused"' in beside
    assert "未上传：" in beside and "伪装.pdf" in beside


def test_a_file_over_the_size_limit_is_refused_next_to_the_file_input(client, cast, return_a):
    client.force_login(cast.staff_a)
    big = SimpleUploadedFile("扫描件.pdf", PDF_BYTES + b"0" * (20 * 1024 * 1024))
    response = client.post(_upload_url(return_a), {"files": [big]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "20 MB" in _after_the_file_input(response.content.decode(), "evidence-return")
    assert not Evidence.objects.exists()


@pytest.mark.parametrize("evidence_codes", [("K1",)], ids=["K1"])
def test_an_upload_updates_the_fields_badge_count_and_reminder_without_a_reload(client, cast, return_a, framework):
    indicator = framework.indicators.get(code="K1")
    client.force_login(cast.staff_a)
    entry = client.get(reverse("assessments:return_edit", args=[return_a.pk])).content.decode()
    assert "须佐证材料 · 已上传 0 个" in entry and "须上传佐证材料" in entry
    response = client.post(
        _upload_url(return_a, indicator), {"files": [SimpleUploadedFile("a.pdf", PDF_BYTES)]}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    badge = html[html.index(f'id="evidence-badge-{indicator.pk}"') :]
    assert 'hx-swap-oob="true"' in badge[:200] and "须佐证材料 · 已上传 1 个" in badge
    assert f'<span id="evidence-button-count-{indicator.pk}" hx-swap-oob="true">1</span>' in html
    errors = html[html.index(f'id="errors-{indicator.pk}"') :]
    assert 'hx-swap-oob="true"' in errors[:120] and "须上传佐证材料" not in errors


def test_no_two_elements_share_an_id_once_a_panel_is_opened(client, cast, return_a, framework):
    indicator = framework.indicators.get(code="K1")
    client.force_login(cast.staff_a)
    entry = client.get(reverse("assessments:return_edit", args=[return_a.pk])).content.decode()
    panel_url = reverse("assessments:evidence_indicator_panel", args=[return_a.pk, indicator.pk])
    panel = client.get(panel_url, HTTP_HX_REQUEST="true").content.decode()
    ids = re.findall(r'\bid="([^"]+)"', entry) + re.findall(r'\bid="([^"]+)"', panel)
    assert [name for name in set(ids) if ids.count(name) > 1] == []

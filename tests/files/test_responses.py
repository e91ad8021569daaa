"""files.responses: every download's headers, written once."""

from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.http import Http404

from assessments.models import AnnualReturn, Evidence
from files.responses import file_response, stored_file_response, xlsx_response

CHINESE_NAME = "行政复议决定书（2025年）.pdf"


def test_a_chinese_file_name_is_sent_as_rfc_6266_filename_star():
    response = file_response(b"%PDF-1.7", filename=CHINESE_NAME, content_type="application/pdf")

    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(CHINESE_NAME)}"


def test_the_percent_encoded_name_decodes_back_to_the_chinese_name():
    response = file_response(b"x", filename="测试市甲局填报表.xlsx", content_type="application/octet-stream")

    encoded = response["Content-Disposition"].split("filename*=utf-8''", 1)[1]
    assert encoded.isascii()
    assert quote("测试市甲局填报表.xlsx") == encoded


def test_an_ascii_file_name_is_a_plain_quoted_filename():
    response = xlsx_response(b"PK", "indicator-framework-2025-v1.xlsx")

    assert response["Content-Disposition"] == 'attachment; filename="indicator-framework-2025-v1.xlsx"'
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_every_download_is_nosniff_uncached_same_origin_and_sandboxed():
    response = file_response(b"PK", filename="a.xlsx", content_type="application/zip")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert response["Content-Security-Policy"].startswith("sandbox;")


def test_an_image_asked_inline_is_shown_inline_in_a_sandbox():
    response = file_response(b"\x89PNG", filename="现场照片.png", content_type="image/png", inline=True)

    assert response["Content-Disposition"] == f"inline; filename*=utf-8''{quote('现场照片.png')}"
    assert response["Content-Security-Policy"].startswith("sandbox;")


def test_an_inline_pdf_gets_the_viewer_policy_instead_of_the_sandbox():
    response = file_response(b"%PDF-1.7", filename="a.pdf", content_type="application/pdf", inline=True)

    assert response["Content-Disposition"].startswith("inline;")
    assert response["Content-Security-Policy"] == "default-src 'none'; object-src 'self'"


@pytest.mark.parametrize("content_type", ["text/html", "image/svg+xml", "application/msword", ""])
def test_a_type_a_browser_may_not_show_downloads_even_when_asked_inline(content_type):
    response = file_response(b"<html>", filename="a.html", content_type=content_type or "text/plain", inline=True)

    assert response["Content-Disposition"].startswith("attachment;")


def _stored_evidence(content: bytes) -> Evidence:
    evidence = Evidence(annual_return=AnnualReturn(year=2025))
    evidence.file.save("evidence.pdf", ContentFile(content), save=False)
    return evidence


def test_a_stored_file_of_an_unknown_type_downloads_as_bytes():
    evidence = _stored_evidence(b"<html>")
    try:
        response = stored_file_response(evidence.file, filename="a.html", content_type="text/html", inline=True)

        assert response["Content-Type"] == "application/octet-stream"
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content) == b"<html>"
    finally:
        evidence.file.storage.delete(evidence.file.name)


def test_a_stored_file_storage_lost_answers_404():
    evidence = _stored_evidence(b"%PDF-1.7")
    evidence.file.storage.delete(evidence.file.name)

    with pytest.raises(Http404):
        stored_file_response(evidence.file, filename="a.pdf", content_type="application/pdf")


def test_no_stored_file_answers_404():
    with pytest.raises(Http404):
        stored_file_response(Evidence().file, filename="a.pdf", content_type="application/pdf")

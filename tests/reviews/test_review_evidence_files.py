"""佐证材料 of 加减分 entries and 异议 go through the pipeline of a return's evidence: judged by
content, refused in Chinese when hostile, stored under generated names, served by detected type
with an RFC 6266 name, and never shown inline unless PDF or an image."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.services.evidence import MAX_FILE_BYTES, EvidenceRefused
from reviews.models import Adjustment, Appeal, ReviewScore
from reviews.services.adjustments import adjustment_register
from reviews.services.appeals import appeal_submit
from tests.assessments.hostile_files import EXE_BYTES, HTML_BYTES, PDF_BYTES, PNG_BYTES, SVG_BYTES, docx_bytes

from .factories import published_sheet

HOSTILE = [
    pytest.param("通报.pdf", HTML_BYTES, "文件内容与扩展名“.pdf”不符（实际是网页或 XML 文本）", id="html-renamed-pdf"),
    pytest.param("截图.png", EXE_BYTES, "文件内容与扩展名“.png”不符（实际是可执行程序）", id="exe-renamed-png"),
    pytest.param("示意图.svg", SVG_BYTES, "不接受 SVG 图片", id="svg"),
    pytest.param("页面.html", HTML_BYTES, "不支持“.html”文件", id="html"),
    pytest.param("空白.pdf", b"", "文件是空的", id="empty"),
]


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")  # the browser's claim, ignored


def stored_files(folder: str) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / folder
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def register(cast, framework, evidence):
    return adjustment_register(
        department=cast.dept_b,
        year=2025,
        item=framework.adjustment_items.get(code="X5"),
        reason="被省级媒体曝光并查实",
        user=cast.reviewer,
        evidence=evidence,
    )


@pytest.fixture
def sheet_a(cast):
    return published_sheet(cast.dept_a, cast.staff_a, cast.reviewer)


def appeal(cast, sheet, evidence):
    score = ReviewScore.objects.get(annual_return_id=sheet.annual_return_id, indicator__code="A1.4")
    statement = "会议纪要已补充上传，请复核。"
    return appeal_submit(
        score_sheet=sheet, user=cast.staff_a, statement=statement, review_score=score, evidence=evidence
    )


# --- refused ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "data", "message"), HOSTILE)
def test_a_hostile_adjustment_file_is_refused_and_nothing_is_kept(cast, framework, name, data, message):
    before = stored_files("reviews/adjustments")
    with pytest.raises(EvidenceRefused, match=message) as refusal:
        register(cast, framework, upload(name, data))
    assert name in refusal.value.message
    assert not Adjustment.objects.exists()
    assert stored_files("reviews/adjustments") == before


@pytest.mark.parametrize(("name", "data", "message"), HOSTILE)
def test_a_hostile_appeal_file_is_refused_and_nothing_is_kept(cast, sheet_a, name, data, message):
    before = stored_files("reviews/appeals")
    with pytest.raises(EvidenceRefused, match=message):
        appeal(cast, sheet_a, upload(name, data))
    assert not Appeal.objects.exists()
    assert stored_files("reviews/appeals") == before


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(cast, framework):
    big = upload("通报.pdf", PDF_BYTES)
    big.size = MAX_FILE_BYTES + 1
    with pytest.raises(EvidenceRefused, match="单个文件不能超过 20 MB"):
        register(cast, framework, big)
    assert not Adjustment.objects.exists()


def test_the_register_page_shows_the_refusal_in_chinese_and_registers_nothing(cast, framework, client):
    client.force_login(cast.reviewer)
    response = client.post(
        reverse("reviews:adjustments", kwargs={"year": 2025}),
        {
            "department": cast.dept_b.pk,
            "item": framework.adjustment_items.get(code="X5").pk,
            "occurrences": 1,
            "reason": "被省级媒体曝光并查实",
            "evidence": upload("通报.pdf", HTML_BYTES),
        },
        follow=True,
    )
    assert "文件内容与扩展名“.pdf”不符" in response.content.decode()
    assert not Adjustment.objects.exists()


def test_the_appeal_form_shows_the_refusal_in_chinese_and_files_no_appeal(cast, sheet_a, client):
    score = ReviewScore.objects.get(annual_return_id=sheet_a.annual_return_id, indicator__code="A1.4")
    client.force_login(cast.staff_a)
    response = client.post(
        reverse("reviews:appeal_create", kwargs={"pk": sheet_a.pk}),
        {"subject": f"score:{score.pk}", "statement": "请复核", "evidence": upload("截图.png", EXE_BYTES)},
        follow=True,
    )
    assert "实际是可执行程序" in response.content.decode()
    assert not Appeal.objects.exists()


# --- stored -----------------------------------------------------------------------------------------


def test_an_accepted_file_is_stored_under_a_generated_name_with_its_detected_extension(cast, framework):
    entry = register(cast, framework, upload("../../现场照片.PNG", PNG_BYTES))
    folder, _, stored = entry.evidence.name.rpartition("/")
    assert folder == "reviews/adjustments/2025"
    assert stored.endswith(".png") and len(stored) == len("0" * 32 + ".png")
    assert (entry.evidence_name, entry.evidence_content_type) == ("现场照片.PNG", "image/png")


def test_an_appeal_file_keeps_the_users_name_only_in_the_row(cast, sheet_a):
    filed = appeal(cast, sheet_a, upload("补充\r\n会议纪要.pdf", PDF_BYTES))
    assert filed.evidence.name.startswith("reviews/appeals/") and "会议纪要" not in filed.evidence.name
    assert (filed.evidence_name, filed.evidence_content_type) == ("补充会议纪要.pdf", "application/pdf")


# --- served -----------------------------------------------------------------------------------------


def fetch(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response


def test_an_image_is_previewed_under_its_detected_type_and_rfc6266_name(cast, framework, client):
    entry = register(cast, framework, upload("现场照片.png", PNG_BYTES))
    url = reverse("reviews:adjustment_evidence", kwargs={"pk": entry.pk}) + "?inline=1"
    response = fetch(client, cast.reviewer, url)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == "inline; filename*=utf-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.png"
    assert (response["X-Content-Type-Options"], response["Cache-Control"]) == ("nosniff", "private, no-store")
    assert response["Content-Security-Policy"].startswith("sandbox")


def test_a_word_document_downloads_even_when_a_preview_is_asked_for(cast, sheet_a, client):
    filed = appeal(cast, sheet_a, upload("情况说明.docx", docx_bytes()))
    url = reverse("reviews:appeal_evidence", kwargs={"pk": filed.pk}) + "?inline=1"
    response = fetch(client, cast.staff_a, url)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")


def test_a_file_stored_before_types_were_detected_only_downloads_as_bytes(cast, framework, client):
    """Rows from before this check carry the user's extension on disk and no detected type: an
    HTML page stored as .html must reach the browser as an opaque download, never as a page."""
    entry = register(cast, framework, None)
    entry.evidence.save("evidence.html", ContentFile(HTML_BYTES), save=False)
    entry.evidence_name = "通报.html"
    entry.save(update_fields=["evidence", "evidence_name"])
    url = reverse("reviews:adjustment_evidence", kwargs={"pk": entry.pk}) + "?inline=1"
    response = fetch(client, cast.reviewer, url)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]


def test_an_ascii_name_is_quoted_in_the_header(cast, framework, client):
    entry = register(cast, framework, upload('report "final".pdf', PDF_BYTES))
    response = fetch(client, cast.reviewer, reverse("reviews:adjustment_evidence", kwargs={"pk": entry.pk}))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="report \\"final\\".pdf"'

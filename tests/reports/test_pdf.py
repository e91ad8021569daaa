import base64
import socket

import pytest

from reports.document import Paragraph, ReportDocument, Section
from reports.pdf import BASE_URL, AllowListURLFetcher, RefusedURL, html_to_pdf, render_html, render_pdf, static_file_for

from .builders import HOSTILE
from .pdf_text import embedded_files, embedded_images, pdf_to_text, squeeze

SECRET_MARKER = "lawgov-secret-marker-7f3a9c"
ONE_PIXEL_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


@pytest.fixture
def secret_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(SECRET_MARKER * 20)
    return path


@pytest.fixture
def secret_image(tmp_path):
    """A real 1×1 PNG: an image the renderer would embed if it were allowed to read it."""
    path = tmp_path / "secret.png"
    path.write_bytes(base64.b64decode(ONE_PIXEL_PNG))
    return path


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket is recorded and refused."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", lambda self, *a: refuse(*a))
    return attempts


def _document(text: str) -> ReportDocument:
    return ReportDocument(title="测试报告", sections=(Section("一、测试", blocks=(Paragraph(text),)),))


def test_render_pdf_returns_a_pdf_with_the_chinese_text():
    pdf = render_pdf("reports/pdf/base.html", {"document": _document("全年办理行政复议案件71件。")})

    assert pdf.startswith(b"%PDF-")
    assert "全年办理行政复议案件71件。" in squeeze(pdf_to_text(pdf))


def test_hostile_narrative_is_printed_as_inert_text(no_network):
    fetcher = AllowListURLFetcher()

    pdf = render_pdf("reports/pdf/base.html", {"document": _document(HOSTILE)}, fetcher=fetcher)

    text = squeeze(pdf_to_text(pdf, raw=True))
    assert '<script>alert("x")</script>' in text
    assert '<imgsrc="file:///etc/passwd">' in text
    assert '<arel="attachment"href="file:///etc/passwd">' in text
    # Escaped text asks the renderer for nothing: had any tag become markup, the fetcher would
    # have been asked for file:///etc/passwd (and refused it).
    assert fetcher.refused == []
    assert embedded_files(pdf) == []
    assert embedded_images(pdf) == []
    assert no_network == []


def test_raw_html_cannot_embed_a_local_file_or_reach_the_network(secret_file, secret_image, no_network):
    """The fetcher is the last line: even HTML that asks for local files as an attachment, an image
    and a stylesheet gets none of them. (With WeasyPrint's default fetcher this PDF carries two
    attachments and an image.)"""
    fetcher = AllowListURLFetcher()
    html = f"""<html><head>
      <link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/">
      <link rel="attachment" href="file://{secret_file}">
      <style>@import url("file://{secret_file}"); @import url("http://127.0.0.1:6379/");</style>
    </head><body><p>正文</p>
      <a rel="attachment" href="file:///etc/passwd">附件</a>
      <img src="file://{secret_image}" width="20"><img src="file:///etc/passwd">
      <img src="../../../../etc/passwd"><img src="/static/../../../../etc/passwd">
      <svg><image href="file://{secret_image}" width="10" height="10"/></svg>
    </body></html>"""

    pdf = html_to_pdf(html, fetcher=fetcher).content

    assert embedded_files(pdf) == []
    assert embedded_images(pdf) == []
    assert no_network == []
    refused = " ".join(fetcher.refused)
    assert "169.254.169.254" in refused
    assert "127.0.0.1:6379" in refused
    assert str(secret_file) in refused
    assert str(secret_image) in refused
    assert "file:///etc/passwd" in refused


def test_the_print_stylesheet_is_served_from_the_static_folder():
    path = static_file_for(f"{BASE_URL}static/css/reports-print.css")

    assert path.name == "reports-print.css"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "http://lawgov.invalid/static/css/reports-print.css",
        "https://example.com/static/css/reports-print.css",
        f"{BASE_URL}static/../../etc/passwd",
        f"{BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
        f"{BASE_URL}media/reports/secret.pdf",
        f"{BASE_URL}static/css/",
    ],
)
def test_the_fetcher_refuses_anything_but_project_static_files(url):
    with pytest.raises(RefusedURL):
        static_file_for(url)


def test_data_urls_are_allowed():
    response = AllowListURLFetcher().fetch("data:text/plain;base64,5rWL6K+V")

    assert response.read() == "测试".encode()


def test_html_preview_is_the_same_template_with_the_stylesheet_linked_from_static():
    html = render_html("reports/pdf/base.html", {"document": _document(HOSTILE)})

    assert 'href="/static/css/reports-print.css"' in html
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "预览" in html

import base64
import io
import socket

import pytest

from reports.document import Column, Paragraph, ReportDocument, Section, Table
from reports.pdf import (
    BASE_URL,
    AllowListURLFetcher,
    RefusedURL,
    html_to_pdf,
    render_html,
    render_pdf,
    static_file_for,
    without_table_whitespace,
)

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


# --- what a warm renderer keeps between reports (reports/pdf/render.py "render time") ----------------------


def test_the_report_user_agent_sheet_is_weasyprints_without_the_pseudo_elements_every_element_got():
    from weasyprint import html as weasyprint_html

    from reports.pdf import report_user_agent_css

    ours, theirs = report_user_agent_css().splitlines(), weasyprint_html.UA.splitlines()

    changed = [(a, b) for a, b in zip(theirs, ours, strict=True) if a != b]
    assert [a.split(" {")[0] for a, _ in changed] == [
        "::marker",
        "::footnote-call",
        "::footnote-marker",
        "::note-call",
        "::note-marker",
        "::note-callback",
    ]
    assert changed[0][1].startswith("li::marker, summary::marker {")
    assert all(b == "" for _, b in changed[1:])


def test_the_print_stylesheet_uses_no_css_footnotes_which_the_report_user_agent_sheet_leaves_unstyled():
    css = (static_file_for(f"{BASE_URL}static/css/reports-print.css")).read_text()

    assert "footnote" not in css


def test_two_renders_in_one_thread_give_the_same_text_and_pages():
    html = render_html("reports/pdf/base.html", {"document": _document("全年办理行政复议案件71件。" * 40)})

    first, second = html_to_pdf(html), html_to_pdf(html)

    assert first.page_count == second.page_count
    assert pdf_to_text(first.content) == pdf_to_text(second.content)


def test_the_linked_print_stylesheet_is_applied_and_a_changed_file_is_read_again(settings, tmp_path):
    css = tmp_path / "css" / "reports-print.css"
    css.parent.mkdir()
    settings.STATICFILES_DIRS = [tmp_path]
    settings.STATIC_ROOT = None
    link = '<link rel="stylesheet" href="/static/css/reports-print.css">'
    html = f"<html><head>{link}</head><body><p>一</p><p>二</p></body></html>"

    css.write_text("@page { size: 100mm 100mm; }")
    small = html_to_pdf(html)
    css.write_text("@page { size: 100mm 100mm; } p + p { break-before: page; }")
    two_pages = html_to_pdf(html)

    assert small.page_count == 1
    assert two_pages.page_count == 2


def test_the_cover_is_a_page_of_its_own_and_the_body_starts_at_page_one_on_a_right_hand_page():
    from reports.document import Cover
    from reports.pdf import render_pdf_document

    document = ReportDocument(
        title="测试报告",
        cover=Cover("测试报告", "测试市人民政府", "2026年1月"),
        sections=(Section("一、测试", blocks=(Paragraph("正文。"),)),),
    )

    rendered = render_pdf_document("reports/pdf/base.html", {"document": document})
    pages = [squeeze(page) for page in pdf_to_text(rendered.content).split("\f")]

    assert rendered.page_count == 3  # the cover, its blank back, the body
    assert "测试市人民政府" in pages[0] and "—" not in pages[0]
    assert pages[1] == ""
    assert "正文。" in pages[2] and "—1—" in pages[2]


def test_fonts_are_embedded_as_subsets_without_copying_the_font_files_into_memory(monkeypatch):
    from reports.pdf import fonts as pdf_module

    reads = []
    read = pdf_module._FontFile.read
    monkeypatch.setattr(pdf_module._FontFile, "read", lambda self: reads.append(self) or read(self))

    rendered = render_pdf("reports/pdf/base.html", {"document": _document("全年办理行政复议案件71件。")})

    fonts = _poppler_fonts(rendered)
    assert fonts and all(font["embedded"] == "yes" and font["subset"] == "yes" for font in fonts)
    assert len(reads) == len(fonts)  # each subset read once to be written; no whole font file


def test_fonts_are_subset_to_the_glyphs_weasyprints_two_subsetting_passes_kept(monkeypatch):
    """One HarfBuzz pass, a second only to trim glyphs kept past the last one used (the heading's
    "、" brings its variation selector form along in Noto Sans CJK): the same tables, glyph ids and
    outlines as WeasyPrint's own two passes, but for FontForge's timestamp table, which stays."""
    from fontTools.ttLib import TTFont
    from weasyprint.pdf import fonts as pdf_fonts

    from reports.pdf import fonts as pdf_module

    subsets = []

    def subset_once(font, to_unicode, hinting):
        pdf_module._harfbuzz_subset_once(font, to_unicode, hinting)
        subsets.append((font, dict(to_unicode), hinting, font.file_content))

    monkeypatch.setattr(pdf_fonts.Font, "_harfbuzz_subset", subset_once)
    render_pdf("reports/pdf/base.html", {"document": _document("全年办理行政复议案件71件、调解12件。")})

    assert len(subsets) >= 3  # title, heading, body text and page numbers in their fonts
    for font, to_unicode, hinting, content in subsets:
        pdf_module._harfbuzz_subset_twice(font, to_unicode, hinting)
        ours, weasyprints = TTFont(io.BytesIO(content)), TTFont(io.BytesIO(font.file_content))
        assert ours.getGlyphOrder() == weasyprints.getGlyphOrder()
        assert set(ours.keys()) - {"FFTM"} == set(weasyprints.keys())
        for tag in set(weasyprints.keys()) - {"GlyphOrder", "head"}:
            assert ours.getTableData(tag) == weasyprints.getTableData(tag), (font.family, tag)


@pytest.mark.parametrize("archival", [False, True])
def test_fonts_subset_and_compressed_in_threads_give_the_same_pdf_bytes(monkeypatch, archival):
    from weasyprint import pdf as weasyprint_pdf

    from reports.pdf import fonts as pdf_module
    from reports.pdf import render_pdf_document

    flated = []
    flate = pdf_module._flate
    monkeypatch.setattr(pdf_module, "_flate", lambda content: flated.append(content) or flate(content))
    context = {"document": _document("全年办理行政复议案件71件、调解12件。")}
    threaded = render_pdf_document("reports/pdf/base.html", context, archival=archival).content
    monkeypatch.setattr(weasyprint_pdf, "build_fonts_dictionary", pdf_module._build_fonts_dictionary)
    in_one_thread = render_pdf_document("reports/pdf/base.html", context, archival=archival).content

    assert threaded == in_one_thread
    assert len(flated) >= 3  # the title's, the heading's, the body's and the page numbers' fonts


def _poppler_fonts(pdf: bytes) -> list[dict[str, str]]:
    import subprocess
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "report.pdf"
        path.write_bytes(pdf)
        lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    return [dict(zip(("embedded", "subset"), line.split()[-5:-3], strict=True)) for line in lines[2:]]


def test_a_render_leaves_the_garbage_collector_running_and_its_own_cyclic_garbage_collected():
    import gc
    import weakref

    class Cycle:
        pass

    html = render_html("reports/pdf/base.html", {"document": _document("全年办理行政复议案件71件。")})
    html_to_pdf(html)  # warm: the thread's renderer and fonts exist
    from reports.pdf import render as pdf_module

    seen = []
    render = pdf_module._render

    def render_leaving_a_cycle(*args, **kwargs):
        seen.append(gc.isenabled())
        cycle = Cycle()
        cycle.me = cycle
        seen.append(weakref.ref(cycle))
        return render(*args, **kwargs)

    pdf_module._render = render_leaving_a_cycle
    try:
        html_to_pdf(html)
    finally:
        pdf_module._render = render

    assert seen[0] is False  # paused while WeasyPrint renders
    assert gc.isenabled()
    assert seen[1]() is None  # collected when the render ended, not left for later


def test_a_failed_render_still_restarts_the_garbage_collector(monkeypatch):
    import gc

    from reports.pdf import render as pdf_module

    def fail(*args, **kwargs):
        raise RuntimeError("layout failed")

    monkeypatch.setattr(pdf_module, "_render", fail)
    with pytest.raises(RuntimeError):
        html_to_pdf("<html><body><p>一</p></body></html>")
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_process_stays_off_after_a_render():
    import gc

    gc.disable()
    try:
        html_to_pdf("<html><body><p>一</p></body></html>")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_text_of_other_languages_and_directions_is_laid_out_in_its_own_direction():
    html = (
        '<html lang="zh-CN"><body><p>全年办理行政复议案件71件。</p>'
        '<p lang="en">Administrative review cases</p><p dir="rtl">(12) ABC</p><p>结束。</p></body></html>'
    )

    text = squeeze(pdf_to_text(html_to_pdf(html).content, raw=True))

    assert "全年办理行政复议案件71件。" in text
    assert "Administrativereviewcases" in text
    assert "结束。" in text


def test_a_box_is_in_normal_flow_as_weasyprint_says():
    from reports.pdf import layout_boxes
    from reports.pdf import render as pdf_module

    html = (
        '<p>正文</p><p style="float: left">浮动</p><p style="position: absolute">定位</p>'
        '<div style="position: running(header)">页眉</div>'
        '<div style="display: flex"><span style="float: right">弹性</span><span>项目</span></div>'
        "<table><tr><td>单元格</td></tr></table>"
    )
    document = pdf_module._ReportHTML(string=html, base_url=pdf_module.BASE_URL).render()
    every_box = [box for page in document.pages for box in page._page_box.descendants()]

    assert len(every_box) > 20
    for box in every_box:
        assert layout_boxes._is_in_normal_flow(box) == layout_boxes._box_is_in_normal_flow(box)
    assert {layout_boxes._is_in_normal_flow(box) for box in every_box} == {True, False}


def test_whitespace_before_a_tables_own_tags_is_dropped_and_every_other_kept():
    html = (
        "<p>甲</p>\n<table>\n <caption>表1</caption>\n <thead><tr>\n  <th>项目</th> <th>数量</th></tr></thead>\n"
        " <tbody>\n  <tr><td><span>行政</span> <span>复议</span>\n  </td>\n  <td>71 </td></tr>\n </tbody>\n</table>\n"
        "<p>乙 <b>丙</b></p> <tdx>"
    )

    assert without_table_whitespace(html) == (
        "<p>甲</p><table><caption>表1</caption><thead><tr><th>项目</th><th>数量</th></tr></thead>"
        "<tbody><tr><td><span>行政</span> <span>复议</span></td><td>71 </td></tr></tbody></table>\n"
        "<p>乙 <b>丙</b></p> <tdx>"
    )


def _table_report() -> str:
    table = Table(
        caption="表1 行政复议案件情况",
        columns=(Column("项目", width="40%", is_text=True), Column("数量", is_number=True), Column("说明")),
        rows=tuple((f"第{n}项 <复议>", f"{n * 7}件", "较上年 增加") for n in range(1, 40)),
        note="注：数据截至12月31日。",
    )
    blocks = (Paragraph("全年办理行政复议案件71件。"), table, Paragraph("一审 应诉 案件 12 件。"))
    return render_html(
        "reports/pdf/base.html",
        {"document": ReportDocument(title="测试报告", sections=(Section("一、测试", blocks=blocks),))},
    )


@pytest.mark.parametrize("archival", [False, True])
def test_a_report_with_tables_renders_the_same_pdf_bytes_without_the_whitespace_between_table_tags(
    monkeypatch, archival
):
    from reports.pdf import render as pdf_module

    html = _table_report()
    assert without_table_whitespace(html) != html  # the template does write such whitespace
    dropped = html_to_pdf(html, archival=archival).content
    monkeypatch.setattr(pdf_module, "without_table_whitespace", lambda html: html)
    kept = html_to_pdf(html, archival=archival).content

    assert dropped == kept


def test_whitespace_that_is_drawn_changes_the_pdf_bytes():
    """The guard of the test above: a dropped space that is drawn shows in the bytes."""
    html = _table_report()

    assert html_to_pdf(html).content != html_to_pdf(html.replace("一审 应诉", "一审应诉")).content

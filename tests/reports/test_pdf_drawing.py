"""The drawing changes to WeasyPrint (reports/pdf/drawing.py, reports/pdf/cycles.py): a report drawn
with each of them is the PDF WeasyPrint draws without it, byte for byte, on a report that takes
the changed paths: Chinese and Latin text in justified lines (with the CJK inter-character spacing),
a table with collapsed borders and an SVG chart, plain and archival (tagged)."""

import gc
from decimal import Decimal

import pytest

from reports import charts
from reports.document import Chart, Column, Paragraph, ReportDocument, Section, Table
from reports.pdf import cycles, drawing, html_to_pdf, render_html

PARAGRAPH = (
    "全年共办理行政复议案件71件，其中纠错12件，纠错率16.9%；行政应诉案件出庭应诉率达到100%。"
    "Administrative reconsideration (行政复议) cases were handled within 60 days, "
    "按照《中华人民共和国行政复议法》第三十一条的规定依法作出决定，并向社会公开。"
)


def _report() -> str:
    table = Table(
        caption="表1 行政复议案件情况",
        columns=(Column("项目", width="40%", is_text=True), Column("数量", is_number=True), Column("说明")),
        rows=tuple((f"第{n}项 Item {n}", f"{n * 7}件", "较上年增加 up") for n in range(1, 30)),
        note="注：数据截至12月31日。",
    )
    chart = Chart(
        caption="图1 满意度",
        svg=charts.bar_chart(
            labels=["人大代表", "普通群众"],
            series=[("第1题", [Decimal("91.50"), Decimal("78.25")])],
            unit="%",
            print_values=True,
        ),
    )
    blocks = (Paragraph(PARAGRAPH), table, chart, Paragraph(PARAGRAPH * 2))
    document = ReportDocument(title="测试报告 Test", sections=(Section("一、测试", blocks=blocks),))
    return render_html("reports/pdf/base.html", {"document": document})


def _undone(monkeypatch: pytest.MonkeyPatch, replaced: list[tuple[object, str, object]]) -> None:
    for owner, name, weasyprints in replaced:
        monkeypatch.setattr(owner, name, weasyprints)


@pytest.fixture(scope="module")
def report() -> str:
    return _report()


CHANGES = [(drawing, name) for name in drawing.REPLACED] + [(cycles, name) for name in cycles.REPLACED]


@pytest.mark.parametrize("archival", [False, True])
@pytest.mark.parametrize(("module", "change"), CHANGES, ids=[name for _, name in CHANGES])
def test_a_report_drawn_with_the_change_is_the_pdf_weasyprint_draws_without_it(
    monkeypatch, report, module, change, archival
):
    changed = html_to_pdf(report, archival=archival).content
    _undone(monkeypatch, module.REPLACED[change])
    weasyprints = html_to_pdf(report, archival=archival).content

    assert changed == weasyprints


def test_all_changes_undone_give_the_same_pdf(monkeypatch, report):
    changed = html_to_pdf(report).content
    for module, change in CHANGES:
        _undone(monkeypatch, module.REPLACED[change])

    assert html_to_pdf(report).content == changed


def test_the_report_takes_the_changed_paths(monkeypatch, report):
    """The guard of the tests above: the report does draw through each change, and a change that
    drew one number wrong would show in the bytes."""
    weasyprints = html_to_pdf(report).content
    calls: dict[str, int] = {}

    def counted(name, function):
        def count(*args, **kwargs):
            calls[name] = calls.get(name, 0) + 1
            return function(*args, **kwargs)

        return count

    from weasyprint.draw import text as draw_text
    from weasyprint.pdf.stream import Stream

    monkeypatch.setattr(Stream, "set_color", counted("colours", Stream.set_color))
    monkeypatch.setattr(draw_text, "draw_first_line", counted("glyphs", draw_text.draw_first_line))
    monkeypatch.setattr(Stream, "stacked", counted("stacked", Stream.stacked))
    monkeypatch.setattr(Stream, "artifact", counted("artifact", Stream.artifact))
    monkeypatch.setattr(Stream, "marked", counted("marked", Stream.marked))
    monkeypatch.setattr(drawing, "_flate_into", counted("page streams", drawing._flate_into))
    assert html_to_pdf(report).content == weasyprints
    assert html_to_pdf(report, archival=True).content != weasyprints  # tagged: marked content
    assert calls.pop("page streams") >= 2  # the report's pages, each compressed in a thread
    assert min(calls.values()) > 50, calls

    # a glyph's kerning one unit off: other bytes
    glyph_part = drawing._glyph_part

    def off_by_one(*args, **kwargs):
        part, advance, reusable = glyph_part(*args, **kwargs)
        return part + ">1<", advance, reusable

    monkeypatch.setattr(drawing, "_glyph_part", off_by_one)
    assert html_to_pdf(report).content != weasyprints


def _collected_after_a_render(report: str) -> int:
    """How many objects the collections during one render of the report freed (the collector is
    paused while WeasyPrint renders: the collection html_to_pdf makes when it ends)."""
    html_to_pdf(report)  # warm
    gc.collect()
    collected: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "stop":
            collected.append(info["collected"])

    gc.callbacks.append(count)
    try:
        html_to_pdf(report)
    finally:
        gc.callbacks.remove(count)
    return sum(collected)


def test_a_render_leaves_almost_no_cyclic_garbage(report):
    # left: the fetcher's urllib opener (its handlers point back at it) and a few of tinyhtml5's
    # parser objects, ~60 objects
    assert _collected_after_a_render(report) < 200


def test_without_the_cycles_broken_a_render_leaves_its_tables_html_tree_and_styles_to_the_collector(
    monkeypatch, report
):
    """The guard of the test above."""
    _undone(monkeypatch, cycles.REPLACED["cycles"])

    assert _collected_after_a_render(report) > 2_000


def test_outlines_are_drawn_as_weasyprint_draws_them(monkeypatch):
    """Reports draw no outline; a page that does (a box and one of its descendants) still gets
    WeasyPrint's own outlines."""
    from weasyprint import draw

    html = (
        "<html><body><div><p>没有轮廓 none</p>"
        '<div style="outline: 2px dashed #c00; outline-offset: 3px">'
        '<p style="outline: 1px solid blue">轮廓 outline</p></div>'
        "</div></body></html>"
    )
    changed = html_to_pdf(html).content
    _undone(monkeypatch, drawing.REPLACED["outlines"])
    weasyprints = html_to_pdf(html).content
    monkeypatch.setattr(draw, "draw_outline", lambda stream, box: None)

    assert changed == weasyprints
    assert html_to_pdf(html).content != weasyprints  # the outlines are drawn

"""The WeasyPrint changes of reports.pdf.line_breaking give WeasyPrint's own PDF bytes."""

import pytest

from reports.pdf import html_to_pdf

# What the report tables and paragraphs hold, and what they could: justified Chinese with half-width
# digits and line-start punctuation, the same cell texts in columns of one width (laid out again for
# the column widths and the repeated header), <br> in cells, Latin words with automatic
# hyphenation, spacing, decorations, and the same text in another size, weight, spacing or language.
_PARAGRAPH = (
    "全年办理行政复议案件71件，其中维持45件、撤销12件，纠正率为26.7%。“行政复议”作为化解行政争议的"
    "主渠道，（一）坚持依法受理；（二）推进繁简分流。全年共收到行政诉讼案件128件，同比增长3.5个百分点！"
)
_ROWS = "".join(
    f"<tr><td>{n}</td><td>—</td><td>百分点</td><td>≥100%</td><td>第一行<br>第二行</td>"
    "<td>Administrative review</td></tr>"
    for n in range(1, 60)
)
LINE_BREAKING_HTML = f"""<html lang="zh-CN"><head><style>
@page {{ size: A5; margin: 15mm }}
body {{ font-family: "FandolFang R", "Noto Serif CJK SC", serif; font-size: 12pt }}
p {{ text-align: justify }}
th, td {{ font-family: "Noto Sans CJK SC", sans-serif; font-size: 9pt; border: 0.5pt solid; text-align: center }}
table {{ border-collapse: collapse; width: 100% }}
thead {{ display: table-header-group }}
.u {{ text-decoration: underline overline line-through }}
.sp {{ letter-spacing: 1pt; word-spacing: 3pt }}
.small {{ font-size: 9pt }}
.bold {{ font-weight: bold }}
.en {{ hyphens: auto; text-align: left }}
.nowrap {{ white-space: nowrap }}
.pre {{ white-space: pre-wrap }}
</style></head><body>
<p>{_PARAGRAPH}</p><p>{_PARAGRAPH}</p>
<p class="small">{_PARAGRAPH}</p><p class="bold">{_PARAGRAPH}</p><p class="sp">{_PARAGRAPH}</p>
<p class="u">{_PARAGRAPH}</p>
<p lang="en" class="en">Administrative reconsideration institutions shall examine the lawfulness and
appropriateness of administrative acts; interdepartmental coordination notwithstanding, the
incomprehensibilities of responsibilities remain.</p>
<p lang="en" class="en sp">Administrative reconsideration institutions shall examine the lawfulness and
appropriateness of administrative acts; interdepartmental coordination notwithstanding.</p>
<p class="nowrap">不换行的文字 12345 不换行的文字</p><p class="pre">保留  空格的文字
和换行</p>
<table><thead><tr><th>序号</th><th>项目</th><th>单位</th><th>指标</th><th>说明</th><th>English</th></tr></thead>
<tbody>{_ROWS}</tbody></table>
<p>{_PARAGRAPH}</p>
</body></html>"""


def _bind_split_first_line(monkeypatch, split):
    for module in ("weasyprint.text.line_break", "weasyprint.layout.inline", "weasyprint.layout.preferred"):
        monkeypatch.setattr(f"{module}.split_first_line", split)


@pytest.mark.parametrize("archival", [False, True])
def test_first_lines_replayed_within_a_render_give_weasyprints_pdf_bytes(monkeypatch, archival):
    from reports.pdf import line_breaking

    calls = []
    split = line_breaking._split_first_line

    def counted(*args, **kwargs):
        calls.append(args[0])
        return split(*args, **kwargs)

    monkeypatch.setattr(line_breaking, "_split_first_line", counted)
    replayed = html_to_pdf(LINE_BREAKING_HTML, archival=archival).content
    laid_out = len(calls)
    calls.clear()
    _bind_split_first_line(monkeypatch, counted)  # WeasyPrint's split_first_line, every call
    weasyprints = html_to_pdf(LINE_BREAKING_HTML, archival=archival).content

    assert replayed == weasyprints
    assert laid_out < len(calls) * 2 / 3
    assert calls.count("—") > 59


def test_a_replayed_first_line_that_ignored_a_property_would_change_the_pdf_bytes(monkeypatch):
    """The guard of the test above: with font-size left out of the key, a text replayed in
    another size changes the PDF."""
    from reports.pdf import line_breaking

    html = '<p>全年办理行政复议案件71件。</p><p style="font-size: 20pt">全年办理行政复议案件71件。</p>'
    replayed = html_to_pdf(html).content
    properties = tuple(name for name in line_breaking._LINE_PROPERTIES if name != "font_size")
    monkeypatch.setattr(line_breaking, "_LINE_PROPERTIES", properties)

    assert html_to_pdf(html).content != replayed


def test_every_style_property_a_first_line_reads_is_in_the_key(monkeypatch):
    from weasyprint.css import Style

    from reports.pdf import line_breaking

    read = set()
    inside = []

    def getitem(style, name):
        if inside:
            read.add(name)
        return dict.__getitem__(style, name)

    def split(*args, **kwargs):
        inside.append(True)
        try:
            return line_breaking._split_first_line(*args, **kwargs)
        finally:
            inside.pop()

    _bind_split_first_line(monkeypatch, split)
    Style.__getitem__ = getitem  # type: ignore[method-assign]
    try:
        html_to_pdf(LINE_BREAKING_HTML)
    finally:
        del Style.__getitem__

    assert {"font_size", "hyphens", "hyphenate_limit_zone", "letter_spacing"} <= read  # the path was taken
    assert read - {"tab_size"} <= set(line_breaking._LINE_PROPERTIES)


_LINES_BESIDE_FLOATS_HTML = """<html lang="zh-CN"><body>
<p style="text-indent: 2em">全年办理行政复议案件71件，其中维持45件、撤销12件，纠正率为26.7%。</p>
<p dir="rtl">(12) ABC 全年办理行政复议案件71件</p>
<div style="float: left; width: 30mm; height: 20mm">浮动</div>
<p>全年办理行政复议案件71件，其中维持45件、撤销12件，纠正率为26.7%。全年办理行政复议案件71件。</p>
<table><tr><td>第一行<br>第二行</td><td dir="rtl">ABC 123</td></tr></table>
</body></html>"""


def test_a_line_box_beside_no_float_is_placed_where_weasyprint_places_it(monkeypatch):
    from weasyprint.layout import inline

    from reports.pdf import line_breaking

    placed = []

    def both(context, box, containing_block, outer=True):
        ours = line_breaking._avoid_collisions_of_line(context, box, containing_block, outer)
        weasyprints = line_breaking._avoid_collisions(context, box, containing_block, outer)
        placed.append((ours, weasyprints, bool(context.excluded_shapes), containing_block.style["direction"]))
        return weasyprints

    monkeypatch.setattr(inline, "avoid_collisions", both)
    html_to_pdf(_LINES_BESIDE_FLOATS_HTML)
    html_to_pdf(LINE_BREAKING_HTML)

    assert placed and all(ours == weasyprints for ours, weasyprints, _, _ in placed)
    # The guard: right-to-left lines (placed at the right bound) and lines beside a float were met.
    assert {(floats, direction) for _, _, floats, direction in placed} == {
        (False, "ltr"),
        (False, "rtl"),
        (True, "ltr"),
    }
    assert any(ours[0] != placed[0][0][0] for ours, _, _, direction in placed if direction == "rtl")


def test_line_boxes_beside_no_float_give_weasyprints_pdf_bytes(monkeypatch):
    from weasyprint.layout import inline

    from reports.pdf import line_breaking

    ours = html_to_pdf(_LINES_BESIDE_FLOATS_HTML).content
    monkeypatch.setattr(inline, "avoid_collisions", line_breaking._avoid_collisions)

    assert html_to_pdf(_LINES_BESIDE_FLOATS_HTML).content == ours


@pytest.mark.parametrize("archival", [False, True])
def test_a_styles_layout_settings_worked_out_once_give_the_same_pdf_bytes(monkeypatch, archival):
    from reports.pdf import text_layout

    worked_out = []
    style_layout = text_layout._style_layout
    monkeypatch.setattr(text_layout, "_style_layout", lambda style: worked_out.append(style) or style_layout(style))
    once = html_to_pdf(LINE_BREAKING_HTML + _LINES_BESIDE_FLOATS_HTML, archival=archival).content
    set_up = len(worked_out)
    each_time = []

    def setup(layout, style):
        each_time.append(style)
        style.__dict__["_report_layout"] = style_layout(style)  # what the setup did before: every call
        text_layout._layout_setup(layout, style)

    monkeypatch.setattr("weasyprint.text.line_break.Layout.setup", setup)

    assert html_to_pdf(LINE_BREAKING_HTML + _LINES_BESIDE_FLOATS_HTML, archival=archival).content == once
    assert set_up < len(each_time) / 5


def test_layout_settings_kept_for_the_wrong_style_would_change_the_pdf_bytes(monkeypatch):
    """The guard of the test above: one style's settings used for every layout show in the bytes."""
    from reports.pdf import text_layout

    once = html_to_pdf(LINE_BREAKING_HTML).content
    first = []
    style_layout = text_layout._style_layout
    monkeypatch.setattr(
        text_layout, "_style_layout", lambda style: first[0] if first else first.append(style_layout(style)) or first[0]
    )

    assert html_to_pdf(LINE_BREAKING_HTML).content != once

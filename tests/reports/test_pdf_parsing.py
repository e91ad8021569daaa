"""The report's HTML parsed by expat (reports/pdf/parsing.py) is the tree WeasyPrint's own HTML parser,
tinyhtml5, builds: compared element by element (tag and namespace, attributes in order, text, tail,
comments) on every report kind's HTML and on hostile text and markup, and declined where the two
parsers would differ."""

from io import StringIO
from typing import Any
from xml.etree import ElementTree

import pytest
import tinyhtml5
from django.template.loader import render_to_string

from reports.document import Chart, Column, Paragraph, ReportDocument, Section, Table
from reports.kinds import spec_for
from reports.models import ReportKind
from reports.pdf import parsing, render_html, without_table_whitespace
from reports.pdf.render import _renderer

from .builders import HOSTILE, document_of_kind


def tree(root: Any) -> list[tuple[Any, ...]]:
    """Every element of the tree in document order: depth, tag (namespace included, or the comment
    factory), attributes in order, text and tail (None and "" told apart), element class."""
    rows: list[tuple[Any, ...]] = []

    def visit(element: Any, depth: int) -> None:
        tag = "<!-- -->" if element.tag is ElementTree.Comment else element.tag
        rows.append((depth, tag, list(element.attrib.items()), element.text, element.tail, type(element)))
        for child in element:
            visit(child, depth + 1)

    visit(root, 0)
    return rows


def tinyhtml5_tree(html: str) -> list[tuple[Any, ...]]:
    """As WeasyPrint's HTML(string=…) parses it."""
    return tree(tinyhtml5.parse(StringIO(html), namespace_html_elements=False))


def as_rendered(html: str) -> str:
    """The HTML the renderer hands WeasyPrint: table whitespace dropped, stylesheet links taken out."""
    return _renderer().linked_stylesheets(without_table_whitespace(html))[0]


def assert_same_tree_on_the_fast_path(html: str) -> None:
    fast = parsing.fast_parse(html)
    assert fast is not None, "declined"
    assert tree(fast) == tinyhtml5_tree(html)


def assert_same_tree(html: str) -> bool:
    """parse_html's tree is tinyhtml5's; True when the fast path built it."""
    fast = parsing.fast_parse(html)
    if fast is not None:
        assert tree(fast) == tinyhtml5_tree(html)
    assert tree(parsing.parse_html(html)) == tinyhtml5_tree(html)
    return fast is not None


# --- every report kind ----------------------------------------------------------------------------
@pytest.fixture
def report_html(request, cast):
    document = document_of_kind(request, cast)
    return render_to_string(spec_for(request.param).template_name, {"document": document, "is_pdf": True})


@pytest.mark.django_db
@pytest.mark.parametrize("report_html", tuple(ReportKind), indirect=True)
def test_every_report_kind_is_parsed_on_the_fast_path_into_tinyhtml5s_tree(report_html):
    assert_same_tree_on_the_fast_path(report_html)
    assert_same_tree_on_the_fast_path(as_rendered(report_html))


def _charts() -> tuple[Chart, ...]:
    from decimal import Decimal

    from reports.charts import bar_chart, horizontal_bar_chart

    series = [("上年", [Decimal("80.5"), None]), ("本年 <&>", [Decimal("91.25"), Decimal(3)])]
    return (
        Chart(caption="图1 满意率", svg=bar_chart(labels=["甲", "乙 & <丙>"], series=series, unit="%")),
        Chart(caption="图2", svg=horizontal_bar_chart(labels=["一", "二"], series=series)),
    )


# --- hostile text, autoescaped by the templates -----------------------------------------------------
HOSTILE_TEXTS = {
    "markup and quotes": HOSTILE + " 'single' \"double\" a<b>c & d;",
    "entities typed in": "&nbsp; &amp; &copy &#128; &#x80; &#0; &#xD800; &unknown; &",
    "cjk punctuation": "“法治”‘政府’：（一）、【二】《三》——…… ～！？。，；　全角空格",
    "carriage returns": "第一行\r\n第二行\r第三行\n",
    "tabs": "甲\t乙\t\t丙",
    "control characters": "甲\x00乙\x01丙\x0b丁\x0c戊\x1b己\x7f庚\x80辛\x85壬\x9f癸",
    "noncharacters": "甲\ufdd0乙\ufffe丙\uffff丁\U0001fffe戊\U0010ffff",
    "line separators and bom": "甲\u2028乙\u2029丙\ufeff丁\u200b戊",
    "xml-only syntax": "]]> <![CDATA[x]]> <?xml version='1.0'?> <!-- c --> &apos; &#xD; &#10;",
    "xmlns typed in": 'xmlns="http://www.w3.org/2000/svg"',
    "whitespace only": "   \n  ",
}


@pytest.mark.parametrize("text", HOSTILE_TEXTS.values(), ids=HOSTILE_TEXTS.keys())
def test_hostile_text_in_every_place_of_a_report_gives_tinyhtml5s_tree(text):
    table = Table(
        caption=f"表1 {text}",
        columns=(Column(text, width="40%", is_text=True), Column("数量", is_number=True)),
        rows=((text, "1件"), ("乙", text)),
        note=text,
    )
    document = ReportDocument(
        title=text,
        addressee=text,
        opening=(Paragraph(text),),
        sections=(Section(text, blocks=(Paragraph(text), table), subsections=(Section(text),)),),
        issuer=text,
        date_text=text,
    )
    html = render_html("reports/pdf/base.html", {"document": document})

    assert_same_tree(html)
    assert_same_tree(as_rendered(html))


def test_text_that_both_parsers_read_alike_stays_on_the_fast_path():
    """The guard of the test above: its equality is tested on the fast path, not only on the fallback."""
    accepted = set()
    for name, text in HOSTILE_TEXTS.items():
        document = ReportDocument(title=text, opening=(Paragraph(text),))
        if assert_same_tree(as_rendered(render_html("reports/pdf/base.html", {"document": document}))):
            accepted.add(name)

    assert accepted == {
        "markup and quotes",
        "entities typed in",
        "cjk punctuation",
        "carriage returns",
        "tabs",
        "line separators and bom",
        "xml-only syntax",
        "whitespace only",
    }


# --- hostile markup: what the templates never write, but a fast path must not misread ---------------
BASE = (
    '<!doctype html>\n<html lang="zh-CN">\n<head>\n  <meta charset="utf-8">\n  <title>标题</title>\n</head>\n'
    "<body>\n{}\n</body>\n</html>\n"
)
TABLE = (
    '<table><caption>表1</caption><colgroup><col style="width: 40%"><col></colgroup>'
    '<thead><tr><th>项目</th></tr></thead><tbody><tr><td class="text">甲<br>乙</td></tr></tbody></table>'
)
SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" id="c" viewBox="0 0 10 10">'
    '<!--http://pygal.org--><defs><style type="text/css">#c .graph &gt; .background{{fill:white}}</style></defs>'
    '<title>图</title><g class="graph"><rect x="0" y="0" width="10" height="10"/>{}</g></svg>'
)
# Both parsers read these alike: the fast path builds them.
ACCEPTED = {
    "report-like": BASE.format(
        f'<article class="document"><h1 class="title"><span>标题</span></h1><p>甲</p>{TABLE}</article>'
    ),
    "chart": BASE.format(
        "<figure>"
        + SVG.format('<path d="M0 0"/><text x="1">甲&amp;乙</text>')
        + "<figcaption>图1</figcaption></figure>"
    ),
    "chart without xlink": BASE.format('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><g/></svg>'),
    "xlink href": BASE.format(SVG.format('<use xlink:href="#a" x="1"/>')),
    "nested svg": BASE.format(SVG.format('<svg viewBox="0 0 1 1" x="1"><g/></svg>') + SVG.format("")),
    "clipPath spelled as HTML writes it": BASE.format(SVG.format('<clipPath id="k"><rect/></clipPath>')),
    "nested table in a cell": BASE.format(TABLE.replace("甲<br>乙", TABLE)),
    "whitespace in table parts": BASE.format(TABLE.replace("<tr>", "\n <tr>\n  ").replace("</td>", "</td>\n ")),
    "no whitespace at all": BASE.format("<p>甲</p>").replace("\n", ""),
    "crlf line ends": BASE.format("<p>甲\r\n乙</p>\r\n<div>\r</div>").replace("\n", "\r\n"),
    "whitespace after html": BASE.format("<p>甲</p>") + "\n \n",
    "empty body": BASE.format(""),
    "empty elements": BASE.format("<p></p><div></div><span></span><table></table>"),
    "self-closed void": BASE.format("<p>甲<br/>乙</p>"),
    "attribute references": BASE.format('<p class="a&amp;b &lt;c&gt; &quot;d&quot; &#x27;e&#39;">甲</p>'),
    "newlines between attributes": BASE.format('<p\nclass="a"\n id="b"\n>甲</p>'),
}
# One parser or the other would build another tree (or the fast path cannot tell): declined.
DECLINED = {
    "no doctype": BASE.format("<p>甲</p>").replace("<!doctype html>\n", ""),
    "quirks doctype": BASE.format("<p>甲</p>").replace(
        "<!doctype html>", '<!DOCTYPE html PUBLIC "-//W3C//DTD HTML 4.01//EN">'
    ),
    "block in p": BASE.format("<p>甲<div>乙</div></p>"),
    "p in p": BASE.format("<p>甲<p>乙</p></p>"),
    "table in p": BASE.format(f"<p>{TABLE}</p>"),
    "heading in heading": BASE.format("<h2><h3>甲</h3></h2>"),
    "tr without tbody": BASE.format("<table><tr><td>甲</td></tr></table>"),
    "col without colgroup": BASE.format("<table><col><tbody><tr><td>甲</td></tr></tbody></table>"),
    "td outside a table": BASE.format("<div><td>甲</td></div>"),
    "text in a table": BASE.format(TABLE.replace("<tbody>", "<tbody>甲")),
    "text in a row": BASE.format(TABLE.replace("</td>", "</td>甲")),
    "text in a colgroup": BASE.format(TABLE.replace("<col>", "<col>甲")),
    "div in a table": BASE.format(TABLE.replace("<tbody>", "<div>甲</div><tbody>")),
    "self-closed div": BASE.format("<div/><p>甲</p>"),
    "self-closed title in svg": BASE.format(SVG.format("<title/>")),
    "void end tag": BASE.format("<p>甲<br></br>乙</p>"),
    "uppercase tag": BASE.format("<P>甲</P>"),
    "uppercase attribute": BASE.format('<p CLASS="a">甲</p>'),
    "unknown element": BASE.format("<p>甲<b>乙</b></p>"),
    "comment in body": BASE.format("<!--c--><p>甲</p>"),
    "comment in head": BASE.format("<p>甲</p>").replace("<title>", "<!--c--><title>"),
    "odd comment": BASE.format(SVG.format("<!--a--!>-->")),
    "empty comment": BASE.format(SVG.format("<!---->")),
    "svg without xmlns": BASE.format('<svg viewBox="0 0 1 1"><g/></svg>'),
    "lowercase viewbox": BASE.format('<svg xmlns="http://www.w3.org/2000/svg" viewbox="0 0 1 1"></svg>'),
    "lowercase clippath": BASE.format(SVG.format("<clippath/>")),
    "html in svg": BASE.format(SVG.format("<p>甲</p>")),
    "span in svg": BASE.format(SVG.format("<span>甲</span>")),
    "element in svg title": BASE.format(SVG.format("<title><g/></title>")),
    "foreignObject": BASE.format(SVG.format("<foreignObject><div>甲</div></foreignObject>")),
    "other namespace": BASE.format('<div xmlns="http://www.w3.org/2000/svg">甲</div>'),
    "xmlns elsewhere": BASE.format(SVG.format('<g xmlns:xlink="http://www.w3.org/1999/xlink"/>')),
    "prefixed element": BASE.format(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:s="http://www.w3.org/2000/svg"><s:g/></svg>'
    ),
    "xml:lang": BASE.format('<p xml:lang="zh">甲</p>'),
    "unbound prefix": BASE.format('<p x:y="1">甲</p>'),
    "newline in an attribute": BASE.format('<p class="a\nb">甲</p>'),
    "tab in an attribute": BASE.format('<p class="a\tb">甲</p>'),
    "gt in an attribute": BASE.format('<p title="a>b">甲</p>'),
    "single quotes": BASE.format("<p class='a'>甲</p>"),
    "unquoted attribute": BASE.format("<p class=a>甲</p>"),
    "attribute without value": BASE.format("<p hidden>甲</p>"),
    "duplicate attribute": BASE.format('<p class="a" class="b">甲</p>'),
    "named entity": BASE.format("<p>甲&nbsp;乙</p>"),
    "legacy numeric reference": BASE.format("<p>&#128;</p>"),
    "bare ampersand": BASE.format("<p>a & b</p>"),
    "less-than in text": BASE.format("<p>a < b</p>"),
    "cdata": BASE.format(SVG.format("<text><![CDATA[a<b]]></text>")),
    "processing instruction": BASE.format("<?xml-stylesheet href='a'?><p>甲</p>"),
    "entity declaration": BASE.format("<p>甲</p>").replace(
        "<!doctype html>", '<!doctype html><!DOCTYPE html [<!ENTITY a "b">]>'
    ),
    "style in head": BASE.format("<p>甲</p>").replace("</head>", "<style>p &amp; q {}</style></head>"),
    "script": BASE.format("<script>1 &lt; 2</script>"),
    "text before head": BASE.format("<p>甲</p>").replace("<head>", "甲<head>"),
    "text after body": BASE.format("<p>甲</p>").replace("</html>", "甲</html>"),
    "text after html": BASE.format("<p>甲</p>") + "甲",
    "comment after html": BASE.format("<p>甲</p>") + "<!--c-->\n",
    "nul": BASE.format("<p>甲\x00</p>"),
    "form feed": BASE.format("<p>甲\x0c</p>"),
    "c1 control": BASE.format("<p>甲\x85</p>"),
    "bom": "\ufeff" + BASE.format("<p>甲</p>"),
    "lone surrogate": BASE.format("<p>甲\ud800</p>"),
    "ill-formed": BASE.format("<p><span>甲</p></span>"),
    "body twice": BASE.format('<body class="x"><p>甲</p>'),
    "head element in body": BASE.format('<meta name="a"><p>甲</p>'),
}


@pytest.mark.parametrize("html", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_markup_both_parsers_read_alike_is_parsed_on_the_fast_path_into_tinyhtml5s_tree(html):
    assert_same_tree_on_the_fast_path(html)


@pytest.mark.parametrize("html", DECLINED.values(), ids=DECLINED.keys())
def test_markup_the_parsers_could_read_apart_is_left_to_tinyhtml5(html):
    assert parsing.fast_parse(html) is None
    assert tree(parsing.parse_html(html)) == tinyhtml5_tree(html)


def test_a_chart_is_parsed_on_the_fast_path_into_tinyhtml5s_tree():
    document = ReportDocument(title="图", sections=(Section("一、图", blocks=_charts()),))
    assert_same_tree_on_the_fast_path(as_rendered(render_html("reports/pdf/base.html", {"document": document})))


# --- the comparison can fail ----------------------------------------------------------------------------
def test_the_tree_comparison_sees_each_difference_the_fix_ups_mend(monkeypatch):
    """The guard of the equality tests: without the fix-ups (whitespace HTML drops before the head and
    moves into the body, the svg element's xmlns attributes) the fast path's tree is another tree."""
    html = ACCEPTED["chart"]
    assert_same_tree_on_the_fast_path(html)
    monkeypatch.setattr(parsing, "_fix_up", lambda root, svg_starts, trailing: None)
    unmended = tree(parsing.fast_parse(html))
    expected = tinyhtml5_tree(html)

    differences = [(a, b) for a, b in zip(unmended, expected, strict=True) if a != b]
    assert [(a[1], b[1]) for a, b in differences] == [
        ("html", "html"),  # text "\n" before the head: dropped by HTML
        ("body", "body"),  # tail "\n": HTML writes it into the body
        ("figure", "figure"),  # the body's last child, whose tail gets the whitespace after </body>
        ("{http://www.w3.org/2000/svg}svg", "{http://www.w3.org/2000/svg}svg"),  # xmlns attributes
    ]


def _reordered(element: Any) -> None:
    attributes = list(element.attrib.items())
    element.attrib.clear()
    element.attrib.update(reversed(attributes))


@pytest.mark.parametrize(
    "change",
    [
        lambda root: root[1][0].set("class", "x"),
        lambda root: _reordered(root[1][0][0]),
        lambda root: setattr(root[1], "text", root[1].text + " "),
        lambda root: setattr(root[1][0], "tail", None),
        lambda root: setattr(root[1][0][1], "text", ""),
        lambda root: setattr(root[1][0], "tag", "{http://www.w3.org/1999/xhtml}figure"),
    ],
    ids=["attribute", "attribute order", "text", "tail", "empty text is not no text", "namespace"],
)
def test_the_tree_comparison_sees_a_one_character_difference(change):
    html = ACCEPTED["chart"]
    root = parsing.fast_parse(html)
    change(root)

    assert tree(root) != tinyhtml5_tree(html)

"""The report's cascade (reports/pdf/cascade.py) gives every element and pseudo-element the computed
style WeasyPrint's own gives it, every property compared."""

from typing import Any

import cssselect2
import pytest
import weasyprint
from weasyprint.css import StyleFor, get_all_computed_styles
from weasyprint.css.properties import INITIAL_VALUES
from weasyprint.css.targets import TargetCollector

from reports.document import Column, Paragraph, ReportDocument, Section, Table
from reports.pdf import cascade, render_html
from reports.pdf.render import (
    _REPORT_UA,
    BASE_URL,
    _renderer,
    _ReportHTML,
    report_user_agent_css,
    without_table_whitespace,
)


def _report() -> str:
    table = Table(
        caption="表1 行政复议案件情况",
        columns=(Column("项目", width="40%", is_text=True), Column("数量", is_number=True), Column("说明")),
        rows=tuple((f"第{n}项", f"{n * 7}件", "较上年增加" if n % 3 else "") for n in range(1, 30)),
        note="注：数据截至12月31日。",
    )
    document = ReportDocument(
        title="测试报告",
        addressee="主任：",
        sections=(Section("一、测试", blocks=(Paragraph("全年办理行政复议案件71件。"), table)),),
        issuer="云州市司法局",
        date_text="2026年1月5日",
    )
    html = render_html("reports/pdf/base.html", {"document": document})
    # Style attributes and pseudo-elements besides the template's own.
    return html.replace("<td>", '<td style="color: red">', 3).replace("<h2>", '<h2 style="font-size: 20pt">')


# Pseudo-elements, attribute and structural selectors, inheritance through shared styles.
_EXTRA_CSS = (
    "td::before { content: '·'; color: blue } tr:nth-child(odd) td:first-child::after { content: attr(class) }"
    " caption::first-letter { font-weight: bold } tbody tr:last-child { font-style: italic } h2 + p { margin: 1em }"
)


def computed_styles(html: str, *, report_cascade: bool) -> list[tuple[Any, ...]]:
    """Every computed style of the document, each property as its repr, in the cascade's order."""
    html, sheets = _renderer().linked_stylesheets(without_table_whitespace(html))
    sheets = [*sheets, weasyprint.CSS(string=_EXTRA_CSS)]
    document = _ReportHTML(string=html, base_url=BASE_URL)
    if not report_cascade:
        document.wrapper_element = cssselect2.ElementWrapper.from_html_root(document.etree_element)
    init = StyleFor.__init__
    StyleFor.__init__ = cascade._style_for_init if report_cascade else cascade.WEASYPRINT_STYLE_FOR_INIT
    try:
        style_for = get_all_computed_styles(
            document, sheets, False, _renderer().font_config, None, None, [], [], TargetCollector()
        )
    finally:
        StyleFor.__init__ = init
    return [
        (element.tag, element.get("class"), pseudo_type, [(name, repr(style[name])) for name in INITIAL_VALUES])
        for (element, pseudo_type), style in style_for._computed_styles.items()
    ]


def test_every_element_and_pseudo_element_gets_weasyprints_computed_style():
    html = _report()
    weasyprints = computed_styles(html, report_cascade=False)

    assert computed_styles(html, report_cascade=True) == weasyprints
    assert len(weasyprints) > 200
    assert {pseudo_type for _, _, pseudo_type, _ in weasyprints} == {None, "before", "after", "first-letter"}


def test_the_style_comparison_sees_one_changed_property():
    """The guard of the test above."""
    html = _report()

    assert computed_styles(html.replace("<td>", '<td style="color: #000001">', 1), report_cascade=True) != (
        computed_styles(html, report_cascade=False)
    )


def test_report_wrappers_are_cssselect2s_made_once():
    html, _ = _renderer().linked_stylesheets(without_table_whitespace(_report()))
    document = _ReportHTML(string=html, base_url=BASE_URL)

    def described(root: Any) -> list[tuple[Any, ...]]:
        return [
            (
                wrapper.etree_element,
                wrapper.index,
                wrapper.parent and wrapper.parent.etree_element,
                wrapper.previous and wrapper.previous.etree_element,
                wrapper.id,
                wrapper.classes,
                wrapper.local_name,
                wrapper.namespace_url,
                wrapper.lang,
                wrapper.in_html_document,
            )
            for wrapper in root.iter_subtree()
        ]

    first = list(document.wrapper_element.iter_subtree())
    assert described(document.wrapper_element) == described(
        cssselect2.ElementWrapper.from_html_root(document.etree_element)
    )
    assert all(a is b for a, b in zip(first, document.wrapper_element.iter_subtree(), strict=True))
    assert len(first) > 100


# --- the user-agent sheet's unindexed selectors ---------------------------------------------------------
_ATTRIBUTES = (
    '<div dir="rtl"><ul><li>一<ol dir="LTR"><li>二</li></ol></li></ul><menu dir="rtl"><li>三</li></menu></div>'
    '<dl><dt>词</dt><dd><dl><dd>嵌</dd></dl></dd></dl><p hidden>藏</p><a href="#x">链</a><a>无链</a>'
    '<map><area href="#y"></map><input><input value=""><input type="CHECKBOX"><input type="radio" hidden>'
    '<table rules="all" frame="box" border="1"><tbody hidden><tr dir="rtl"><td hidden>格</td><th>头</th></tr>'
    '</tbody></table><table rules="groups"><tr><td>乙</td></tr></table><dir><li>旧</li></dir>'
    '<svg xmlns="http://www.w3.org/2000/svg"><a href="#z"><text dir="rtl">字</text></a></svg>'
)


@pytest.mark.parametrize("body", [None, _ATTRIBUTES], ids=["report", "attributes, links, lists, inputs"])
def test_the_user_agent_sheet_matches_as_cssselect2s_matcher(body):
    html = _report() if body is None else f"<!doctype html><html><body>{body}</body></html>"
    html, _ = _renderer().linked_stylesheets(without_table_whitespace(html))
    document = _ReportHTML(string=html, base_url=BASE_URL)
    guarded = _REPORT_UA.matcher
    plain = weasyprint.CSS(string=report_user_agent_css()).matcher
    assert isinstance(guarded, cascade._GuardedMatcher)
    assert not isinstance(plain, cascade._GuardedMatcher)

    def matches(matcher: Any) -> list[Any]:
        return [
            [(specificity, order, pseudo) for specificity, order, pseudo, _ in matcher.match(element)]
            for element in document.wrapper_element.iter_subtree()
        ]

    assert matches(guarded) == matches(plain)
    assert sum(map(len, matches(plain))) > 20


def test_the_guards_leave_out_selectors_and_keep_those_that_can_match():
    plain_cell = _REPORT_UA.matcher._other_selectors(_wrapper("<table><tr><td>格</td></tr></table>", "td"))
    hidden_cell = _REPORT_UA.matcher._other_selectors(_wrapper("<table><tr><td hidden>格</td></tr></table>", "td"))

    assert len(_REPORT_UA.matcher._guarded) == len(_REPORT_UA.matcher.other_selectors) > 10
    assert len(plain_cell) < len(hidden_cell) < len(_REPORT_UA.matcher.other_selectors)


def _wrapper(body: str, tag: str) -> Any:
    document = _ReportHTML(string=f"<!doctype html><html><body>{body}</body></html>", base_url=BASE_URL)
    return next(element for element in document.wrapper_element.iter_subtree() if element.local_name == tag)

import re
from decimal import Decimal

import cairosvg

from reports import charts

CHART_ID = re.compile(r'<svg[^>]* id="(chart-[^"]+)"')


def _drawn_afresh(**arguments) -> str:
    """The chart drawn by pygal, not taken from the charts already drawn."""
    charts._bar_chart.cache_clear()
    charts._horizontal_bar_chart.cache_clear()
    if "print_values" in arguments:
        return charts.bar_chart(**arguments)
    return charts.horizontal_bar_chart(**arguments)


def test_the_same_figures_draw_the_same_bytes():
    figures = {"labels": ["人大代表", "普通群众"], "series": [("第1题", [Decimal("91.50"), Decimal("78.25")])]}

    first = _drawn_afresh(**figures, unit="%", print_values=True)
    second = _drawn_afresh(**figures, unit="%", print_values=True)

    assert first == second


def test_the_same_figures_draw_the_same_horizontal_bars():
    figures = {"labels": ["行政复议纠错率", "败诉率"], "series": [("目标值", [Decimal(95), None])]}

    assert _drawn_afresh(**figures, unit="%") == _drawn_afresh(**figures, unit="%")


def test_other_figures_draw_a_chart_of_another_name():
    one = charts.bar_chart(labels=["甲", "乙"], series=[("2025年", [1, 2])], unit="件")
    other = charts.bar_chart(labels=["甲", "乙"], series=[("2025年", [1, 3])], unit="件")

    assert CHART_ID.search(one)[1] != CHART_ID.search(other)[1]


def test_a_chart_does_not_say_the_day_it_was_drawn():
    svg = charts.bar_chart(labels=["甲"], series=[("2025年", [1])], unit="件")

    assert "Generated with pygal" not in svg
    assert not re.search(r"\d{4}-\d{2}-\d{2}", svg)


def test_a_chart_keeps_its_styles_scoped_to_its_own_name():
    svg = charts.bar_chart(labels=["甲"], series=[("2025年", [1])], unit="件")

    name = CHART_ID.search(svg)[1]
    assert f"#{name} " in svg


def test_a_chart_carries_only_what_is_drawn():
    """pygal's tooltip texts and script are never drawn; the PDF renderer would parse them twice."""
    svg = charts.bar_chart(labels=["甲", "乙"], series=[("2025年", [1, 2])], unit="件")
    bars = charts.horizontal_bar_chart(labels=["甲", "乙"], series=[("目标值", [Decimal(95), None])], unit="%")

    for drawn in (svg, bars):
        assert "<desc" not in drawn
        assert drawn.count("<title") == 1  # the chart's own: a tagged PDF's alternate text
        assert "<script" not in drawn
        assert "<rect" in drawn
        assert "<text" in drawn


def _as_png(svg: str) -> bytes:
    return cairosvg.svg2png(bytestring=svg.encode(), output_width=600, background_color="white")


def _every_rule_kept(monkeypatch) -> None:
    monkeypatch.setattr(charts, "_without_unused_css", lambda svg: svg)


def test_a_chart_keeps_only_the_css_rules_that_style_its_elements():
    svg = _drawn_afresh(labels=["甲", "乙"], series=[("2025年", [1, 2])], unit="件", print_values=True)

    assert ":hover" not in svg
    assert "text.no_data" not in svg  # a chart with figures has no "no data" text
    assert ".axis .guide.line{stroke:#666}" in svg


def test_a_chart_without_the_unused_rules_draws_the_same_picture(monkeypatch):
    figures = {"labels": ["人大代表", "普通群众"], "series": [("第1题", [Decimal("91.50"), Decimal("78.25")])]}
    bars = {"labels": ["行政复议纠错率", "败诉率"], "series": [("目标值", [Decimal(95), None])], "unit": "%"}
    pruned = (_drawn_afresh(**figures, unit="%", print_values=True), _drawn_afresh(**bars))
    _every_rule_kept(monkeypatch)
    whole = (_drawn_afresh(**figures, unit="%", print_values=True), _drawn_afresh(**bars))

    for kept, written in zip(pruned, whole, strict=True):
        assert len(kept) < len(written) - 3000
        assert _as_png(kept) == _as_png(written)


def test_a_chart_whose_stylesheet_is_dropped_draws_another_picture(monkeypatch):
    """The guard of the test above: the picture does depend on the chart's stylesheet."""
    _every_rule_kept(monkeypatch)
    svg = _drawn_afresh(labels=["甲", "乙"], series=[("2025年", [1, 2])], unit="件", print_values=True)

    assert _as_png(svg) != _as_png(charts._STYLE_TEXT.sub(r"\1\3", svg))


def test_css_from_a_selector_the_renderer_refuses_onwards_is_kept_as_written():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" id="c"><style type="text/css">'
        "#c .unused{fill:red}#c rect{fill:blue}#c rect:unknown-pseudo{fill:green}#c .unused{fill:red}"
        '</style><rect width="1" height="1"/></svg>'
    )

    kept = charts._without_unused_css(svg)

    assert "#c rect{fill:blue}" in kept
    assert kept.count("#c .unused{fill:red}") == 1
    assert "#c rect:unknown-pseudo{fill:green}#c .unused{fill:red}" in kept


def test_a_rule_of_only_vendor_prefixed_declarations_is_dropped():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" id="c"><style type="text/css">'
        "#c rect{-webkit-transition:150ms}#c rect{fill:#000}"
        '</style><rect width="1" height="1"/></svg>'
    )

    assert '<style type="text/css">#c rect{fill:#000}</style>' in charts._without_unused_css(svg)


def test_a_child_selector_keeps_its_escaped_greater_than_sign():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" id="c"><style type="text/css">'
        "#c &gt; rect{fill:#000}"
        '</style><rect width="1" height="1"/></svg>'
    )

    assert '<style type="text/css">#c &gt; rect{fill:#000}</style>' in charts._without_unused_css(svg)

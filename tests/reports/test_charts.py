import re
from decimal import Decimal

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

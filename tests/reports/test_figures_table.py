"""The indicator table the department, government and congress reports append, as laid out."""

from decimal import Decimal
from types import SimpleNamespace

from indicators.models import Indicator, TargetOperator, ValueType
from reports.document import Appendix, ReportDocument
from reports.kinds.figures_table import figures_table
from reports.pdf import render_pdf

from .pdf_lines import pdf_lines

# The longest cells of each figure column in the city's congress report.
CELLS = {
    "current": "95.59%\n（15707/16432）",
    "previous": "186个单位",
    "change": "下降48.07%",
    "outcome": "177/208",
}


def _laid_out_lines(**cells: str) -> list[str]:
    cells = {**CELLS, **cells}
    indicator = Indicator(
        pk=1,
        code="A1.3",
        name="开展法治政府建设督察考核的乡镇（街道）数",
        value_type=ValueType.RATE,
        target_operator=TargetOperator.GTE,
        target_value=Decimal(100),
    )
    figure = SimpleNamespace(indicator=indicator, current=None, previous=object())
    table = figures_table(
        [figure],
        year=2025,
        caption="2025年度法治政府建设主要指标汇总",
        current=lambda f: cells["current"],
        previous=lambda f: cells["previous"],
        change=lambda f: cells["change"],
        outcome_heading="达标单位",
        outcome=lambda f: cells["outcome"],
        note="",
    )
    document = ReportDocument(title="测试", appendices=(Appendix("附件1", "主要指标数据", (table,)),))
    return [line.text for line in pdf_lines(render_pdf("reports/pdf/congress_survey.html", {"document": document}))]


def test_no_figure_of_the_indicator_table_breaks_over_lines():
    lines = _laid_out_lines()  # cells side by side on one baseline come out as one line

    for cell in (*CELLS["current"].split("\n"), CELLS["previous"], CELLS["change"], CELLS["outcome"], "≥100%"):
        assert any(cell in line for line in lines), (cell, lines)


def test_a_change_in_percentage_points_breaks_before_the_words_not_inside_them():
    lines = _laid_out_lines(change="提高1.5个百分点")

    assert not any("提高1.5个百" in line for line in lines), lines
    assert any("百分点" in line for line in lines), lines

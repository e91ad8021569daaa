"""The 7-column table of indicators (序号, 指标, this year, last year, 变化, 目标, and how the target
went) that the department report and the government report (and the congress report through it)
append: one layout, each report filling its own cells."""

from collections.abc import Callable, Iterable
from typing import Any

from indicators.presenting import Place, target_text

from .. import editorial
from ..document import Column, Table

Cell = Callable[[Any], str]
# “提高0.76个百分点” never fits the 变化 column on one line: it breaks before 百分点, never inside it
# (提高1.5个百 / 分点).
POINTS = "百分点"


def figures_table(
    figures: Iterable[Any],
    *,
    year: int,
    caption: str,
    current: Cell,
    previous: Cell,
    change: Cell | None = None,
    outcome_heading: str,
    outcome: Cell,
    note: str,
    sources: dict[int, str] | None = None,
) -> Table:
    """`current`, `previous`, `change` and `outcome` turn one figure (with .indicator, .current,
    .previous) into its cell; a figure with no reading last year shows —, and the change is the
    editorial one unless the report says otherwise."""
    change = change or (lambda figure: editorial.change_cell(figure.indicator, figure.current, figure.previous))
    sources = sources or {}  # 数据来源：市中级人民法院, for figures a 数据提供单位 provides
    rows = tuple(
        (
            str(number),
            f"{figure.indicator.name}（{sources[figure.indicator.pk]}）"
            if figure.indicator.pk in sources
            else figure.indicator.name,
            current(figure),
            previous(figure) if figure.previous else "—",
            change(figure).replace(POINTS, f"\n{POINTS}"),
            target_text(figure.indicator, Place.REPORT_TABLE),
            outcome(figure),
        )
        for number, figure in enumerate(figures, start=1)
    )
    return Table(
        caption=caption,
        # Each figure column as wide as its usual longest cell on one line (五号 10.5 pt, 3 pt padding
        # each side, of the 156 mm 版心): a fraction “（15707/16432）” 28.7 mm, “186个单位” 17 mm,
        # “下降48.07%” 20.3 mm, “≥100%” 13 mm, “177/208” 13.3 mm. Narrower, the figure broke
        # from its word (下降 / 48.07%, 186个单 / 位); the indicator's name takes the rest.
        columns=(
            Column("序号", "6.5%"),
            Column("指标", "25.5%", is_text=True),
            Column(f"{year}年", "20%"),
            Column(f"{year - 1}年", "13%"),
            Column("变化", "14.5%"),
            Column("目标", "10%"),
            Column(outcome_heading, "10.5%"),
        ),
        rows=rows,
        note=note,
    )

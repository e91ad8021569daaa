"""历史数据年度 as the justice bureau sees them: each past year's historical edition, whether it is
still a draft to adjust or already open, and how far its figures have been entered. The writes are in
services/historical.py. Two queries, whatever the number of years."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet, Sum

from indicators.models import IndicatorFramework


@dataclass(frozen=True)
class HistoricalYear:
    framework: IndicatorFramework
    returns: int
    filled: int  # values entered, over all its returns
    items: int
    scored: int = 0  # units with a score sheet: only when the bureau asked for scoring

    @property
    def is_open(self) -> bool:
        return self.returns > 0

    @property
    def percent(self) -> int:
        return round(self.filled * 100 / self.items) if self.items else 0


def historical_years() -> list[HistoricalYear]:
    frameworks = (
        IndicatorFramework.objects.filter(is_historical=True)
        .exclude(status=IndicatorFramework.Status.ARCHIVED)
        .annotate(
            n_returns=Count("annual_returns"),
            n_filled=Sum("annual_returns__filled_count"),
            n_items=Sum("annual_returns__item_count"),
            n_scored=Count("annual_returns__score_sheet"),
        )
        .order_by("-year", "-version")
    )
    return [HistoricalYear(f, f.n_returns, f.n_filled or 0, f.n_items or 0, f.n_scored) for f in frameworks]


def historical_sources() -> QuerySet[IndicatorFramework]:
    """What a historical edition may be copied from: any published or archived regular edition."""
    return (
        IndicatorFramework.objects.filter(is_historical=False)
        .exclude(status=IndicatorFramework.Status.DRAFT)
        .order_by("-year", "-version")
    )

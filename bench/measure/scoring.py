"""Score recomputation for every department of the last year (`score_sheets_recompute`), inside a
transaction that is rolled back, so the benchmark database is left as it was and every run does the
same work. The generator leaves an empty fingerprint on every sheet, so every sheet is rewritten.

Long at large scales, so `--sample N` times the first N returns through the same per-return path
(`score_sheet_compute`) and projects the whole year from the per-return time; the full run happens
when it would fit in `--budget` seconds.

    python -m bench.measure.scoring [--sample 60] [--budget 240]
"""

import argparse
import cProfile
import inspect
import io
import pstats
import time

from .common import Result, count_queries, log, setup_django


class Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=60)
    parser.add_argument("--budget", type=float, default=240)
    arguments = parser.parse_args()
    setup_django()
    from django.db import transaction

    from assessments.models import AnnualReturn
    from reviews.services.scoring import (
        SCORED_STATUSES,
        score_sheet_compute,
        score_sheets_rank,
        score_sheets_recompute,
    )

    year = AnnualReturn.objects.order_by("-year").values_list("year", flat=True).first()
    returns = list(
        AnnualReturn.objects.filter(year=year, status__in=SCORED_STATUSES)
        .select_related("department", "framework")
        .order_by("pk")
    )
    total = len(returns)
    sample = returns[: arguments.sample]
    profile = cProfile.Profile()
    try:
        with transaction.atomic():
            queries = count_queries(lambda: score_sheet_compute(annual_return=sample[0]))
            # Per return as the year's recomputation does it: without re-ranking after each sheet
            # where the service allows that, with the one ranking of the year timed apart.
            once = {"rank": False} if "rank" in inspect.signature(score_sheet_compute).parameters else {}
            started = time.perf_counter()
            profile.enable()
            for annual_return in sample[1:]:
                score_sheet_compute(annual_return=annual_return, **once)
            profile.disable()
            per_return = (time.perf_counter() - started) / max(1, len(sample) - 1)
            started = time.perf_counter()
            score_sheets_rank(year=year)
            rank_once = time.perf_counter() - started if once else 0.0
            raise Rollback
    except Rollback:
        pass
    projected = per_return * total + rank_once
    rank_share = _share(profile, "score_sheets_rank")
    note = (
        f"{total} scored returns of {year}; {per_return * 1000:.0f} ms and {queries} queries per return; "
        f"{rank_share:.0%} of it re-ranking the whole year after each sheet"
        + (f"; ranking once {rank_once:.1f} s" if rank_once else "")
    )
    measured = None
    if projected <= arguments.budget:
        try:
            with transaction.atomic():
                started = time.perf_counter()
                score_sheets_recompute(year=year)
                measured = time.perf_counter() - started
                raise Rollback
        except Rollback:
            pass
    seconds = round(measured if measured is not None else projected, 1)
    Result(
        "scoring",
        "score recomputation, all units of the year" + ("" if measured is not None else " (projected)"),
        seconds,
        "s",
        "≤ 60 s (province)",
        seconds <= 60,
        note=note + ("" if measured is not None else f"; projected from {len(sample) - 1} returns"),
        extra={"per_return_ms": round(per_return * 1000, 1), "queries_per_return": queries, "rank_share": rank_share},
    ).emit()
    log(_top(profile))


def _share(profile: cProfile.Profile, function_name: str) -> float:
    """The function's cumulative time as a share of all profiled time."""
    stats = pstats.Stats(profile)
    for (_, _, name), (_, _, _, cumulative, _) in stats.stats.items():
        if name == function_name:
            return cumulative / (stats.total_tt or 1)
    return 0.0


def _top(profile: cProfile.Profile) -> str:
    buffer = io.StringIO()
    pstats.Stats(profile, stream=buffer).sort_stats("cumulative").print_stats(12)
    return buffer.getvalue()


if __name__ == "__main__":
    main()

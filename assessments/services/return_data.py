"""Telling the apps above that what a return holds changed: its figures (typed, imported or provided
by a 数据提供单位) or its texts. Reports keep the reports that read a return ready (reports/readiness.py)
this way, so entry never imports what builds on it."""

from collections.abc import Callable, Iterable

# Called inside the change's transaction with the changed returns' ids, sorted:
# `listener(*, return_ids)`. An app above assessments registers itself in its AppConfig.ready. A
# listener that raises refuses the change.
RETURN_DATA_LISTENERS: list[Callable[..., None]] = []


def return_data_changed(*, return_ids: Iterable[int]) -> None:
    ids = sorted(set(return_ids))
    if not ids:
        return
    for listener in RETURN_DATA_LISTENERS:
        listener(return_ids=ids)

"""Reports ready on click (issue 19 §5): rendered in the background when their data change, served at
once when asked for with the same data.

- **Which reports.** A report someone has asked for (a finished edition of its kind, year and unit,
  not final) is kept ready: its data changing schedules an *automatic* run of it, with the options
  of its latest edition. Reports nobody asked for are not rendered for nobody.
- **When.** The apps below report their changes through hooks, never by importing reports: a return
  that moves (`assessments.services.workflow.RETURN_MOVE_LISTENERS`: submitted, approved, returned,
  reopened, confirmed); a return's figures or texts that change, typed, imported or written by a
  数据提供单位 (`assessments.services.return_data.RETURN_DATA_LISTENERS`); a review, score, appeal,
  adjustment or publication change (`reviews.services.audit.REVIEW_CHANGE_LISTENERS`); an audited
  change of the congress module (surveys, responses, tallies, activities, recommendations), of the
  framework and who provides its figures, or of a unit (its name, its parent:
  `audit.services.AUDIT_LISTENERS`); the 报告稿 calls here itself. Each schedules the scopes whose
  documents read what changed, after its commit; a scope scheduled for nothing costs one build.
  A return's figures and texts, changed by every autosave, are only marked in the change's
  transaction (`ChangedReturn`); the next refresh tick (below) schedules the scopes that read them,
  as of the change, or, where no tick runs (no broker and no background rendering), the commit.
- **Debounced.** A scope has one automatic run waiting (two processes scheduling the same scope at
  the same instant may add two: the later one finds the fingerprint rendered and is dropped). A
  change while it waits moves its start to REPORTS_REFRESH_DEBOUNCE_SECONDS after that change, but
  never later than REPORTS_REFRESH_MAX_WAIT_SECONDS after the first: a burst of changes is one render.
  Once due, the run is sent like any other (`report_refreshes_tick`, run by every worker and, without
  a broker, every web process, each heartbeat; the sweeper sends it too) and from then
  on it is an ordinary run: claim, heartbeat, re-queue by the sweeper, stored exactly once.
- **Fingerprint.** A render records the fingerprint of the document it renders
  (reports/fingerprint.py). An automatic run whose fingerprint a finished run of its scope already
  has is dropped before rendering: a change that does not touch the report costs one build.
- **On click** (`ready_run`, from services.report_run_request): the fingerprint the report has now
  decides. An edition with it is served as it is; an automatic run with it becomes the user's next
  edition (no render); a run that will read the data after the click (queued), or that rendered
  this very fingerprint (running), is joined; otherwise the request queues a new run and its page
  shows the progress. A file whose data changed since is never served as current: its fingerprint
  is not the current one.

- **批量生成.** A batch asks for every unit's report; the units' data are not looked at in the request
  (a build per unit would hold it for minutes at a province). Each of the batch's runs, when it
  starts, builds its document first: a unit whose fingerprint a finished edition (or an automatic
  render, then adopted) already has is served that edition — the batch's run is dropped unrendered
  and the edition joins the batch (`ReportBatch.reused`); only units whose data changed render.

Automatic runs are invisible (permissions.runs_for_user, editions, last year's published figures)
until someone asks for them; a finished one replaces the previous automatic run of its scope.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Department, User
from assessments.models import REPORTED_STATUSES, AnnualReturn

from . import dispatch
from .models import ChangedReturn, ReportBatch, ReportKind, ReportRun

logger = logging.getLogger(__name__)
Status = ReportRun.Status

CITYWIDE_KINDS = (ReportKind.CONGRESS_SURVEY, ReportKind.RESULTS_NOTICE)


def debounce() -> timedelta:
    return timedelta(seconds=float(settings.REPORTS_REFRESH_DEBOUNCE_SECONDS))


def max_wait() -> timedelta:
    return timedelta(seconds=float(settings.REPORTS_REFRESH_MAX_WAIT_SECONDS))


@dataclass(frozen=True)
class Scope:
    kind: str
    year: int
    department_id: int | None
    options: dict[str, Any]


def _scope_runs(kind: str, year: int, department_id: int | None) -> QuerySet[ReportRun]:
    return ReportRun.objects.filter(kind=kind, year=year, department=department_id)


def kept_ready(
    *, years: Iterable[int] | None = None, kinds: Iterable[str] | None = None, department_ids: Iterable[int] = ()
) -> list[Scope]:
    """The reports kept ready: each scope with an edition someone asked for and none final, with its
    latest edition's options. `department_ids` narrows the department reports to those units."""
    runs = ReportRun.objects.filter(is_automatic=False, status=Status.DONE)
    if years is not None:
        runs = runs.filter(year__in=list(years))
    if kinds is not None:
        runs = runs.filter(kind__in=list(kinds))
    units = set(department_ids)
    latest: dict[tuple[str, int, int | None], Scope] = {}
    final: set[tuple[str, int, int | None]] = set()
    rows = runs.order_by("kind", "year", "department_id", "-edition").values_list(
        "kind", "year", "department_id", "options", "is_final"
    )
    for kind, year, department_id, options, is_final in rows:
        key = (kind, year, department_id)
        if is_final:
            final.add(key)
        if kind == ReportKind.DEPARTMENT_ANNUAL and units and department_id not in units:
            continue
        latest.setdefault(key, Scope(kind, year, department_id, dict(options or {})))
    return [scope for key, scope in latest.items() if key not in final]


# --- scheduling ------------------------------------------------------------------------------------


def _schedule(scope: Scope, now: datetime) -> int | None:
    """Make sure the scope has an automatic run waiting to start `debounce()` from now (within the
    max wait of the first change); None when a run someone asked for is queued (it reads the data
    when it starts)."""
    runs = _scope_runs(scope.kind, scope.year, scope.department_id).filter(status=Status.QUEUED)
    if runs.filter(is_automatic=False).exists():
        return None
    waiting = runs.filter(is_automatic=True).order_by("pk").values_list("pk", "created_at").first()
    # Conditional: a run claimed meanwhile may have read the data before this change (then a new one).
    # A message already sent finds it not due and leaves it: it is sent again once due.
    if waiting is not None and runs.filter(pk=waiting[0]).update(
        not_before=min(now + debounce(), waiting[1] + max_wait()), dispatched_at=None
    ):
        return int(waiting[0])
    run = ReportRun.objects.create(
        kind=scope.kind,
        year=scope.year,
        department_id=scope.department_id,
        options=scope.options,
        is_automatic=True,
        requested_by=None,
        queued_at=now,
        not_before=now + debounce(),
        dispatched_at=None,
        stage="数据已变化，等待自动更新",
    )
    return run.pk


def report_refresh_schedule(*, scopes: Iterable[Scope], now: datetime | None = None) -> list[int]:
    """Schedule an automatic run of each scope (debounced); returns the waiting runs' ids."""
    now = now or timezone.now()
    return [pk for scope in scopes if (pk := _schedule(scope, now)) is not None]


class _AfterCommit:
    """The scopes a transaction's changes touch, scheduled once when it commits, in a transaction of
    their own: a reviewer approving many returns in one request schedules each report once. A
    failure here never fails the change (the fingerprint still keeps a stale file from being served)."""

    def __init__(self) -> None:
        self.makers: list[Callable[[], list[Scope]]] = []

    def __call__(self) -> None:
        try:
            scopes: dict[tuple[str, int, int | None], Scope] = {}
            for make_scopes in self.makers:
                scopes.update(((s.kind, s.year, s.department_id), s) for s in make_scopes())
            report_refresh_schedule(scopes=scopes.values())
        except Exception:
            logger.warning("Reports not scheduled for refresh", exc_info=True)


def _after_commit(make_scopes: Callable[[], list[Scope]]) -> None:
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        # Django's own list of the transaction's commit callbacks: join the one already waiting.
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _AfterCommit):
                callback.makers.append(make_scopes)
                return
    pending = _AfterCommit()
    pending.makers.append(make_scopes)
    transaction.on_commit(pending)


def refresh_scope_on_commit(*, kind: str, year: int, department: Department | None) -> None:
    """The 报告稿 of a scope changed."""
    department_id = department.pk if department is not None else None
    _after_commit(lambda: [s for s in kept_ready(years=[year], kinds=[kind]) if s.department_id == department_id])


def refresh_after_return_move(*, annual_return: Any, user: User | None = None, reason: str = "") -> None:
    """RETURN_MOVE_LISTENERS: the unit's own report of the year (and of the next year, which prints
    this year as 上年), every government report and the jurisdiction-wide reports of those years.
    A government report that does not include the unit keeps its fingerprint and is not rendered."""
    years = [annual_return.year, annual_return.year + 1]
    department_id = annual_return.department_id
    _after_commit(lambda: kept_ready(years=years, department_ids=[department_id]))


def refresh_after_return_data(*, return_ids: list[int]) -> None:
    """RETURN_DATA_LISTENERS: figures or texts of returns changed (typed, imported, provided).

    The change only marks its returns (ChangedReturn, one statement in its own transaction, no read):
    an autosave is most of the requests on a deadline day, and working out which reports read a return
    was two queries of each. Where a refresh tick runs (a worker's with a broker, else the web
    processes' supervisor) it takes the marks within a heartbeat and schedules the reports as of the
    change, so the debounce is the same; elsewhere (tests, no background) the commit takes them."""
    changed = sorted(set(return_ids))
    if not changed:
        return
    _mark_changed(changed, timezone.now())
    if not _is_ticking():
        _after_commit(lambda: _scopes_reading_marked(changed))


def _is_ticking() -> bool:
    from . import background

    return dispatch.uses_broker() or background.is_wanted()


def _mark_changed(return_ids: list[int], now: datetime) -> None:
    """Upsert the returns' marks: a second save before the tick moves the mark's time."""
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    table = quote(ChangedReturn._meta.db_table)
    key, column = quote("annual_return_id"), quote("changed_at")
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        for start in range(0, len(return_ids), 1000):  # a province's import: within SQLite's parameters
            batch = return_ids[start : start + 1000]
            rows = ", ".join(["(%s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO {table} ({key}, {column}) VALUES {rows} "  # noqa: S608 - names from the model
                f"ON CONFLICT ({key}) DO UPDATE SET {column} = EXCLUDED.{column}",
                [value for return_id in batch for value in (return_id, stamp)],
            )


def _scopes_reading_marked(return_ids: list[int]) -> list[Scope]:
    taken = _take_marked(return_ids)
    return _scopes_reading_returns(list(taken)) if taken else []


def _take_marked(return_ids: list[int] | None = None) -> dict[int, datetime]:
    """Delete the marks (of these returns, or all) and return {return id: time of its last change}.
    On PostgreSQL a mark a save holds now is skipped (that save's commit leaves it for the next tick):
    a tick never waits for a request, and two ticks never take the same mark."""
    with transaction.atomic():
        marks = ChangedReturn.objects.select_for_update(skip_locked=True)
        if return_ids is not None:
            marks = marks.filter(annual_return_id__in=return_ids)
        taken = dict(marks.values_list("annual_return_id", "changed_at"))
        if taken:
            ChangedReturn.objects.filter(annual_return_id__in=list(taken)).delete()
    return taken


def report_refreshes_schedule_marked() -> list[int]:
    """The refresh tick's first half: take the returns marked changed and schedule the reports that read
    them, as of their last change (so a report waits the debounce after it, as when scheduled at once).
    In one transaction: a failure leaves the marks for the next tick. The waiting runs' ids."""
    try:
        with transaction.atomic():
            taken = _take_marked()
            if not taken:
                return []
            return report_refresh_schedule(scopes=_scopes_reading_returns(list(taken)), now=max(taken.values()))
    except Exception:
        logger.warning("Changed returns not scheduled for refresh; the next tick tries again", exc_info=True)
        return []


def report_refreshes_tick() -> list[int]:
    """Every heartbeat, in every worker and, without a broker, every web process: schedule what the
    changes marked since the last tick, then send the automatic runs whose wait is over (their ids)."""
    report_refreshes_schedule_marked()
    return report_refreshes_dispatch_due()


def _scopes_reading_returns(return_ids: list[int]) -> list[Scope]:
    """A unit's own report prints its return whatever its status, and next year's prints it as 上年.
    The government reports and the jurisdiction-wide ones of those years read a return only once it
    counts (submitted or further, or a 历史数据年度's) — or, a government's own, for its texts."""
    own: set[tuple[int, int]] = set()
    wide_years: set[int] = set()
    rows = AnnualReturn.objects.filter(pk__in=return_ids).values_list(
        "department_id", "year", "status", "framework__is_historical", "department__kind"
    )
    for department_id, year, status, is_historical, department_kind in rows:
        own |= {(year, department_id), (year + 1, department_id)}
        if status in REPORTED_STATUSES or is_historical or department_kind == Department.Kind.GOVERNMENT:
            wide_years |= {year, year + 1}
    years = {year for year, _ in own}
    return [
        scope
        for scope in kept_ready(years=years)
        if (scope.year, scope.department_id) in own
        or (scope.kind != ReportKind.DEPARTMENT_ANNUAL and scope.year in wide_years)
    ]


def refresh_after_review_change(entry: Any) -> None:
    """REVIEW_CHANGE_LISTENERS: a score, an appeal's decision, an adjustment or the publication of a
    year changed. Reports print scores only once the year is published: the results notice (and next
    year's, which compares ranks) and each unit's report (its own score, its rank when the ranking is
    public). Before publication a review changes no report."""
    year, department_id = int(entry.year), entry.department_id
    _after_commit(lambda: _scopes_reading_scores(year, department_id))


def _scopes_reading_scores(year: int, department_id: int | None) -> list[Scope]:
    from reviews.models import Publication

    published = {p.year: p for p in Publication.objects.filter(year__in=[year, year + 1])}
    scopes: list[Scope] = []
    if year in published:
        everyone = department_id is None or published[year].is_ranking_public
        kinds = [ReportKind.RESULTS_NOTICE, ReportKind.DEPARTMENT_ANNUAL]
        units = () if everyone else (department_id,)
        scopes += kept_ready(years=[year], kinds=kinds, department_ids=[u for u in units if u is not None])
    if year + 1 in published:
        scopes += kept_ready(years=[year + 1], kinds=[ReportKind.RESULTS_NOTICE])
    return scopes


def refresh_after_audited_change(event: Any) -> None:
    """AUDIT_LISTENERS: a change of the congress module's data, of a framework (who provides its
    figures included), or of a unit."""
    app_label, _, model = event.object_type.partition(".")
    if event.action == "read":
        return
    if app_label in ("congress", "indicators"):
        kinds = [ReportKind.CONGRESS_SURVEY] if app_label == "congress" else None
        _after_commit(lambda: kept_ready(kinds=kinds))
    elif (app_label, model) == ("accounts", "Department") and event.object_id:
        _after_commit(lambda: _scopes_naming_unit(int(event.object_id)))


def _scopes_naming_unit(department_id: int) -> list[Scope]:
    """A unit renamed, moved or (de)activated: its own reports, its children's (addressed to it by
    name), and every report that lists units (government, congress, results notice)."""
    units = [department_id, *Department.objects.filter(parent_id=department_id).values_list("pk", flat=True)]
    return kept_ready(department_ids=units)


def report_refreshes_dispatch_due(*, now: datetime | None = None) -> list[int]:
    """Send the automatic runs whose wait is over (each taken by one conditional UPDATE)."""
    now = now or timezone.now()
    due = ReportRun.objects.filter(
        status=Status.QUEUED, is_automatic=True, dispatched_at__isnull=True, not_before__lte=now
    )
    sent = [
        pk
        for pk in due.order_by("pk").values_list("pk", flat=True)
        if ReportRun.objects.filter(pk=pk, status=Status.QUEUED, dispatched_at__isnull=True).update(
            dispatched_at=now, stage="正在自动更新"
        )
    ]
    if sent:
        dispatch.dispatch_now(sent)
    return sent


# --- on click --------------------------------------------------------------------------------------


def _adopt_finished(run: ReportRun, user: User) -> ReportRun | None:
    """An automatic run with the current fingerprint becomes the user's next edition (as services._store
    numbers editions: under a lock of the scope's runs, in id order)."""
    scope = list(
        ReportRun.objects.select_for_update()
        .filter(kind=run.kind, year=run.year, department=run.department_id)
        .order_by("pk")
    )
    locked = next((r for r in scope if r.pk == run.pk), None)
    if locked is None or not locked.is_automatic or locked.status != Status.DONE:
        return None
    locked.edition = max((r.edition or 0 for r in scope), default=0) + 1
    locked.is_automatic = False
    locked.requested_by = user
    locked.not_before = None
    locked.save(update_fields=["edition", "is_automatic", "requested_by", "not_before"])
    return locked


def ready_run(
    *, kind: str, year: int, department: Department | None, options: dict[str, Any], fingerprint: str, user: User
) -> ReportRun | None:
    """The run that answers a request whose report has `fingerprint` now, if there is one (call in
    the request's transaction)."""
    runs = _scope_runs(kind, year, department.pk if department is not None else None)
    edition = runs.filter(is_automatic=False, status=Status.DONE, fingerprint=fingerprint).order_by("-edition").first()
    if edition is not None:
        return edition
    automatic = runs.filter(is_automatic=True, status=Status.DONE, fingerprint=fingerprint).order_by("-pk").first()
    if automatic is not None and (adopted := _adopt_finished(automatic, user)) is not None:
        return adopted
    # Queued: it reads the data when it starts, after this click. Running: only one that rendered
    # this very fingerprint (it may have read the data before the click).
    for pending in runs.filter(status=Status.QUEUED, options=options).order_by("-pk"):
        if not pending.is_automatic:
            return pending
        now = timezone.now()
        if runs.filter(pk=pending.pk, status=Status.QUEUED, is_automatic=True).update(
            is_automatic=False, requested_by=user, not_before=None, dispatched_at=now, stage="排队等待生成"
        ):
            dispatch.dispatch_on_commit([pending.pk])
            pending.refresh_from_db()
            return pending
    for pending in runs.filter(status=Status.RUNNING, fingerprint=fingerprint).order_by("-pk"):
        if not pending.is_automatic:
            return pending
        if runs.filter(pk=pending.pk, status=Status.RUNNING, is_automatic=True).update(
            is_automatic=False, requested_by=user
        ):
            pending.refresh_from_db()
            return pending
    return None


def already_rendered(run: ReportRun, fingerprint: str) -> bool:
    """Whether a finished run of the run's scope has this fingerprint (an automatic run is then moot)."""
    return (
        _scope_runs(run.kind, run.year, run.department_id)
        .filter(status=Status.DONE, fingerprint=fingerprint)
        .exclude(pk=run.pk)
        .exists()
    )


def batch_run_served(run: ReportRun, fingerprint: str) -> bool:
    """A batch's run whose unit has a finished edition (or automatic render) with this fingerprint:
    that edition joins the batch in its place and the run is dropped, unrendered. False when the
    unit's report must be rendered (or the run is no longer this execution's)."""
    assert run.batch_id is not None
    with transaction.atomic():
        others = _scope_runs(run.kind, run.year, run.department_id).exclude(pk=run.pk)
        current = others.filter(status=Status.DONE, fingerprint=fingerprint)
        edition = current.filter(is_automatic=False).order_by("-edition").first()
        if edition is None:
            automatic = current.filter(is_automatic=True).order_by("-pk").first()
            if automatic is not None and run.requested_by is not None:
                # Taken meanwhile by someone's click: then it is an edition with this fingerprint.
                edition = _adopt_finished(automatic, run.requested_by) or current.filter(is_automatic=False).first()
        if edition is None:
            return False
        mine = ReportRun.objects.filter(
            pk=run.pk, status=Status.RUNNING, claimed_by=run.claimed_by, attempts=run.attempts
        )
        deleted, _ = mine.delete()
        if not deleted:
            return False
        ReportBatch.reused.through.objects.create(reportbatch_id=run.batch_id, reportrun_id=edition.pk)
        return True

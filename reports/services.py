"""Report runs: request, execute (idempotent), retry, finalise, batch, sweep.

The row is the source of truth (research/reliability.md §1.5). Celery may deliver a task twice (a
killed worker child with `task_reject_on_worker_lost`, a visibility timeout, the sweeper), or never
(Redis lost the message). So:
- `report_run_execute` claims the row under a lock, returns at once for a run already done or
  failed, and counts attempts; past `MAX_ATTEMPTS` the run fails instead of looping forever.
- Rendering happens outside any transaction; the result is stored under a lock only if no other
  execution finished first, so a run ends done exactly once with one file.
- While it renders, the execution proves it is alive (reports/liveness.py); the sweeper
  (reports/recovery.py) re-queues a run whose heartbeat stopped or whose message is gone. That is the
  one retry policy, with a broker or without: nothing here retries by itself.
Requesting, retrying and finalising (定稿) are consequential actions: each writes one AuditEvent in
its transaction (issue 18 §4); the worker's own progress on the row is not a user's action.
"""

import hashlib
import logging
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from accounts.models import Department, User
from accounts.permissions import departments_for_user
from audit.models import AuditEvent
from audit.services import audit_record
from congress.models import CongressYear
from congress.services.years import congress_year_finalise
from files.storage import files_kept_only_if_saved

from . import dispatch, health, liveness, permissions, readiness, selectors
from .docx_writer import document_to_docx
from .fingerprint import document_fingerprint, report_fingerprint
from .kinds import BuildRequest, ReportDataMissing, build_document, spec_for
from .models import ReportBatch, ReportHealthAcknowledgement, ReportKind, ReportRun
from .pdf import render_pdf_document

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
# Errors that say "try again later" (the database restarting, a dropped connection): the run goes
# back to the queue for the sweeper; everything else fails the run with a message.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)

Status = ReportRun.Status


def _enqueue(run_ids: list[int]) -> None:
    """Render the runs after the commit: on a worker, or without a broker in a thread (reports.dispatch)."""
    dispatch.dispatch_on_commit(run_ids)


def _final_edition_exists(*, kind: str, year: int, department: Department | None) -> bool:
    return ReportRun.objects.filter(kind=kind, year=year, department=department, is_final=True).exists()


def report_run_request(
    *, kind: str, year: int, department: Department | None = None, user: User, options: dict[str, Any] | None = None
) -> ReportRun:
    """The run that answers the request: the finished edition (or automatic render) of the report as
    its data are now, a render under way that will be, or a new queued run (readiness.ready_run)."""
    if not permissions.can_request_report(user, kind=kind, department=department):
        raise PermissionDenied
    options = options or {}
    # Outside the transaction: it only reads, and the request's writes stay short.
    fingerprint = report_fingerprint(kind=kind, year=year, department=department, options=options)
    return _request(kind=kind, year=year, department=department, user=user, options=options, fingerprint=fingerprint)


@transaction.atomic
def _request(
    *, kind: str, year: int, department: Department | None, user: User, options: dict[str, Any], fingerprint: str | None
) -> ReportRun:
    if _final_edition_exists(kind=kind, year=year, department=department):
        raise ValidationError("该报告已定稿，不能再生成新版本。")
    if fingerprint is not None:
        ready = readiness.ready_run(
            kind=kind, year=year, department=department, options=options, fingerprint=fingerprint, user=user
        )
        if ready is not None:
            audit_record(
                action="change", user=user, obj=ready, department=department,
                after={"requested": ready.get_kind_display(), "year": year, "ready": ready.status},
            )  # fmt: skip
            return ready
    run = ReportRun.objects.create(
        kind=kind,
        year=year,
        department=department,
        options=options,
        requested_by=user,
        queued_at=timezone.now(),
        dispatched_at=timezone.now(),
        stage="排队等待生成",
    )
    audit_record(
        action="change", user=user, obj=run, department=department,
        after={"requested": run.get_kind_display(), "year": year},
    )  # fmt: skip
    _enqueue([run.pk])
    return run


@transaction.atomic
def report_run_retry(*, run: ReportRun, user: User) -> bool:
    """Put a failed run back in the queue; False if it is not failed (nothing to do)."""
    if not permissions.can_request_report(user, kind=run.kind, department=run.department):
        raise PermissionDenied
    updated = ReportRun.objects.filter(pk=run.pk, status=Status.FAILED).update(
        status=Status.QUEUED,
        attempts=0,
        progress=0,
        stage="排队等待生成（重试）",
        error_message="",
        queued_at=timezone.now(),
        dispatched_at=timezone.now(),
        started_at=None,
        finished_at=None,
        claimed_by="",
        heartbeat_at=None,
    )
    if updated:
        audit_record(
            action="change", user=user, obj=run, department=run.department_id,
            before={"status": Status.FAILED}, after={"status": Status.QUEUED, "retried": True},
        )  # fmt: skip
        _enqueue([run.pk])
    return bool(updated)


@transaction.atomic
def report_run_mark_final(*, run: ReportRun, user: User) -> ReportRun:
    """定稿: this edition becomes the final one; no later edition of its scope may be generated."""
    if not permissions.can_finalize_run(user, run):
        raise PermissionDenied
    run = ReportRun.objects.select_for_update().get(pk=run.pk)
    if run.is_final:
        return run
    if not run.is_done:
        raise ValidationError("只有已生成完成的报告可以定稿。")
    if _final_edition_exists(kind=run.kind, year=run.year, department=run.department):
        raise ValidationError("该报告已有定稿版本。")
    open_items = selectors.health_items_open(run)
    if open_items:
        raise ValidationError(
            f"报告体检还有{len(open_items)}项未处理，不能定稿。请修改数据或文字后重新生成，"
            "或在“报告体检”中逐项说明理由。"
        )
    run.is_final = True
    run.finalized_at = timezone.now()
    run.finalized_by = user
    run.save(update_fields=["is_final", "finalized_at", "finalized_by"])
    audit_record(
        action="change", user=user, obj=run, department=run.department_id,
        before={"is_final": False}, after={"is_final": True},
    )  # fmt: skip
    if run.kind == ReportKind.CONGRESS_SURVEY:
        _finalise_congress_year(year=run.year, user=user)
    return run


@transaction.atomic
def report_run_acknowledge(*, run: ReportRun, key: str, reason: str, user: User) -> ReportHealthAcknowledgement:
    """Accept one item of the draft's 报告体检 as it is, with the reason (audited)."""
    if not permissions.can_finalize_run(user, run):
        raise PermissionDenied
    reason = reason.strip()
    item = next((item for item in run.health_items if item.get("key") == key), None)
    if item is None:
        raise ValidationError("该体检项已不存在，请刷新页面。")
    if len(reason) < 4:
        raise ValidationError({"reason": "请说明理由（至少4个字），例如差异的原因或为何无需修改。"})
    if run.is_final:
        raise ValidationError("该报告已定稿。")
    acknowledgement = ReportHealthAcknowledgement.objects.create(
        kind=run.kind,
        year=run.year,
        department=run.department,
        run=run,
        key=key,
        message=item.get("message", ""),
        reason=reason,
        acknowledged_by=user,
    )
    audit_record(
        action=AuditEvent.Action.CHANGE,
        user=user,
        obj=run,
        department=run.department_id,
        before={"报告体检": item.get("message", "")},
        after={"确认": "已说明理由", "理由": reason},
    )
    return acknowledgement


def _finalise_congress_year(*, year: int, user: User) -> None:
    """The congress module freezes the year's recommendations once its report is final."""
    congress_year = CongressYear.objects.filter(year=year).first()
    if congress_year is not None and not congress_year.is_finalised:
        congress_year_finalise(congress_year=congress_year, user=user)


# --- execution -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedReport:
    pdf: bytes
    page_count: int
    docx: bytes | None
    seconds: Decimal
    health_items: tuple[dict[str, Any], ...] = ()
    figure_snapshot: dict[str, str] | None = None
    fingerprint: str = ""


def _set_progress(run_id: int, progress: int, stage: str) -> None:
    ReportRun.objects.filter(pk=run_id, status=Status.RUNNING).update(progress=progress, stage=stage)


def _fail(run_id: int, message: str) -> None:
    ReportRun.objects.filter(pk=run_id).exclude(status=Status.DONE).update(
        status=Status.FAILED, error_message=message, stage="生成失败", finished_at=timezone.now()
    )


@transaction.atomic
def _claim(run_id: int) -> ReportRun | None:
    """Take the run for this execution, unless it is finished or another execution is alive on it
    (a duplicate message); a running run whose execution stopped is taken over."""
    run = ReportRun.objects.select_for_update(of=("self",)).select_related("department").filter(pk=run_id).first()
    if run is None or run.status in (Status.DONE, Status.FAILED):
        return None  # an automatic run dropped as moot (readiness) has no row left
    now = timezone.now()
    if run.not_before is not None and run.not_before > now:
        return None  # an automatic run still waiting out its debounce: readiness sends it when due
    if run.status == Status.RUNNING and liveness.is_alive(
        claimed_by=run.claimed_by, heartbeat_at=run.heartbeat_at, now=now
    ):
        logger.info("Report run %s is being rendered by %s; this message is a duplicate", run_id, run.claimed_by)
        return None
    if run.attempts >= MAX_ATTEMPTS:
        logger.error("Report run %s failed %s times; giving up", run_id, run.attempts)
        run.status = Status.FAILED
        run.error_message = f"已尝试生成 {run.attempts} 次仍未成功，已停止自动重试。请检查数据后点击“重新生成”。"
        run.stage = "生成失败"
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "error_message", "stage", "finished_at"])
        return None
    run.status = Status.RUNNING
    run.attempts += 1
    run.started_at = now
    run.claimed_by = liveness.identity()
    run.heartbeat_at = now
    run.progress = 5
    run.stage = "读取数据"
    run.save(update_fields=["status", "attempts", "started_at", "claimed_by", "heartbeat_at", "progress", "stage"])
    return run


def _release(run: ReportRun) -> None:
    """A transient error: give the run back to the queue for the sweeper's next pass (if the
    database lets us; otherwise its heartbeat has stopped and the sweeper takes it all the same)."""
    try:
        ReportRun.objects.filter(
            pk=run.pk, status=Status.RUNNING, claimed_by=run.claimed_by, attempts=run.attempts
        ).update(status=Status.QUEUED, progress=0, stage="暂时无法访问数据库，稍后自动重试", dispatched_at=None)
    except TRANSIENT_ERRORS:
        logger.warning("Report run %s: left to the sweeper", run.pk)


def _is_moot(run: ReportRun, fingerprint: str) -> bool:
    """Record the fingerprint of what this execution renders; an automatic run whose fingerprint a
    finished run of its scope already has is dropped (unless someone asked for it meanwhile), and a
    batch's run is served such a run instead (readiness.batch_run_served)."""
    mine = ReportRun.objects.filter(pk=run.pk, status=Status.RUNNING, claimed_by=run.claimed_by, attempts=run.attempts)
    mine.update(fingerprint=fingerprint)
    if run.batch_id is not None and not run.is_automatic:
        return readiness.batch_run_served(run, fingerprint)
    if not readiness.already_rendered(run, fingerprint):
        return False
    deleted, _ = mine.filter(is_automatic=True).delete()
    return bool(deleted)


def _render(run: ReportRun) -> RenderedReport | None:
    started = time.monotonic()
    spec = spec_for(run.kind)
    document = build_document(
        BuildRequest(kind=run.kind, year=run.year, department=run.department, options=dict(run.options))
    )
    published_last_year = selectors.published_snapshot(kind=run.kind, year=run.year - 1, department=run.department)
    # The fingerprint of the document rendered here, read before the render: data changed from now
    # on give a request another fingerprint, so this file is never taken for theirs.
    fingerprint = document_fingerprint(document, published_last_year=published_last_year)
    if _is_moot(run, fingerprint):
        return None
    _set_progress(run.pk, 30, "排版生成 PDF")
    rendered = render_pdf_document(spec.template_name, {"document": document})
    _set_progress(run.pk, 80, "生成 Word 文档")
    docx = document_to_docx(document)
    _set_progress(run.pk, 90, "保存文件")
    items = health.check(
        health.HealthInput(
            document=document,
            year=run.year,
            signed_on=health.parse_date(document.date_text),
            published_last_year=published_last_year,
        )
    )
    seconds = Decimal(str(round(time.monotonic() - started, 2)))
    return RenderedReport(
        pdf=rendered.content,
        page_count=rendered.page_count,
        docx=docx,
        seconds=seconds,
        health_items=tuple(item.as_dict() for item in items),
        figure_snapshot=document.facts.snapshot() if document.facts else {},
        fingerprint=fingerprint,
    )


def _file_stem(run: ReportRun, edition: int | None) -> str:
    scope = run.department.code if run.department is not None else "all"
    return f"{run.kind}-{scope}-{run.year}-{f'e{edition}' if edition else 'auto'}-r{run.pk}"


def _drop_older_automatic(run: ReportRun, scope: list[ReportRun]) -> None:
    """A finished automatic run replaces the scope's earlier finished (or failed) ones nobody took,
    and their files once the transaction commits."""
    older = [r for r in scope if r.is_automatic and r.pk != run.pk and r.status in (Status.DONE, Status.FAILED)]
    if not older:
        return
    files = [(f.storage, f.name) for r in older for f in (r.file, r.docx_file) if f]
    ReportRun.objects.filter(pk__in=[r.pk for r in older], is_automatic=True).delete()

    def delete_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(delete_files)


def _store(run_id: int, rendered: RenderedReport) -> ReportRun | None:
    """Store the files and mark the run done, unless another execution already did."""
    # Outside the transaction, so that a commit that fails deletes the files too.
    with files_kept_only_if_saved() as stored, transaction.atomic():
        head = ReportRun.objects.select_related("department").get(pk=run_id)
        # Lock every run of the scope (in id order, so two finishing runs cannot deadlock): the
        # edition number is max + 1 and must not be handed out twice.
        scope = list(
            ReportRun.objects.select_for_update()
            .filter(kind=head.kind, year=head.year, department=head.department_id)
            .order_by("pk")
        )
        run = next(r for r in scope if r.pk == run_id)
        if run.status == Status.DONE:
            return None
        if any(r.is_final for r in scope):
            run.status = Status.FAILED
            run.error_message = "该报告已定稿，不能再生成新版本。"
            run.stage = "生成失败"
            run.finished_at = timezone.now()
            run.save(update_fields=["status", "error_message", "stage", "finished_at"])
            return None
        run.department = head.department
        # Read under the lock: a user may have taken an automatic run while it rendered.
        edition = None if run.is_automatic else max((r.edition or 0 for r in scope), default=0) + 1
        stem = _file_stem(run, edition)
        stored.save(run.file, f"{stem}.pdf", rendered.pdf)
        if rendered.docx is not None:
            stored.save(run.docx_file, f"{stem}.docx", rendered.docx)
            run.docx_sha256 = hashlib.sha256(rendered.docx).hexdigest()
        run.sha256 = hashlib.sha256(rendered.pdf).hexdigest()
        run.edition = edition
        run.page_count = rendered.page_count
        run.render_seconds = rendered.seconds
        run.health_items = list(rendered.health_items)
        run.figure_snapshot = rendered.figure_snapshot or {}
        run.fingerprint = rendered.fingerprint
        run.not_before = None
        run.status = Status.DONE
        run.progress = 100
        run.stage = "已完成"
        run.error_message = ""
        run.finished_at = timezone.now()
        run.save()
        if run.is_automatic:
            _drop_older_automatic(run, scope)
        return run


def report_run_execute(*, run_id: int) -> ReportRun | None:
    """Generate the report of a run. Safe to call any number of times, concurrently or not."""
    run = _claim(run_id)
    if run is None:
        return None
    with liveness.Heartbeat(run_id, claimed_by=run.claimed_by, attempt=run.attempts):
        try:
            rendered = _render(run)
            if rendered is None:
                return None
        except ReportDataMissing as exc:
            _fail(run_id, str(exc))
            return None
        except SoftTimeLimitExceeded:
            _fail(run_id, "报告生成超时，已停止。请稍后重试；如果反复超时，请联系系统管理员。")
            raise
        except TRANSIENT_ERRORS:
            _release(run)
            raise
        except Exception:
            logger.exception("Report run %s failed", run_id)
            _fail(run_id, "生成报告时发生内部错误，请稍后重试；如果问题仍然存在，请联系系统管理员。")
            raise
        return _store(run_id, rendered)


# --- batches -------------------------------------------------------------------------------------


@transaction.atomic
def report_batch_request(*, year: int, user: User) -> ReportBatch:
    """All department reports of a year, for every unit the user may see, as one Celery fan-out. A
    unit whose data are unchanged since its latest edition is served that edition when its run
    starts, without rendering (readiness.batch_run_served)."""
    if not permissions.can_request_batch(user):
        raise PermissionDenied
    kind = ReportKind.DEPARTMENT_ANNUAL
    departments = list(
        departments_for_user(user)
        .filter(is_active=True, is_assessed=True, kind__in=permissions.DEPARTMENT_SCOPED[kind])
        .order_by("sort_order", "code")
    )
    if not departments:
        raise ValidationError("没有可以生成报告的单位。")
    final_scopes = set(
        ReportRun.objects.filter(kind=kind, year=year, is_final=True).values_list("department_id", flat=True)
    )
    scope = user.review_scope if user.is_reviewer else None
    batch = ReportBatch.objects.create(kind=kind, year=year, scope=scope, requested_by=user)
    now = timezone.now()
    runs = ReportRun.objects.bulk_create(
        ReportRun(
            kind=kind,
            year=year,
            department=department,
            batch=batch,
            requested_by=user,
            queued_at=now,
            dispatched_at=now,
            stage="排队等待生成",
        )
        for department in departments
        if department.pk not in final_scopes
    )
    audit_record(
        action="change", user=user, obj=batch, department=scope,
        after={"requested": ReportKind(kind).label, "year": year, "runs": len(runs)},
    )  # fmt: skip
    _enqueue([run.pk for run in runs])
    return batch

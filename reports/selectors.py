from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from .models import ReportBatch, ReportRun
from .permissions import runs_for_user

RUN_LIST_LIMIT = 200


def runs_list(*, user, kind: str = "", year: int | None = None, department_id: int | None = None) -> list[ReportRun]:
    runs = runs_for_user(user).select_related("department", "requested_by")
    if kind:
        runs = runs.filter(kind=kind)
    if year:
        runs = runs.filter(year=year)
    if department_id:
        runs = runs.filter(department_id=department_id)
    return list(runs.order_by("-created_at", "-id")[:RUN_LIST_LIMIT])


def editions_of(run: ReportRun) -> list[ReportRun]:
    """Every run of the same kind, scope and year, newest first (the edition history)."""
    return list(
        ReportRun.objects.filter(kind=run.kind, year=run.year, department=run.department_id)
        .select_related("requested_by")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class BatchProgress:
    total: int
    done: int
    failed: int

    @property
    def pending(self) -> int:
        return self.total - self.done - self.failed

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else round(100 * (self.done + self.failed) / self.total)

    @property
    def is_finished(self) -> bool:
        return self.pending == 0


def batch_progress(batch: ReportBatch) -> BatchProgress:
    counts = batch.runs.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=ReportRun.Status.DONE)),
        failed=Count("id", filter=Q(status=ReportRun.Status.FAILED)),
    )
    return BatchProgress(**counts)


def batch_runs(batch: ReportBatch) -> QuerySet[ReportRun]:
    return batch.runs.select_related("department").order_by("department__sort_order", "department__code")

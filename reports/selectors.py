from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from accounts.models import Department, User
from assessments.models import AnnualReturn
from congress.models import CongressYear

from .drafts import DraftEdits
from .health import KIND_LABELS
from .models import ReportBatch, ReportDraft, ReportDraftSection, ReportHealthAcknowledgement, ReportKind, ReportRun
from .permissions import runs_for_user

RUN_LIST_LIMIT = 200


def runs_list(
    *, user: User, kind: str = "", year: int | None = None, department_id: int | None = None
) -> list[ReportRun]:
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
        ReportRun.objects.filter(kind=run.kind, year=run.year, department=run.department_id, is_automatic=False)
        .select_related("requested_by")
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class BatchProgress:
    total: int
    done: int
    failed: int
    reused: int = 0  # of the done: editions served as they were, the unit's data unchanged

    @property
    def summary(self) -> str:
        reused = f"（其中 {self.reused} 份数据未变，沿用已有版本）" if self.reused else ""
        return f"已完成 {self.done} / {self.total}{reused}，失败 {self.failed}"

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
    counts = batch_runs(batch).aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(status=ReportRun.Status.DONE)),
        failed=Count("id", filter=Q(status=ReportRun.Status.FAILED)),
    )
    return BatchProgress(**counts, reused=batch.reused.count())


def batch_runs(batch: ReportBatch) -> QuerySet[ReportRun]:
    """The batch's reports: its own runs and the editions it reused, one per unit."""
    return (
        ReportRun.objects.filter(Q(batch=batch) | Q(pk__in=batch.reused.values("pk")))
        .select_related("department")
        .order_by("department__sort_order", "department__code")
    )


def published_snapshot(*, kind: str, year: int, department: Department | None) -> dict[str, str] | None:
    """The figures the year's published report printed, for the next year's 上年基数 check: its final
    edition, else its latest finished one. The congress report compares with the government's
    report of the top-level government when it has none of its own."""
    runs = ReportRun.objects.filter(year=year, status=ReportRun.Status.DONE, is_automatic=False).exclude(
        figure_snapshot={}
    )
    own = runs.filter(kind=kind, department=department).order_by("-is_final", "-edition").first()
    if own is not None or kind != ReportKind.CONGRESS_SURVEY:
        return own.figure_snapshot if own is not None else None
    government = (
        runs.filter(kind=ReportKind.GOVERNMENT_ANNUAL, department__parent__isnull=True)
        .order_by("-is_final", "-edition")
        .first()
    )
    return government.figure_snapshot if government is not None else None


@dataclass(frozen=True)
class HealthRow:
    key: str
    kind_label: str
    message: str
    target: str
    acknowledgement: ReportHealthAcknowledgement | None

    @property
    def is_open(self) -> bool:
        return self.acknowledgement is None


def health_rows(run: ReportRun) -> list[HealthRow]:
    """The draft's 报告体检 items, each with its acknowledgement if the scope has one for the same
    finding (the same key and message: a changed finding must be looked at again)."""
    acknowledgements = {
        (a.key, a.message): a
        for a in ReportHealthAcknowledgement.objects.filter(
            kind=run.kind, year=run.year, department=run.department_id
        ).select_related("acknowledged_by")
    }
    return [
        HealthRow(
            key=item["key"],
            kind_label=KIND_LABELS.get(item.get("kind", ""), "其他"),
            message=item.get("message", ""),
            target=item.get("target", ""),
            acknowledgement=acknowledgements.get((item["key"], item.get("message", ""))),
        )
        for item in run.health_items or []
    ]


def health_items_open(run: ReportRun) -> list[HealthRow]:
    return [row for row in health_rows(run) if row.is_open]


def return_id_of(*, department_id: int, year: int) -> int | None:
    return AnnualReturn.objects.filter(department_id=department_id, year=year).values_list("pk", flat=True).first()


# --- drafts (报告稿) ---------------------------------------------------------------------------------


def draft_of(*, kind: str, year: int, department: Department | None) -> ReportDraft | None:
    return ReportDraft.objects.filter(kind=kind, year=year, department=department).first()


def draft_edits_for(*, kind: str, year: int, department: Department | None) -> DraftEdits:
    """What the office set on the report of this scope, in two queries (none of it: empty edits)."""
    draft = draft_of(kind=kind, year=year, department=department)
    if draft is None:
        return DraftEdits()
    sections = dict(ReportDraftSection.objects.filter(draft=draft).exclude(text="").values_list("key", "text"))
    return DraftEdits(
        signed_on=draft.signed_on,
        document_number=draft.document_number,
        attachment_note=draft.attachment_note,
        sections=sections,
    )


def draft_sections(draft: ReportDraft | None) -> dict[str, ReportDraftSection]:
    if draft is None:
        return {}
    return {row.key: row for row in draft.sections.select_related("updated_by")}


def is_scope_final(*, kind: str, year: int, department: Department | None) -> bool:
    """An edition is final (定稿); for the congress survey report also once the congress module's year
    is marked final there (年度概况, 定稿), which freezes its wording until the year is reopened."""
    if (
        kind == ReportKind.CONGRESS_SURVEY
        and CongressYear.objects.filter(year=year, report_finalised_at__isnull=False).exists()
    ):
        return True
    return ReportRun.objects.filter(kind=kind, year=year, department=department, is_final=True).exists()

"""Reads of publications. `published_reports` is what every public reader builds on (the public site,
open data, the API): only editions that are published now, never one under review or withdrawn."""

import datetime
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Lower, StrIndex
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from accounts.models import Department, User
from audit.models import AuditEvent
from reports.models import ReportKind, ReportRun

from .models import ReportPublication
from .permissions import final_runs_to_publish


def published_reports(*, year: int | None = None, unit: Department | int | None = None) -> QuerySet[ReportPublication]:
    """Publications on the public site now (status 已发布; withdrawn and in-review ones never), with
    their unit and final run joined, newest year first then in the unit tree's order. `unit` is one
    unit (an instance or its id), not its subtree. The search column (a second copy of the text, read
    only inside the database's WHERE) is not loaded."""
    publications = (
        ReportPublication.objects.filter(status=ReportPublication.Status.PUBLISHED)
        .select_related("department", "run")
        .defer("search_text")
    )
    if year is not None:
        publications = publications.filter(year=year)
    if unit is not None:
        publications = publications.filter(department=unit)
    return publications.order_by("-year", "department__sort_order", "department__code", "kind")


# --- the public site -----------------------------------------------------------------------------

PUBLIC_PAGE_SIZE = 30
PUBLIC_SEARCH_MAX_WORDS = 5
# pg_trgm indexes a text by its three-character pieces: a shorter word has none to look up.
TRIGRAM_LENGTH = 3
# What the result list shows of each report (the big text columns stay in the database).
LISTED_FIELDS = ("title", "year", "published_at", "page_count", "pdf_size", "department__name")


def _matches_word(word: str) -> Q:
    """A report whose title or public text holds the word, case aside, or whose unit's name does.

    The text side reads `search_text`, lower-cased by the database when the report was published, and
    the word goes through the same database function (PostgreSQL's lower() is Unicode-aware, SQLite's
    ASCII-only: each side alike, so the results are those of icontains on either database). A word of
    three characters or more is a LIKE the pg_trgm index answers; a shorter one has no trigram, every
    text is read, and strpos()/instr() reads faster than LIKE. Units are matched on their current
    name, in a query of their own, so the text side stays one column the index can serve."""
    needle = Lower(Value(word))
    if len(word) >= TRIGRAM_LENGTH:
        in_text = Q(search_text__contains=needle)
    else:
        in_text = Q(GreaterThan(StrIndex("search_text", needle), 0))
    named = Department.objects.filter(name__icontains=word).values_list("pk", flat=True)
    return in_text | Q(department__in=list(named))


def public_search(*, year: int | None = None, unit: int | None = None, words: str = "") -> QuerySet[ReportPublication]:
    """Published reports matching a year, a unit and every one of the words (each in the title, the
    public edition's text or the unit's name; the first five words count), in the list's order."""
    publications = published_reports(year=year, unit=unit)
    for word in words.split()[:PUBLIC_SEARCH_MAX_WORDS]:
        publications = publications.filter(_matches_word(word))
    return publications


def public_search_page(
    *, year: int | None = None, unit: int | None = None, words: str = "", number: int | str | None = 1
) -> Page[Any]:
    """One page of `public_search`, its rows holding `LISTED_FIELDS` only. The matching ids are read
    in one query, in order, and the page's rows by id in a second one, so the texts are searched once
    (a Paginator over the search would search them again for the page after counting)."""
    ids = list(public_search(year=year, unit=unit, words=words).values_list("pk", flat=True))
    paginator: Paginator[Any] = Paginator(ids, PUBLIC_PAGE_SIZE)  # it counts the ids; its page holds the rows
    page = paginator.get_page(number)
    rows = ReportPublication.objects.select_related("department").only(*LISTED_FIELDS).in_bulk(page.object_list)
    page.object_list = [rows[pk] for pk in page.object_list]
    return page


def public_years() -> list[int]:
    """Years with a published report, newest first."""
    return list(published_reports().order_by("-year").values_list("year", flat=True).distinct())


def public_unit_choices() -> list[tuple[int, str]]:
    """Units with a published report as (id, name), in the unit tree's order (the search form's choices)."""
    published = published_reports().values("department_id")
    return list(Department.objects.filter(pk__in=published).order_by("sort_order", "code").values_list("pk", "name"))


def public_report(pk: int) -> ReportPublication | None:
    """A published report by id, or None (in review, withdrawn, unknown: all the same to the public),
    without the columns its page and file never show (the plain and search texts, the source)."""
    return published_reports().defer("text", "source_document").filter(pk=pk).first()


# --- compliance: who published by 4月1日 ------------------------------------------------------------


class Compliance(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    NOT_YET = "not_yet"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return COMPLIANCE_LABELS[self]


COMPLIANCE_LABELS = {
    Compliance.ON_TIME: "按时公开",
    Compliance.LATE: "逾期公开",
    Compliance.NOT_YET: "尚未公开",
    Compliance.OVERDUE: "逾期未公开",
}


def publication_deadline(year: int) -> datetime.date:
    """《法治政府建设与责任落实督察工作规定》: the year's report goes public 每年4月1日之前 of the next
    year. Read here as on or before 4月1日 (a report published on 4月1日 is on time)."""
    return datetime.date(year + 1, 4, 1)


@dataclass(frozen=True)
class ComplianceRow:
    department_code: str
    department_name: str
    kind_label: str
    published_on: datetime.date | None
    state: Compliance
    publication_id: int | None


@dataclass(frozen=True)
class ComplianceTable:
    year: int
    deadline: datetime.date
    rows: tuple[ComplianceRow, ...]

    def count(self, state: Compliance) -> int:
        return sum(1 for row in self.rows if row.state == state)

    @property
    def counts(self) -> tuple[tuple[Compliance, int], ...]:
        return tuple((state, self.count(state)) for state in Compliance)


def compliance_table(*, year: int, today: datetime.date) -> ComplianceTable:
    """Every active unit that must publish its year's report (governments their 本级政府年度报告,
    departments and townships their own), with the date its report went public now, if it is."""
    deadline = publication_deadline(year)
    published = {
        (p.department_id, p.kind): p
        for p in published_reports(year=year).select_related(None).only("id", "department_id", "kind", "published_at")
    }
    rows = []
    units = (
        Department.objects.filter(is_active=True, is_assessed=True)
        .order_by("sort_order", "code")
        .values_list("pk", "code", "name", "kind")
    )
    for department_id, code, name, department_kind in units:
        kind = (
            ReportKind.GOVERNMENT_ANNUAL
            if department_kind == Department.Kind.GOVERNMENT
            else ReportKind.DEPARTMENT_ANNUAL
        )
        publication = published.get((department_id, kind))
        published_on = (
            timezone.localdate(publication.published_at) if publication and publication.published_at else None
        )
        if published_on is not None:
            state = Compliance.ON_TIME if published_on <= deadline else Compliance.LATE
        else:
            state = Compliance.NOT_YET if today <= deadline else Compliance.OVERDUE
        rows.append(
            ComplianceRow(
                code, name, ReportKind(kind).label, published_on, state, publication.pk if publication else None
            )
        )
    return ComplianceTable(year=year, deadline=deadline, rows=tuple(rows))


# --- the signed-in side --------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicationRow:
    run: ReportRun
    publication: ReportPublication | None  # the current one, else the last withdrawn one


def publication_rows(*, user: User, year: int) -> list[PublicationRow]:
    """The year's final editions of the reports the user may publish, each with its publication."""
    runs = list(final_runs_to_publish(user).filter(year=year).select_related("department"))
    latest: dict[int, ReportPublication] = {}
    for item in ReportPublication.objects.filter(run__in=runs).order_by("id"):
        if item.run_id not in latest or not item.is_withdrawn or latest[item.run_id].is_withdrawn:
            latest[item.run_id] = item
    runs.sort(
        key=lambda run: (
            run.department.sort_order if run.department else 0,
            run.department.code if run.department else "",
        )
    )
    return [PublicationRow(run, latest.get(run.pk)) for run in runs]


def publication_history(publication: ReportPublication) -> list[AuditEvent]:
    """Every step of the publication, oldest first, from the audit log."""
    return list(
        AuditEvent.objects.filter(
            object_type=ReportPublication._meta.label, object_id=str(publication.pk), action=AuditEvent.Action.CHANGE
        ).order_by("created_at", "id")
    )

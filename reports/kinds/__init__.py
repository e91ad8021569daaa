"""The report kinds: for each, how its document is built and which template lays it out.

Each kind module follows the layers of CONVENTIONS.md "Reports, layered": a selector that runs every
query up front and returns frozen dataclasses, then a pure context builder that turns them into a
`ReportDocument` without touching the database. `build_document` is what the run service calls.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from accounts.models import Department

from ..document import ReportDocument
from ..drafts import DraftEdits
from ..models import ReportKind


class ReportDataMissing(Exception):
    """The data a report needs is not there yet; the message (Chinese) is shown to the user."""


@dataclass(frozen=True)
class BuildRequest:
    kind: str
    year: int
    department: Department | None
    options: dict[str, Any]
    # The 报告稿's edits when the caller has read them (build_document): a kind that needs one of them
    # to draw the document (the congress report's signing date) takes it from here, not from the
    # database again. None: not read yet.
    edits: DraftEdits | None = None


@dataclass(frozen=True)
class KindSpec:
    kind: str
    template_name: str
    build: Callable[[BuildRequest], ReportDocument]
    # Sections the user rewrites on the draft page (报告稿) before 定稿; a department's come from its
    # own return's narratives.
    has_editable_sections: bool = False
    # Only these sections (by heading without its number) when set: the congress survey report's 意见和
    # 建议 are the congress module's recommendations, edited there.
    editable_keys: tuple[str, ...] | None = None
    has_document_number: bool = False  # 发文字号: documents issued as such (the notice)


def _registry() -> dict[str, KindSpec]:
    from . import congress_survey, department_annual, government_annual, results_notice

    return {
        ReportKind.DEPARTMENT_ANNUAL: KindSpec(
            ReportKind.DEPARTMENT_ANNUAL, "reports/pdf/department_annual.html", department_annual.build
        ),
        ReportKind.GOVERNMENT_ANNUAL: KindSpec(
            ReportKind.GOVERNMENT_ANNUAL,
            "reports/pdf/government_annual.html",
            government_annual.build,
            has_editable_sections=True,
        ),
        ReportKind.CONGRESS_SURVEY: KindSpec(
            ReportKind.CONGRESS_SURVEY,
            "reports/pdf/congress_survey.html",
            congress_survey.build,
            has_editable_sections=True,
            editable_keys=congress_survey.EDITABLE,
        ),
        ReportKind.RESULTS_NOTICE: KindSpec(
            ReportKind.RESULTS_NOTICE,
            "reports/pdf/results_notice.html",
            results_notice.build,
            has_editable_sections=True,
            has_document_number=True,
        ),
    }


def spec_for(kind: str) -> KindSpec:
    return _registry()[kind]


def is_section_editable(kind: str, key: str) -> bool:
    """Whether the 报告稿 may rewrite the section with this heading (without its number)."""
    spec = spec_for(kind)
    return spec.has_editable_sections and (spec.editable_keys is None or key in spec.editable_keys)


def build_generated_document(request: BuildRequest) -> ReportDocument:
    """The document as the data draws it, before the office's edits (the drafts users start from)."""
    return spec_for(request.kind).build(request)


def build_document(request: BuildRequest) -> ReportDocument:
    """The document as it goes out: the data's draft with the office's 报告稿 laid over it."""
    from ..drafts import apply_draft
    from ..selectors import draft_edits_for

    edits = draft_edits_for(kind=request.kind, year=request.year, department=request.department)
    return apply_draft(build_generated_document(replace(request, edits=edits)), edits)

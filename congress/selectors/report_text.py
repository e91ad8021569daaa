"""Reads of the survey report's edited sections (调研报告正文)."""

from dataclasses import dataclass
from datetime import datetime

from ..models import CongressYear, ReportSectionText


@dataclass(frozen=True)
class SectionTextState:
    section: str
    label: str
    is_edited: bool
    text: str  # the stored wording; blank while the report uses the generated draft
    version: int  # what an edit form must send back; 0 while the section was never touched
    updated_at: datetime | None
    updated_by: str


def section_text_states(*, congress_year: CongressYear) -> tuple[SectionTextState, ...]:
    """Every editable section of the year's report, in report order, in one query."""
    rows = {
        row.section: row
        for row in ReportSectionText.objects.filter(congress_year=congress_year).select_related("updated_by")
    }
    states = []
    for section, label in ReportSectionText.Section.choices:
        row = rows.get(section)
        states.append(
            SectionTextState(
                section=section,
                label=label,
                is_edited=bool(row and row.is_edited),
                text=row.text if row else "",
                version=row.version if row else 0,
                updated_at=row.updated_at if row else None,
                updated_by=str(row.updated_by) if row else "",
            )
        )
    return tuple(states)


def edited_section_texts(*, congress_year: CongressYear) -> dict[str, str]:
    """The wordings the report uses instead of its drafts, by section."""
    return dict(
        ReportSectionText.objects.filter(congress_year=congress_year).exclude(text="").values_list("section", "text")
    )

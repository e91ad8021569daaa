"""Report drafts (报告稿), the pure part: what a user set on a report, laid over the document the data
produced, and the plain-text form in which a section is edited. No queries here: the selector
(`reports.selectors.draft_edits_for`) reads the rows, the services (`reports.draft_services`) write them.

A section's editable text is reports.section_text's format: one paragraph a line, a line starting
with （一） opening a sub-heading, numbers assigned again in order. Tables and
charts of an edited section stay as the data drew them, after the edited words.
"""

import datetime
import re
from dataclasses import dataclass, field, replace

from indicators.presenting import date_text

from .document import Cover, Paragraph, ReportDocument, Section, second_level_heading
from .section_text import Part, SectionText, compose_section_text, parse_section_text

_FIRST_LEVEL = re.compile(r"^[一二三四五六七八九十]{1,3}、")
_SECOND_LEVEL = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
# A date the report says something happened on: "于2025年3月4日报送", "2025年3月17日向社会公开".
_EVENT_DATE = re.compile(
    r"(\d{4})年(\d{1,2})月(\d{1,2})日(?:前|起)?(?:向社会|在[^，。；]{0,12})?(报送|提交|公开|公布|公示|发布|印发)"
)


@dataclass(frozen=True)
class DraftEdits:
    signed_on: datetime.date | None = None
    document_number: str = ""
    attachment_note: str = ""
    sections: dict[str, str] = field(default_factory=dict)  # key → edited text (non-empty only)


def section_key(heading: str) -> str:
    """A first-level heading without its number: 二、存在的不足和原因 → 存在的不足和原因."""
    return _FIRST_LEVEL.sub("", heading).strip()


def section_text(section: Section) -> str:
    """The editable text of a generated section: its paragraphs and its sub-sections' titles and paragraphs."""
    intro = tuple(block.text for block in section.blocks if isinstance(block, Paragraph))
    parts = tuple(
        Part(_SECOND_LEVEL.sub("", sub.heading).strip(), tuple(b.text for b in sub.blocks if isinstance(b, Paragraph)))
        for sub in section.subsections
    )
    return compose_section_text(SectionText(intro, parts))


def section_from_text(section: Section, text: str) -> Section:
    """The section with the user's words instead of the drafted ones (heading kept)."""
    parsed = parse_section_text(text)
    others = tuple(block for block in section.blocks if not isinstance(block, Paragraph))
    return replace(
        section,
        blocks=tuple(Paragraph(t) for t in parsed.intro) + others,
        subsections=tuple(
            Section(second_level_heading(n, part.title), tuple(Paragraph(t) for t in part.paragraphs))
            for n, part in enumerate(parsed.parts, start=1)
        ),
    )


def apply_draft(document: ReportDocument, edits: DraftEdits) -> ReportDocument:
    """The document as the office set it: edited sections, 成文日期, 发文字号 and 附件说明."""
    sections = tuple(
        section_from_text(s, edits.sections[section_key(s.heading)]) if section_key(s.heading) in edits.sections else s
        for s in document.sections
    )
    edited = replace(document, sections=sections)
    if edits.signed_on is not None:
        signed = date_text(edits.signed_on)
        edited = replace(edited, date_text=signed)
        if document.cover is not None:
            edited = replace(edited, cover=Cover(document.cover.title, document.cover.issuer, signed))
    if edits.document_number:
        edited = replace(edited, document_number=edits.document_number)
    if edits.attachment_note.strip() and document.appendices:
        edited = replace(edited, attachment_note=edits.attachment_note)
    return edited


def event_dates(document: ReportDocument) -> list[tuple[datetime.date, str]]:
    """Dates the body says something was submitted, published or issued on, with the words around
    them: a 成文日期 before any of them is impossible (the report cannot cite its own future)."""
    found = []
    text = "\n".join(
        [p.text for p in document.opening]
        + [b.text for s in document.sections for b in s.blocks if isinstance(b, Paragraph)]
        + [b.text for s in document.sections for sub in s.subsections for b in sub.blocks if isinstance(b, Paragraph)]
    )
    for match in _EVENT_DATE.finditer(text):
        try:
            found.append((datetime.date(*(int(g) for g in match.groups()[:3])), match.group(0)))
        except ValueError:
            continue
    return found

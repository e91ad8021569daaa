"""The public edition's text, the pure part: a `ReportDocument` frozen as JSON when the 保密审查 starts,
and the parts of it the review may reword (the opening and each first-level section), laid over it.

No queries here. Tables and charts are kept as the final edition drew them: the review rewords text
(a name, a case, a sentence that must not go out), never a figure.
"""

from dataclasses import dataclass, replace
from typing import Any

from reports.document import Appendix, Block, Chart, Column, Cover, Paragraph, ReportDocument, Section, Table
from reports.drafts import section_from_text, section_key, section_text
from reports.section_text import parse_section_text

OPENING = "开头"


def _block_json(block: Block) -> dict[str, Any]:
    if isinstance(block, Paragraph):
        return {"type": "paragraph", "text": block.text}
    if isinstance(block, Table):
        return {
            "type": "table",
            "caption": block.caption,
            "columns": [[c.label, c.width, c.is_number, c.is_text] for c in block.columns],
            "rows": [list(row) for row in block.rows],
            "note": block.note,
        }
    return {"type": "chart", "caption": block.caption, "svg": block.svg}


def _block(data: dict[str, Any]) -> Block:
    if data["type"] == "paragraph":
        return Paragraph(data["text"])
    if data["type"] == "table":
        columns = tuple(
            Column(label, width, is_number, is_text) for label, width, is_number, is_text in data["columns"]
        )
        return Table(data["caption"], columns, tuple(tuple(row) for row in data["rows"]), data["note"])
    return Chart(data["caption"], data["svg"])


def _section_json(section: Section) -> dict[str, Any]:
    return {
        "heading": section.heading,
        "blocks": [_block_json(b) for b in section.blocks],
        "subsections": [_section_json(s) for s in section.subsections],
    }


def _section(data: dict[str, Any]) -> Section:
    return Section(
        data["heading"], tuple(_block(b) for b in data["blocks"]), tuple(_section(s) for s in data["subsections"])
    )


def document_to_json(document: ReportDocument) -> dict[str, Any]:
    """Everything the public edition prints; the 报告体检's facts and the preview's notes stay out."""
    cover = document.cover
    return {
        "title": document.title,
        "addressee": document.addressee,
        "opening": [p.text for p in document.opening],
        "sections": [_section_json(s) for s in document.sections],
        "issuer": document.issuer,
        "date_text": document.date_text,
        "appendices": [
            {"label": a.label, "title": a.title, "blocks": [_block_json(b) for b in a.blocks]}
            for a in document.appendices
        ],
        "cover": [cover.title, cover.issuer, cover.date_text] if cover is not None else None,
        "document_number": document.document_number,
        "attachment_note": document.attachment_note,
    }


def document_from_json(data: dict[str, Any]) -> ReportDocument:
    return ReportDocument(
        title=data["title"],
        addressee=data["addressee"],
        opening=tuple(Paragraph(text) for text in data["opening"]),
        sections=tuple(_section(s) for s in data["sections"]),
        issuer=data["issuer"],
        date_text=data["date_text"],
        appendices=tuple(
            Appendix(a["label"], a["title"], tuple(_block(b) for b in a["blocks"])) for a in data["appendices"]
        ),
        cover=Cover(*data["cover"]) if data["cover"] else None,
        document_number=data["document_number"],
        attachment_note=data["attachment_note"],
    )


@dataclass(frozen=True)
class Part:
    """One part of the report the review may reword, numbered from 1 in reading order."""

    number: int
    key: str
    heading: str
    original: str  # the final edition's wording, in reports.section_text's format
    public: str  # the public edition's wording: the redaction, else the original

    @property
    def is_redacted(self) -> bool:
        return self.public != self.original


def parts_of(document: ReportDocument, redactions: dict[str, str]) -> list[Part]:
    """The opening (when there is one) and each first-level section, with the public wording."""
    parts: list[Part] = []
    if document.opening:
        original = "\n".join(p.text for p in document.opening)
        parts.append(Part(1, OPENING, "开头", original, redactions.get(OPENING) or original))
    for section in document.sections:
        key = section_key(section.heading)
        original = section_text(section)
        parts.append(Part(len(parts) + 1, key, section.heading, original, redactions.get(key) or original))
    return parts


def clean_part_text(key: str, text: str) -> str:
    """The text as stored: line ends normalised; a section's text must parse (reports.section_text
    names the line that does not), the opening is one paragraph a line."""
    text = text.replace("\r\n", "\n").strip()
    if key != OPENING and text:
        parse_section_text(text)
    return text


def public_document(document: ReportDocument, redactions: dict[str, str]) -> ReportDocument:
    """The public edition: the final document with the review's wording of each part it reworded."""
    sections = tuple(
        section_from_text(s, redactions[section_key(s.heading)]) if redactions.get(section_key(s.heading)) else s
        for s in document.sections
    )
    edited = replace(document, sections=sections)
    if redactions.get(OPENING):
        edited = replace(
            edited, opening=tuple(Paragraph(line.strip()) for line in redactions[OPENING].splitlines() if line.strip())
        )
    return edited

"""Marker strings planted in dept_a's data, and the text of any response (HTML, xlsx, PDF, DOCX)
to look for them in. ASCII markers survive HTML escaping and PDF text extraction unchanged."""

import io
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils import timezone

MARKERS = {
    "narrative": "ZQXNARRATIVE7731",
    "explanation": "ZQXEXPLAIN7732",
    "value_text": "ZQXVALUETEXT7733",
    "value_comment": "ZQXVALCOMMENT7734",
    "narrative_comment": "ZQXNARCOMMENT7735",
    "evidence_name": "ZQXEVIDENCE7736",
    "evidence_description": "ZQXEVIDDESC7737",
    "transition_comment": "ZQXTRANSITION7738",
    "review_reason": "ZQXREVIEWREASON7739",
    "adjustment_reason": "ZQXADJUST7740",
    "appeal_statement": "ZQXAPPEAL7741",
    "opinion_answer": "ZQXOPINIONANSWER7742",
    "review_audit_reason": "ZQXAUDITREASON7743",
}
MARKER_PATTERN = re.compile("|".join(MARKERS.values()))


def plant_markers(department, user) -> None:
    """Write a marker into every free-text field of `department`'s data that exists at this point
    (returns, values, narratives, transitions, review scores, adjustments, appeals, 审议意见 answers),
    adding evidence, an adjustment and an answered assignment so each kind is present."""
    from assessments.models import AnnualReturn, Evidence, IndicatorValue, NarrativeSection, ReturnTransition
    from congress.models import HandlingStatus
    from reviews.models import Adjustment, Appeal, ReviewAuditEntry, ReviewScore
    from tests.congress.factories import AssignmentFactory

    returns = AnnualReturn.objects.filter(department=department)
    IndicatorValue.objects.filter(annual_return__in=returns).update(
        explanation=MARKERS["explanation"], reviewer_comment=MARKERS["value_comment"]
    )
    IndicatorValue.objects.filter(annual_return__in=returns, indicator__value_type="text").update(
        value_text=MARKERS["value_text"]
    )
    NarrativeSection.objects.filter(annual_return__in=returns).update(
        text=MARKERS["narrative"], reviewer_comment=MARKERS["narrative_comment"]
    )
    ReturnTransition.objects.filter(annual_return__in=returns).update(comment=MARKERS["transition_comment"])
    ReviewScore.objects.filter(annual_return__in=returns).update(reason=MARKERS["review_reason"])
    ReviewAuditEntry.objects.filter(department=department).update(reason=MARKERS["review_audit_reason"])
    Adjustment.objects.filter(department=department).update(reason=MARKERS["adjustment_reason"])
    Appeal.objects.filter(score_sheet__department=department).update(statement=MARKERS["appeal_statement"])
    for annual_return in returns:
        evidence = Evidence(
            annual_return=annual_return,
            original_name=f"{MARKERS['evidence_name']}.pdf",
            description=MARKERS["evidence_description"],
            content_type="application/pdf",
            size=9,
            sha256="0" * 64,
            uploaded_by=user,
        )
        evidence.file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        evidence.save()
    AssignmentFactory(
        department=department,
        status=HandlingStatus.RESOLVED,
        answer=MARKERS["opinion_answer"],
        answered_at=timezone.now(),
    )


def response_text(response) -> str:
    """What a reader of the response could see: page text, spreadsheet cells, PDF or DOCX text."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    content_type = response.get("Content-Type", "")
    if body.startswith(b"%PDF"):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "file.pdf"
            path.write_bytes(body)
            result = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True)
        return result.stdout + body.decode("latin-1")
    if body.startswith(b"PK") and ("sheet" in content_type or "word" in content_type or "zip" in content_type):
        # Every XML part of the OOXML package (cells, shared strings, document text, comments).
        with zipfile.ZipFile(io.BytesIO(body)) as package:
            return "\n".join(
                package.read(name).decode("utf-8", "replace") for name in package.namelist() if name.endswith(".xml")
            )
    return body.decode("utf-8", "replace")


def leaked_markers(text: str) -> set[str]:
    return set(MARKER_PATTERN.findall(text))

"""佐证材料 of 加减分 entries and 异议: the same pipeline as a return's evidence.

The file is read within the size limit (assessments.services.evidence.read_evidence_upload), judged
by its content, which must agree with its extension (assessments.file_types.detect_kind: HTML
renamed .pdf, a program renamed .png and SVG are refused with the reason), and stored under a
generated name ending in the extension of the detected kind. The user's name is kept only in the
row, for the download's Content-Disposition; the detected type is kept for the response's
Content-Type, so nothing the user typed decides how a browser treats the file.
"""

from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import models

from assessments.file_types import FileKind, detect_kind
from assessments.services.evidence import EvidenceRefused, clean_original_name, read_evidence_upload
from spreadsheets.zip_safety import UnsafeFile


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    kind: FileKind
    original_name: str


def evidence_check(uploaded) -> CheckedFile:
    """The upload's bytes and kind, or EvidenceRefused with a Chinese message naming the file."""
    original_name = clean_original_name(uploaded.name or "")
    data = read_evidence_upload(uploaded)
    try:
        kind = detect_kind(data, original_name)
    except UnsafeFile as error:
        raise EvidenceRefused(f"“{original_name}”：{error.message}") from None
    return CheckedFile(data=data, kind=kind, original_name=original_name)


def evidence_store(instance: models.Model, checked: CheckedFile) -> None:
    """Write the file under a generated name (the field's upload_to) and fill the row's name and
    type; the caller saves the row and calls `evidence_discard` if that fails."""
    instance.evidence_name = checked.original_name
    instance.evidence_content_type = checked.kind.content_type
    # Only the checked extension is passed on; upload_to makes the real name.
    instance.evidence.save(f"evidence.{checked.kind.extension}", ContentFile(checked.data), save=False)


def evidence_discard(instance: models.Model) -> None:
    """The row was not saved: its file must not outlive it."""
    if instance.evidence:
        instance.evidence.storage.delete(instance.evidence.name)

"""佐证材料 of 加减分 entries and 异议: the same pipeline as a return's evidence.

Uploads are checked by assessments.services.evidence.evidence_file_check (size limit; content that
must agree with the extension: HTML renamed .pdf, a program renamed .png and SVG are refused with
the reason). Here they are stored under a generated name ending in the extension of the detected
kind. The user's name is kept only in the row, for the download's Content-Disposition; the
detected type is kept for the response's Content-Type, so nothing the user typed decides how a
browser treats the file.
"""

from assessments.services.evidence import CheckedFile
from files.storage import StoredFiles

from ..models import Adjustment, Appeal


def evidence_store(instance: Adjustment | Appeal, checked: CheckedFile, stored: StoredFiles) -> None:
    """Write the file under a generated name (the field's upload_to) and fill the row's name and
    type; the caller saves the row inside the `files_kept_only_if_saved` block of `stored`."""
    instance.evidence_name = checked.original_name
    instance.evidence_content_type = checked.kind.content_type
    # Only the checked extension is passed on; upload_to makes the real name.
    stored.save(instance.evidence, f"evidence.{checked.kind.extension}", checked.data)

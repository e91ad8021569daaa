"""佐证材料: attaching files to a return or one of its indicators, removing them, and what is missing.

A file is accepted only when its content is one of the allowed kinds and agrees with its extension
(files.kinds.detect_kind); it is stored under a generated name (models.evidence_upload_path), the
user's name kept only in the database. Removal is a soft delete, so the record of what was attached
stays. Uploads and removals take the return's row lock, like value saves, so they serialise with
submit: a file removed while the return is being submitted either makes it in time or not at all.
"""

import hashlib
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Sum
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from files.kinds import FileKind, detect_kind
from files.storage import files_kept_only_if_saved
from indicators.models import Indicator
from spreadsheets.zip_safety import UnsafeFile

from .. import permissions
from ..models import AnnualReturn, Evidence, IndicatorValue
from ..selectors.returns import is_targeted_return
from .entry import _start_or_resume
from .errors import ReturnActionError, ReturnNotEditable
from .workflow import lock_return

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILES_PER_RETURN = 300
MAX_BYTES_PER_RETURN = 500 * 1024 * 1024
MAX_NAME_LENGTH = 255
MAX_DESCRIPTION_LENGTH = 200


class EvidenceRefused(ReturnActionError):
    """The file itself is refused (type, size, duplicate, quota); the message says why, in Chinese."""


def _check_may_change(user: User, locked: AnnualReturn, indicator_id: int | None) -> None:
    if not permissions.is_own_department_staff(user, locked):
        raise ReturnNotEditable("只有本单位填报员可以上传或删除佐证材料。")
    if not locked.is_open_for_department:
        raise ReturnNotEditable(f"这份填报{locked.get_status_display()}，不能再修改佐证材料。")
    if indicator_id is None:
        return
    row = IndicatorValue.objects.filter(annual_return=locked, indicator_id=indicator_id).first()
    if row is None:
        raise ReturnNotEditable("该指标不在本单位这份填报中。")
    if not row.is_reopened and is_targeted_return(locked):
        raise ReturnNotEditable("这份填报只退回了部分指标，其余指标的佐证材料已锁定。")


def clean_original_name(name: str) -> str:
    """The name as the user will see it on download: no path, no control characters (CR/LF would
    break headers, RTL overrides disguise extensions), at most 255 characters keeping the extension."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        character
        for character in name
        if character.isprintable() and character not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    ).strip()
    if len(name) > MAX_NAME_LENGTH:
        stem, dot, extension = name.rpartition(".")
        name = (stem[: MAX_NAME_LENGTH - len(extension) - 1] + dot + extension) if dot else name[:MAX_NAME_LENGTH]
    return name or "佐证材料"


def read_evidence_upload(uploaded: UploadedFile) -> bytes:
    size = getattr(uploaded, "size", None)
    limit = f"{MAX_FILE_BYTES // (1024 * 1024)} MB"
    if size is not None and size > MAX_FILE_BYTES:
        name = clean_original_name(uploaded.name or "")
        raise EvidenceRefused(f"文件“{name}”过大（{size / 1024 / 1024:.1f} MB），单个文件不能超过 {limit}。")
    uploaded.seek(0)
    data: bytes = uploaded.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise EvidenceRefused(f"文件过大，单个文件不能超过 {limit}。")
    return data


@dataclass(frozen=True)
class CheckedFile:
    data: bytes
    kind: FileKind
    original_name: str


def evidence_file_check(uploaded: UploadedFile) -> CheckedFile:
    """An upload read within the size limit and judged by its content, which must agree with its
    extension; EvidenceRefused with a Chinese message naming the file otherwise. Every evidence
    upload (a return's, an adjustment's, an appeal's) goes through here."""
    original_name = clean_original_name(uploaded.name or "")
    data = read_evidence_upload(uploaded)
    try:
        kind = detect_kind(data, original_name)
    except UnsafeFile as error:
        raise EvidenceRefused(f"“{original_name}”：{error.message}") from None
    return CheckedFile(data=data, kind=kind, original_name=original_name)


@transaction.atomic
def evidence_upload(
    *,
    annual_return: AnnualReturn,
    uploaded_file: UploadedFile,
    user: User,
    indicator: Indicator | None = None,
    description: str = "",
) -> Evidence:
    """Attach one file. Raises EvidenceRefused (the file) or ReturnNotEditable (the user or state)."""
    locked = lock_return(annual_return)
    indicator_id = indicator.pk if indicator is not None else None
    _check_may_change(user, locked, indicator_id)
    checked = evidence_file_check(uploaded_file)
    original_name, data, kind = checked.original_name, checked.data, checked.kind
    digest = hashlib.sha256(data).hexdigest()
    current = Evidence.objects.filter(annual_return=locked, deleted_at__isnull=True)
    if current.filter(indicator=indicator, sha256=digest).exists():
        raise EvidenceRefused(f"“{original_name}”与已上传的文件内容相同，无需重复上传。")
    if current.count() >= MAX_FILES_PER_RETURN:
        raise EvidenceRefused(f"这份填报的佐证材料已达 {MAX_FILES_PER_RETURN} 个，请删除不需要的文件后再上传。")
    used = current.aggregate(total=Sum("size"))["total"] or 0
    if used + len(data) > MAX_BYTES_PER_RETURN:
        raise EvidenceRefused(
            f"这份填报的佐证材料总大小将超过 {MAX_BYTES_PER_RETURN // (1024 * 1024)} MB，请压缩或删除部分文件。"
        )
    evidence = Evidence(
        annual_return=locked,
        indicator_id=indicator_id,
        original_name=original_name,
        content_type=kind.content_type,
        size=len(data),
        sha256=digest,
        description=(description or "").strip()[:MAX_DESCRIPTION_LENGTH],
        uploaded_by=user,
    )
    with files_kept_only_if_saved() as stored:
        # The name given here only carries the checked extension; upload_to makes the real one.
        stored.save(evidence.file, f"evidence.{kind.extension}", data)
        evidence.save()
        _start_or_resume(locked, user)
        audit_record(
            action="change", user=user, obj=evidence, department=locked.department_id, after={"sha256": digest}
        )
    return evidence


@transaction.atomic
def evidence_delete(*, evidence: Evidence, user: User) -> Evidence:
    """Soft delete: the file stays on disk and in the record, no longer attached."""
    locked = lock_return(evidence.annual_return_id)
    _check_may_change(user, locked, evidence.indicator_id)
    updated = Evidence.objects.filter(pk=evidence.pk, deleted_at__isnull=True).update(
        deleted_at=timezone.now(), deleted_by=user
    )
    if not updated:
        raise EvidenceRefused("该文件已被删除。")
    evidence.refresh_from_db(fields=["deleted_at", "deleted_by"])
    audit_record(action="change", user=user, obj=evidence, department=locked.department_id, after={"deleted": True})
    return evidence


def missing_required_evidence(annual_return: AnnualReturn) -> list[Indicator]:
    """Indicators of the return marked 须上传佐证材料 that have no (undeleted) file, in framework
    order; one query. Submission refuses while this is not empty (checking.return_check makes the
    same judgement from loaded data)."""
    attached = Evidence.objects.filter(
        annual_return=annual_return, indicator_id=OuterRef("pk"), deleted_at__isnull=True
    )
    return list(
        Indicator.objects.filter(values__annual_return=annual_return, is_evidence_required=True)
        .filter(~Exists(attached))
        .order_by("group__area__order", "group__order", "order", "code")
    )


def evidence_of_return(
    annual_return: AnnualReturn, *, indicator_id: int | None = None, whole_return: bool = False
) -> QuerySet[Evidence]:
    """Undeleted files of a return (optionally of one indicator, or only the return-level ones)."""
    files = Evidence.objects.filter(annual_return=annual_return, deleted_at__isnull=True).select_related("uploaded_by")
    if whole_return:
        return files.filter(indicator__isnull=True)
    if indicator_id is not None:
        return files.filter(indicator_id=indicator_id)
    return files

"""Writes of report drafts (报告稿): the 成文日期, 发文字号 and 附件说明, and the wording of a section.

Every write is refused once the scope has a final edition (定稿), carries the version the editor
saw (two people editing at once cannot overwrite each other unnoticed), and is audited.
"""

import datetime
import re
from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Department, User
from audit.services import audit_record
from congress.models import CongressYear
from indicators.presenting import date_text

from . import permissions, readiness
from .document import ReportDocument
from .drafts import event_dates, section_key
from .kinds import BuildRequest, build_document, build_generated_document, is_section_editable
from .models import ReportDraft, ReportDraftSection, ReportKind, ReportRun
from .section_text import parse_section_text

# GB/T 9704 7.2.4: 发文机关代字 + 年份 in 〔〕 + 顺序号 (no 第, no leading zero) + 号.
_DOCUMENT_NUMBER = re.compile(r"^(\S+?)〔(\d{4})〕(\d+)号$")
_BRACKETS = str.maketrans({"[": "〔", "]": "〕", "［": "〔", "］": "〕", "【": "〔", "】": "〕"})
_YEAR_IN_PARENTHESES = re.compile(r"[（(](\d{4})[）)]")
_TRAILING_PUNCTUATION = re.compile(r"[，。、；：！？,.;:!?]$")
MAX_ATTACHMENT_NAME = 100


class StaleDraftError(ValidationError):
    pass


def _require_editable(*, kind: str, year: int, department: Department | None, user: User) -> None:
    if not permissions.can_edit_draft(user, kind=kind, department=department):
        raise PermissionDenied
    # Lock the scope's runs (and the congress year) so a wording cannot slip in while an edition is
    # being finalised.
    runs = ReportRun.objects.select_for_update().filter(kind=kind, year=year, department=department)
    if any(run.is_final for run in runs):
        raise ValidationError("该报告已定稿，报告稿不能再修改。")
    if kind == ReportKind.CONGRESS_SURVEY:
        congress_year = CongressYear.objects.select_for_update().filter(year=year).first()
        if congress_year is not None and congress_year.is_finalised:
            raise ValidationError("该年度调研报告已定稿，报告稿不能再修改。如需修改，请先在年度概况页取消定稿。")


def _draft_for_update(*, kind: str, year: int, department: Department | None, user: User) -> ReportDraft:
    draft, _ = ReportDraft.objects.get_or_create(
        kind=kind, year=year, department=department, defaults={"updated_by": user}
    )
    return ReportDraft.objects.select_for_update().get(pk=draft.pk)


def clean_document_number(value: str) -> str:
    """The 发文字号 as GB/T 9704 writes it; brackets typed as [] or () around the year become 〔〕."""
    value = re.sub(r"\s+", "", value).translate(_BRACKETS)
    value = _YEAR_IN_PARENTHESES.sub(r"〔\1〕", value)
    if not value:
        return ""
    if "第" in value.partition("〕")[2]:
        raise ValidationError({"document_number": "发文顺序号不加“第”字，如“云法考办〔2025〕3号”。"})
    match = _DOCUMENT_NUMBER.match(value)
    if match is None:
        raise ValidationError(
            {"document_number": "发文字号应写作“机关代字〔年份〕顺序号号”，如“云法考办〔2025〕3号”。"}
        )
    if match.group(3).startswith("0"):
        raise ValidationError({"document_number": "发文顺序号不编虚位：1不编为01。"})
    return value


def clean_attachment_note(value: str, *, appendix_titles: tuple[str, ...]) -> str:
    """One attachment name a line, as many as the report has attachments, without end punctuation."""
    names = [line.strip() for line in value.replace("\r\n", "\n").split("\n") if line.strip()]
    if not names:
        return ""
    if not appendix_titles:
        raise ValidationError({"attachment_note": "该报告没有附件，无需附件说明。"})
    errors = []
    if len(names) != len(appendix_titles):
        errors.append(f"报告有{len(appendix_titles)}个附件，附件说明列了{len(names)}个名称：每行写一个附件名称。")
    for number, name in enumerate(names, start=1):
        name = re.sub(r"^(附件[：:]?\s*)?\d+[.．、]\s*", "", name)
        if _TRAILING_PUNCTUATION.search(name):
            errors.append(f"第{number}个附件名称后不加标点符号。")
        if len(name) > MAX_ATTACHMENT_NAME:
            errors.append(f"第{number}个附件名称过长（最多{MAX_ATTACHMENT_NAME}字）。")
    if errors:
        raise ValidationError({"attachment_note": errors})
    return "\n".join(re.sub(r"^(附件[：:]?\s*)?\d+[.．、]\s*", "", name) for name in names)


def clean_signed_on(signed_on: datetime.date | None, *, year: int, document: ReportDocument) -> datetime.date | None:
    """The 成文日期 as given, when it may stand: a report about `year` is signed in that year or the
    next, and never before a date on which its own text says something was submitted or published."""
    if signed_on is None:
        return None
    first, last = datetime.date(year, 1, 1), datetime.date(year + 1, 12, 31)
    if not first <= signed_on <= last:
        raise ValidationError({"signed_on": f"{year}年度报告的成文日期应在{date_text(first)}至{date_text(last)}之间。"})
    later = [(day, words) for day, words in event_dates(document) if day > signed_on]
    if later:
        day, words = max(later)
        raise ValidationError(
            {"signed_on": f"成文日期不能早于报告中提到的日期：正文写有“{words}”，成文日期应不早于{date_text(day)}。"}
        )
    return signed_on


@transaction.atomic
def report_draft_save(
    *,
    kind: str,
    year: int,
    department: Department | None,
    signed_on: datetime.date | None,
    document_number: str,
    attachment_note: str,
    version: int,
    user: User,
) -> ReportDraft:
    """Stores the 成文日期, 发文字号 and 附件说明 the report is issued with."""
    _require_editable(kind=kind, year=year, department=department, user=user)
    document = build_document(BuildRequest(kind=kind, year=year, department=department, options={}))
    values: dict[str, object] = {"signed_on": signed_on}
    errors: dict[str, list[str]] = {}
    checks: dict[str, Callable[[], object]] = {
        "document_number": lambda: clean_document_number(document_number),
        "attachment_note": lambda: clean_attachment_note(
            attachment_note, appendix_titles=tuple(a.title for a in document.appendices)
        ),
        "signed_on": lambda: clean_signed_on(signed_on, year=year, document=document),
    }
    for name, check in checks.items():  # every field's problem at once, not the first one only
        try:
            values[name] = check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    draft = _draft_for_update(kind=kind, year=year, department=department, user=user)
    if draft.version != version:
        raise StaleDraftError("报告稿已被他人修改，请刷新页面查看最新内容后再提交。")
    before = {"signed_on": str(draft.signed_on or ""), "document_number": draft.document_number,
              "attachment_note": draft.attachment_note}  # fmt: skip
    ReportDraft.objects.filter(pk=draft.pk).update(
        **values, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
    )
    draft.refresh_from_db()
    after = {**values, "signed_on": str(signed_on or "")}
    audit_record(action="change", user=user, obj=draft, department=department, before=before, after=after)
    readiness.refresh_scope_on_commit(kind=kind, year=year, department=department)
    return draft


def _write_section(*, draft: ReportDraft, key: str, text: str, version: int, user: User) -> ReportDraftSection:
    current = ReportDraftSection.objects.select_for_update().filter(draft=draft, key=key).first()
    if (current.version if current else 0) != version:
        raise StaleDraftError("该部分已被他人修改，请刷新页面查看最新内容后再提交。")
    before = current.text if current else ""
    if current is None:
        current = ReportDraftSection.objects.create(draft=draft, key=key, text=text, version=1, updated_by=user)
    else:
        ReportDraftSection.objects.filter(pk=current.pk).update(
            text=text, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
        )
        current.refresh_from_db()
    audit_record(
        action="change",
        user=user,
        obj=current,
        department=draft.department,
        before={"section": key, "text": before},
        after={"section": key, "text": text},
    )
    readiness.refresh_scope_on_commit(kind=draft.kind, year=draft.year, department=draft.department)
    return current


def _require_section(*, kind: str, year: int, department: Department | None, key: str) -> None:
    document = build_generated_document(BuildRequest(kind=kind, year=year, department=department, options={}))
    if key not in {section_key(s.heading) for s in document.sections}:
        raise ValidationError(f"报告没有“{key}”这一部分。")
    if not is_section_editable(kind, key):
        raise ValidationError(f"报告的“{key}”不在报告稿中修改。")


@transaction.atomic
def report_draft_section_save(
    *, kind: str, year: int, department: Department | None, key: str, text: str, version: int, user: User
) -> ReportDraftSection:
    """Stores the user's wording of a section; the report uses it instead of the data's draft."""
    _require_editable(kind=kind, year=year, department=department, user=user)
    _require_section(kind=kind, year=year, department=department, key=key)
    parse_section_text(text)  # refuses an empty text or an untitled heading, naming the line
    text = text.replace("\r\n", "\n").strip()
    draft = _draft_for_update(kind=kind, year=year, department=department, user=user)
    return _write_section(draft=draft, key=key, text=text, version=version, user=user)


@transaction.atomic
def report_draft_section_reset(
    *, kind: str, year: int, department: Department | None, key: str, version: int, user: User
) -> ReportDraftSection | None:
    """Goes back to the draft generated from the data. Nothing to do when the section was never edited."""
    _require_editable(kind=kind, year=year, department=department, user=user)
    draft = ReportDraft.objects.filter(kind=kind, year=year, department=department).first()
    current = ReportDraftSection.objects.filter(draft=draft, key=key).first() if draft else None
    if current is None and version == 0:
        return None
    if current is not None and not current.is_edited and current.version == version:
        return current
    draft = _draft_for_update(kind=kind, year=year, department=department, user=user)
    return _write_section(draft=draft, key=key, text="", version=version, user=user)

"""Writes of the survey report's edited sections (调研报告正文): save a wording, or go back to the draft.

Both are refused once the year's report is final (定稿), and both carry the version the editor saw,
so two people editing one section at once cannot overwrite each other unnoticed.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from audit.services import audit_record

from ..models import CongressYear, ReportSectionText
from ..section_text import parse_section_text
from .common import require_manager


class StaleSectionTextError(ValidationError):
    pass


def _require_open(congress_year: CongressYear) -> None:
    # Lock the year so a wording cannot slip in while the report is being finalised.
    if CongressYear.objects.select_for_update().get(pk=congress_year.pk).is_finalised:
        raise ValidationError("该年度调研报告已定稿，报告正文不能再修改。如需修改，请先取消定稿。")


def _require_section(section: str) -> None:
    if section not in ReportSectionText.Section.values:
        raise ValidationError(f"调研报告没有“{section}”这一部分。")


def _write(*, congress_year: CongressYear, section: str, text: str, version: int, user: User) -> ReportSectionText:
    current = ReportSectionText.objects.select_for_update().filter(congress_year=congress_year, section=section).first()
    if (current.version if current else 0) != version:
        raise StaleSectionTextError("该部分已被他人修改，请刷新页面查看最新内容后再提交。")
    before = current.text if current else ""
    if current is None:
        current = ReportSectionText.objects.create(
            congress_year=congress_year, section=section, text=text, version=1, updated_by=user
        )
    else:
        # A queryset update skips auto_now, so the time is set here.
        ReportSectionText.objects.filter(pk=current.pk).update(
            text=text, version=F("version") + 1, updated_by=user, updated_at=timezone.now()
        )
        current.refresh_from_db()
    audit_record(
        action="change",
        user=user,
        obj=current,
        before={"section": section, "text": before},
        after={"section": section, "text": text},
    )
    return current


@transaction.atomic
def report_section_text_save(
    *, congress_year: CongressYear, section: str, text: str, version: int, user: User
) -> ReportSectionText:
    """Stores congress staff's wording of a section; the report uses it instead of the draft."""
    require_manager(user)
    _require_section(section)
    _require_open(congress_year)
    parse_section_text(text)  # refuses an empty text or an untitled heading, naming the line
    text = text.replace("\r\n", "\n").strip()
    return _write(congress_year=congress_year, section=section, text=text, version=version, user=user)


@transaction.atomic
def report_section_text_reset(
    *, congress_year: CongressYear, section: str, version: int, user: User
) -> ReportSectionText | None:
    """Goes back to the draft generated from the data. Nothing to do when the section was never edited."""
    require_manager(user)
    _require_section(section)
    _require_open(congress_year)
    current = ReportSectionText.objects.filter(congress_year=congress_year, section=section).first()
    if current is None and version == 0:
        return None
    if current is not None and not current.is_edited and current.version == version:
        return current
    return _write(congress_year=congress_year, section=section, text="", version=version, user=user)

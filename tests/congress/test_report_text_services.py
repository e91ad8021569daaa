import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEvent
from congress.models import ReportSectionText
from congress.services.report_text import (
    StaleSectionTextError,
    report_section_text_reset,
    report_section_text_save,
)
from congress.services.years import congress_year_finalise

from .factories import CongressYearFactory

pytestmark = pytest.mark.django_db

PROBLEMS = ReportSectionText.Section.PROBLEMS
TEXT = "（一）涉企检查仍然偏多\n多头检查、重复检查的问题依然存在。"


@pytest.fixture
def year(cast):
    return CongressYearFactory(year=2025)


def _save(year, user, text=TEXT, version=0, section=PROBLEMS):
    return report_section_text_save(congress_year=year, section=section, text=text, version=version, user=user)


def test_saving_stores_the_wording_at_version_one_with_its_author(year, cast):
    row = _save(year, cast.congress)

    assert (row.section, row.text, row.version, row.updated_by) == (PROBLEMS, TEXT, 1, cast.congress)


def test_a_later_save_records_its_author_and_time(year, cast):
    first = _save(year, cast.congress)

    second = _save(year, cast.admin, text="改写后的正文。", version=1)

    assert (second.version, second.updated_by) == (2, cast.admin)
    assert second.updated_at > first.updated_at


def test_saving_normalises_line_breaks_and_trims_the_ends(year, cast):
    row = _save(year, cast.congress, text="\r\n（一）标题\r\n正文。\r\n\r\n")

    assert row.text == "（一）标题\n正文。"


def test_each_save_writes_one_audit_event_with_the_wording_before_and_after(year, cast):
    first = _save(year, cast.congress)
    _save(year, cast.congress, text="改写后的正文。", version=1)

    events = AuditEvent.objects.filter(object_type="congress.ReportSectionText", object_id=str(first.pk))
    assert [(e.before["text"], e.after["text"]) for e in events.order_by("id")] == [
        ("", TEXT),
        (TEXT, "改写后的正文。"),
    ]
    assert {e.actor_id for e in events} == {cast.congress.pk}


def test_a_save_from_a_page_opened_before_anothers_save_is_refused_and_keeps_theirs(year, cast):
    _save(year, cast.congress)

    with pytest.raises(StaleSectionTextError, match="该部分已被他人修改，请刷新页面查看最新内容后再提交。"):
        _save(year, cast.admin, text="晚到的修改。", version=0)

    assert ReportSectionText.objects.get().text == TEXT


def test_saving_is_refused_once_the_report_is_final_and_nothing_is_stored(year, cast):
    congress_year_finalise(congress_year=year, user=cast.congress)

    with pytest.raises(ValidationError, match="该年度调研报告已定稿，报告正文不能再修改"):
        _save(year, cast.congress)

    assert not ReportSectionText.objects.exists()


@pytest.mark.parametrize("role", ["staff_a", "reviewer"])
def test_only_congress_staff_may_save(year, cast, role):
    with pytest.raises(PermissionDenied):
        _save(year, cast.user(role))


def test_a_section_the_report_does_not_edit_is_refused(year, cast):
    with pytest.raises(ValidationError, match="调研报告没有“recommendations”这一部分。"):
        _save(year, cast.congress, section="recommendations")


def test_an_empty_wording_is_refused_rather_than_saved(year, cast):
    with pytest.raises(ValidationError, match="请填写内容"):
        _save(year, cast.congress, text="   ")

    assert not ReportSectionText.objects.exists()


def test_resetting_goes_back_to_the_draft_and_moves_the_version(year, cast):
    _save(year, cast.congress)

    row = report_section_text_reset(congress_year=year, section=PROBLEMS, version=1, user=cast.congress)

    assert (row.text, row.version, row.is_edited) == ("", 2, False)
    assert AuditEvent.objects.filter(object_type="congress.ReportSectionText").count() == 2


def test_a_form_opened_before_a_reset_cannot_overwrite_it(year, cast):
    _save(year, cast.congress)
    report_section_text_reset(congress_year=year, section=PROBLEMS, version=1, user=cast.congress)

    with pytest.raises(StaleSectionTextError):
        _save(year, cast.admin, text="基于旧页面的修改。", version=1)


def test_resetting_a_section_never_edited_changes_nothing(year, cast):
    assert report_section_text_reset(congress_year=year, section=PROBLEMS, version=0, user=cast.congress) is None

    assert not ReportSectionText.objects.exists()
    assert not AuditEvent.objects.filter(object_type="congress.ReportSectionText").exists()


def test_resetting_with_a_stale_version_is_refused_and_keeps_the_wording(year, cast):
    _save(year, cast.congress)
    _save(year, cast.congress, text="第二稿。", version=1)

    with pytest.raises(StaleSectionTextError):
        report_section_text_reset(congress_year=year, section=PROBLEMS, version=1, user=cast.congress)

    assert ReportSectionText.objects.get().text == "第二稿。"


def test_resetting_is_refused_once_the_report_is_final(year, cast):
    _save(year, cast.congress)
    congress_year_finalise(congress_year=year, user=cast.congress)

    with pytest.raises(ValidationError, match="已定稿"):
        report_section_text_reset(congress_year=year, section=PROBLEMS, version=1, user=cast.congress)

    assert ReportSectionText.objects.get().text == TEXT

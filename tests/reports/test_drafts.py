"""报告稿: the 成文日期, 发文字号 and 附件说明 a user sets, and sections rewritten before 定稿, for the
government report and the results notice (the congress report's sections are edited in congress)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from reports.document import Appendix, Paragraph, ReportDocument, Section
from reports.draft_services import (
    StaleDraftError,
    clean_attachment_note,
    clean_document_number,
    clean_signed_on,
    report_draft_save,
    report_draft_section_reset,
    report_draft_section_save,
)
from reports.drafts import section_key, section_text
from reports.kinds import BuildRequest, build_document, build_generated_document
from reports.models import ReportKind, ReportRun
from tests.reports.test_government_annual import _city_returns

from .builders import done_run

pytestmark = pytest.mark.django_db
GOV = ReportKind.GOVERNMENT_ANNUAL
NOTICE = ReportKind.RESULTS_NOTICE


@pytest.fixture
def government(cast):
    _city_returns(cast)
    return cast.city


def _gov(department):
    return build_document(BuildRequest(kind=GOV, year=2025, department=department, options={}))


def _save_section(cast, department, key, text, version=0, user=None):
    return report_draft_section_save(
        kind=GOV, year=2025, department=department, key=key, text=text, version=version, user=user or cast.reviewer
    )


def _save(cast, *, kind=NOTICE, department=None, signed_on=None, number="", note="", version=0, user=None):
    return report_draft_save(
        kind=kind,
        year=2025,
        department=department,
        signed_on=signed_on,
        document_number=number,
        attachment_note=note,
        version=version,
        user=user or cast.reviewer,
    )


def test_an_edited_section_replaces_the_drafted_words_and_keeps_its_heading(cast, government):
    key = section_key(_gov(government).sections[1].heading)

    _save_section(cast, government, key, "对照纲要要求，还存在差距。\n（一）执法规范化有待加强。部分单位执法记录不全。")

    section = _gov(government).sections[1]
    assert section.heading == "二、存在的不足和原因"
    assert [p.text for p in section.blocks] == ["对照纲要要求，还存在差距。"]
    assert [s.heading for s in section.subsections] == ["（一）执法规范化有待加强"]
    assert [p.text for p in section.subsections[0].blocks] == ["部分单位执法记录不全。"]


def test_the_edit_form_starts_from_the_drafted_text_which_reads_back_unchanged(cast, government):
    generated = build_generated_document(BuildRequest(kind=GOV, year=2025, department=government, options={}))
    first = generated.sections[0]
    key = section_key(first.heading)

    _save_section(cast, government, key, section_text(first))

    assert _gov(government).sections[0] == first


def test_resetting_a_section_goes_back_to_the_draft(cast, government):
    drafted = _gov(government).sections[1]
    key = section_key(drafted.heading)
    row = _save_section(cast, government, key, "改写的文字。")

    report_draft_section_reset(
        kind=GOV, year=2025, department=government, key=key, version=row.version, user=cast.reviewer
    )

    assert _gov(government).sections[1] == drafted


def test_a_section_saved_from_a_stale_page_is_refused(cast, government):
    key = section_key(_gov(government).sections[1].heading)
    _save_section(cast, government, key, "第一次。")

    with pytest.raises(StaleDraftError):
        _save_section(cast, government, key, "第二次。", version=0)


def test_an_edit_is_audited_with_the_words_before_and_after(cast, government):
    key = section_key(_gov(government).sections[1].heading)

    row = _save_section(cast, government, key, "改写的文字。")

    event = AuditEvent.objects.get(object_type="reports.ReportDraftSection", object_id=str(row.pk))
    assert event.after == {"section": key, "text": "改写的文字。"}
    assert event.before == {"section": key, "text": ""}


def test_no_edit_once_the_report_is_final(cast, government):
    run = done_run(government, user=cast.admin, kind=GOV)
    ReportRun.objects.filter(pk=run.pk).update(is_final=True)
    key = section_key(_gov(government).sections[1].heading)

    with pytest.raises(ValidationError, match="已定稿"):
        _save_section(cast, government, key, "改写的文字。")
    with pytest.raises(ValidationError, match="已定稿"):
        _save(cast, kind=GOV, department=government, signed_on=datetime.date(2026, 3, 1))


def test_staff_of_another_unit_cannot_edit_the_governments_draft(cast, government):
    key = section_key(_gov(government).sections[1].heading)

    with pytest.raises(PermissionDenied):
        _save_section(cast, government, key, "改写的文字。", user=cast.staff_b)


def test_a_section_the_report_does_not_have_is_refused(cast, government):
    with pytest.raises(ValidationError, match="没有"):
        _save_section(cast, government, "不存在的部分", "文字。")


def test_the_signing_date_document_number_and_attachment_note_reach_the_document(cast, published_year):
    _save(cast, signed_on=datetime.date(2026, 3, 25), number="云法考办[2026]3号", note="2025年度法治政府建设考核等次")

    document = build_document(BuildRequest(kind=NOTICE, year=2025, department=None, options={}))

    assert document.date_text == "2026年3月25日"
    assert document.document_number == "云法考办〔2026〕3号"
    assert document.attachment_lines == ("附件：2025年度法治政府建设考核等次",)


def test_the_notice_pdf_and_word_file_carry_the_number_date_and_attachment_note(cast, published_year):
    import io

    import docx

    from reports.docx_writer import document_to_docx
    from reports.pdf import render_pdf

    from .pdf_text import pdf_to_text, squeeze

    _save(cast, signed_on=datetime.date(2026, 3, 25), number="云法考办〔2026〕3号")
    document = build_document(BuildRequest(kind=NOTICE, year=2025, department=None, options={}))

    text = squeeze(pdf_to_text(render_pdf("reports/pdf/results_notice.html", {"document": document})))
    words = [p.text for p in docx.Document(io.BytesIO(document_to_docx(document))).paragraphs]

    assert "云法考办〔2026〕3号" in text and "2026年3月25日" in text and "附件：" in text
    assert "云法考办〔2026〕3号" in words and "2026年3月25日" in words


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("云法考办〔2026〕第3号", "不加“第”字"),
        ("云法考办〔2026〕03号", "不编虚位"),
        ("云法考办2026年3号", "机关代字〔年份〕顺序号号"),
    ],
)
def test_a_malformed_document_number_is_refused_in_chinese(typed, message):
    with pytest.raises(ValidationError, match=message):
        clean_document_number(typed)


def test_a_document_number_typed_with_other_brackets_is_written_with_hexagonal_ones():
    assert clean_document_number("云法考办（2026）12号") == "云法考办〔2026〕12号"


def test_the_attachment_note_must_name_each_attachment_once_without_end_punctuation():
    titles = ("主要指标汇总", "各单位年度填报情况")

    with pytest.raises(ValidationError, match="报告有2个附件"):
        clean_attachment_note("主要指标汇总", appendix_titles=titles)
    with pytest.raises(ValidationError, match="不加标点"):
        clean_attachment_note("主要指标汇总。\n各单位年度填报情况", appendix_titles=titles)
    assert clean_attachment_note("1. 指标汇总表\n2. 填报情况", appendix_titles=titles) == "指标汇总表\n填报情况"


def test_a_signing_date_before_a_submission_the_text_mentions_is_refused():
    document = ReportDocument(
        title="报告",
        sections=(Section("一、正文", (Paragraph("年度报告于2025年3月4日报送，2025年3月17日向社会公开。"),)),),
    )

    with pytest.raises(ValidationError, match="2025年3月17日向社会公开"):
        clean_signed_on(datetime.date(2025, 2, 11), year=2024, document=document)
    clean_signed_on(datetime.date(2025, 3, 17), year=2024, document=document)


def test_a_signing_date_outside_the_report_year_and_the_next_is_refused():
    with pytest.raises(ValidationError, match="2024年1月1日至2025年12月31日"):
        clean_signed_on(datetime.date(2023, 12, 31), year=2024, document=ReportDocument(title="报告"))


def test_the_draft_page_shows_a_bad_date_in_chinese_and_keeps_what_was_typed(cast, client, published_year):
    client.force_login(cast.reviewer)
    url = reverse("reports:draft_edit", args=[NOTICE, 2025, 0])

    response = client.post(url, {"signed_on": "2021-03-01", "document_number": "云法考办〔2026〕3号", "version": 0})

    html = response.content.decode()
    assert response.status_code == 200
    assert "成文日期应在2025年1月1日至2026年12月31日之间" in html
    assert 'value="云法考办〔2026〕3号"' in html
    assert 'value="2021-03-01"' in html


def test_the_draft_page_saves_and_lists_the_notices_sections(cast, client, published_year):
    client.force_login(cast.reviewer)
    url = reverse("reports:draft_edit", args=[NOTICE, 2025, 0])

    response = client.post(url, {"signed_on": "2026-03-25", "document_number": "云法考办〔2026〕3号", "version": 0})

    assert response.status_code == 302
    html = client.get(url).content.decode()
    assert 'value="2026-03-25"' in html
    assert "一、考核基本情况" in html
    assert reverse("reports:draft_section_edit", args=[NOTICE, 2025, 0, 1]) in html


def test_a_section_edited_on_its_page_is_shown_as_edited(cast, client, published_year):
    client.force_login(cast.reviewer)
    url = reverse("reports:draft_section_edit", args=[NOTICE, 2025, 0, 3])

    client.post(url, {"text": "各单位要认真整改。", "version": 0})

    html = client.get(url).content.decode()
    assert "已修改" in html and "各单位要认真整改。" in html
    document = build_document(BuildRequest(kind=NOTICE, year=2025, department=None, options={}))
    assert [p.text for p in document.sections[2].blocks] == ["各单位要认真整改。"]


def test_an_empty_section_text_is_refused_on_the_page(cast, client, published_year):
    client.force_login(cast.reviewer)
    url = reverse("reports:draft_section_edit", args=[NOTICE, 2025, 0, 3])

    response = client.post(url, {"text": "  ", "version": 0})

    assert response.status_code == 200
    assert "请填写内容" in response.content.decode()


def test_reviewers_may_finalise_the_notice(cast, client, published_year):
    run = done_run(None, user=cast.admin, kind=NOTICE)
    client.force_login(cast.reviewer)

    client.post(reverse("reports:run_finalize", args=[run.pk]))

    run.refresh_from_db()
    assert run.is_final


def test_a_document_with_attachments_lists_them_and_numbers_several():
    document = ReportDocument(title="报告", appendices=(Appendix("附件1", "甲"), Appendix("附件2", "乙")))

    assert document.attachment_lines == ("附件：1. 甲", "2. 乙")


def test_every_field_with_a_problem_is_named_at_once(cast, published_year):
    with pytest.raises(ValidationError) as refused:
        _save(cast, signed_on=datetime.date(2020, 1, 1), number="云法考办〔2026〕03号", note="甲\n乙")

    assert set(refused.value.message_dict) == {"signed_on", "document_number", "attachment_note"}

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from congress.models import DeliberationOpinion, HandlingStatus
from congress.services.years import congress_year_finalise
from indicators.presenting import date_text
from reports import services
from reports.draft_services import report_draft_section_reset, report_draft_section_save
from reports.drafts import section_from_text, section_text
from reports.kinds import BuildRequest, ReportDataMissing, build_document
from reports.kinds.congress_survey import EDITABLE, congress_survey_data, congress_survey_document
from reports.models import ReportKind
from reports.pdf import render_pdf
from tests.congress.factories import (
    ActivityFactory,
    AssignmentFactory,
    CongressYearFactory,
    OpinionFactory,
    RespondentGroupFactory,
    respond,
)

from .builders import done_run
from .pdf_text import pdf_to_text, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(congress_year):
    return congress_survey_document(congress_survey_data(year=2025), options={})


def test_the_report_has_the_four_sections_of_a_congress_survey_report(document):
    assert document.title == "关于2025年度法治政府建设情况的调研报告"
    assert document.addressee == "主任、副主任，各位委员："
    assert [s.heading for s in document.sections] == [
        "一、调研工作基本情况",
        "二、主要做法和成效",
        "三、存在的主要问题",
        "四、意见和建议",
    ]


def test_basic_situation_comes_from_the_activity_log_and_the_survey_sample(document):
    text = " ".join(p.text for p in document.sections[0].blocks)

    assert "重点围绕“行政执法规范化建设”" in text
    assert "座谈会1次、实地走访1次" in text
    assert "涉及1个单位" in text
    assert "共回收问卷6份，其中有效问卷6份" in text
    assert "人大代表4份、普通群众2份" in text


def test_achievements_quote_citywide_figures_with_changes_and_survey_satisfaction(document):
    text = document.all_text()

    assert "全年办理行政复议案件" not in document.sections[1].subsections[0].blocks[0].text  # a supporting figure
    assert "选择“好”或“较好”的受访者占66.67%。" in text


def test_section_two_opens_with_the_satisfaction_rate_of_each_respondent_group(document):
    assert document.sections[1].blocks[0].text == (
        "据问卷调查，在“您对本市法治政府建设的总体评价”一题中，选择“好”或“较好”的受访者占66.67%。"
        "其中，人大代表满意率为75%，普通群众满意率为50%。"
    )
    assert document.sections[1].subsections[0].heading == "（一）审议意见和代表建议办理情况"


def test_a_group_without_valid_answers_is_said_to_have_none_rather_than_zero(congress_year):
    RespondentGroupFactory(survey=congress_year.survey, name="律师")

    document = congress_survey_document(congress_survey_data(year=2025), options={})

    assert "普通群众满意率为50%，律师无有效回答。" in document.all_text()


def test_problems_are_drafted_from_shortfalls_survey_shares_and_follow_up_gaps(document):
    problems = {s.heading: s.blocks[0].text for s in document.sections[2].subsections}

    assert (
        "行政机关负责人出庭应诉率为99.13%，较上年提高5.27个百分点，但仍低于100%的目标"
        in (problems["（一）部分考核指标未达到目标要求"])
    )
    assert problems["（二）群众反映的问题较为集中"] == (
        "据问卷调查，对“突出问题（可多选）”，反映比较集中的是：66.67%的受访者选择“多头多重执法”。"
        "其中，人大代表选择“多头多重执法”的比例最高，为75%。"
    )
    assert "代表建议1件中，尚未答复1件。" in problems["（三）审议意见和代表建议办理落实还不到位"]
    assert "逾期未答复的交办事项1件，涉及测试市甲局1个单位" in problems["（三）审议意见和代表建议办理落实还不到位"]


def test_a_problem_label_with_quotes_is_quoted_with_single_quotes_inside(congress_year):
    problems = congress_year.survey.questions.get(kind="multiple")
    second = problems.options.get(label="执法“一刀切”")
    respond(congress_year.survey.groups.get(name="普通群众"), second)

    document = congress_survey_document(congress_survey_data(year=2025), options={})

    assert "的受访者选择“执法‘一刀切’”" in document.all_text()


def test_recommendations_come_from_the_congress_module(document):
    recommendation = document.sections[3].subsections[0]

    assert recommendation.heading == "（一）规范涉企行政检查"
    assert recommendation.blocks[0].text == "推行“综合查一次”。"


def test_appendices_hold_survey_tables_the_indicator_table_and_the_units_visited(document):
    assert [(a.label, a.title) for a in document.appendices] == [
        ("附件1", "问卷调查分析"),
        ("附件2", "主要指标数据"),
        ("附件3", "调研活动及参加单位名单"),
    ]
    samples = document.appendices[0].blocks[0]
    assert samples.rows[-1][:3] == ("合计", "6", "6")
    assert "测试市甲局" in document.appendices[2].blocks[0].rows[0][3]


def test_the_survey_appendix_numbers_its_tables_and_figure_in_order(document):
    captions = [block.caption for block in document.appendices[0].blocks]

    assert captions == [
        "表1 问卷样本情况",
        "表2 第1题 您对本市法治政府建设的总体评价",
        "图1 各类受访者满意率（第1题）",
        "表3 第2题 突出问题（可多选）（按调查对象分列）",
    ]


def test_the_problem_share_table_gives_each_problems_share_in_each_group(document):
    table = document.appendices[0].blocks[3]

    assert [c.label for c in table.columns] == ["问题", "人大代表", "普通群众", "合计"]
    assert table.rows[0] == ("有效问卷（份）", "4", "2", "6")
    assert table.rows[1] == ("多头多重执法", "75%", "50%", "66.67%")
    assert table.rows[2] == ("执法“一刀切”", "0%", "0%", "0%")


def test_the_satisfaction_chart_is_an_svg_with_the_cjk_font_and_one_bar_per_group(document):
    chart = document.appendices[0].blocks[2]

    assert chart.svg.startswith('<svg font-family="Noto Sans CJK SC"')
    assert "人大代表" in chart.svg and "普通群众" in chart.svg and "全部" in chart.svg
    assert "75%" in chart.svg  # one question: the bars carry their values


def test_appendix_references_follow_the_appendices_the_year_has(cast):
    year = CongressYearFactory(year=2025)
    ActivityFactory(congress_year=year).departments.add(cast.dept_a)

    document = congress_survey_document(congress_survey_data(year=2025), options={})

    assert [a.label for a in document.appendices] == ["附件1"]
    assert "涉及1个单位（名单见附件1）" in document.sections[0].blocks[0].text


def test_a_year_the_congress_module_does_not_know_cannot_be_reported(cast):
    with pytest.raises(ReportDataMissing, match="人大监督模块尚未建立2025年度"):
        congress_survey_data(year=2025)


def test_without_assessment_data_the_report_still_renders_and_says_so(cast):
    CongressYearFactory(year=2025)

    document = congress_survey_document(congress_survey_data(year=2025), options={})

    assert document.sections[1].blocks[0].text == "（考核数据尚未汇总。）"
    assert "2025年度指标体系尚未发布" in document.notes[0]


def test_the_selectors_run_a_bounded_number_of_queries(congress_year, django_assert_max_num_queries):
    with django_assert_max_num_queries(22):  # what the fixture takes (issue 19 §3: 23 at city scale)
        congress_survey_data(year=2025)


def test_the_pdf_carries_the_survey_figures(document):
    text = squeeze(pdf_to_text(render_pdf("reports/pdf/congress_survey.html", {"document": document})))

    assert "受访者占66.67%。其中，人大代表满意率为75%，普通群众满意率为50%。" in text
    assert "66.67%的受访者选择“多头多重执法”" in text
    assert "图1各类受访者满意率（第1题）" in text
    assert "表3第2题突出问题（可多选）（按调查对象分列）" in text
    assert "规范涉企行政检查" in text


def test_marking_the_congress_report_final_also_finalises_the_congress_year(cast, congress_year):
    run = done_run(None, user=cast.congress, kind=ReportKind.CONGRESS_SURVEY)

    services.report_run_mark_final(run=run, user=cast.congress)

    congress_year.refresh_from_db()
    assert congress_year.is_finalised
    assert congress_year.report_finalised_by == cast.congress


def _handled(congress_year, kind, status, department, *, reviewed=False):
    opinion = OpinionFactory(congress_year=congress_year, kind=kind, reviewed_at=timezone.now() if reviewed else None)
    AssignmentFactory(
        opinion=opinion, department=department, status=status, answer="已办理", answered_at=timezone.now()
    )


@pytest.fixture
def followed_up_year(cast):
    """审议意见 2 (解决 1 and 列入计划 1, both looked back at); 代表建议 4 (已解决, 基本解决, 部分解决,
    未解决) → 2 + 1 of 4 = 75%."""
    year = CongressYearFactory(year=2025)
    kinds, status = DeliberationOpinion.Kind, HandlingStatus
    _handled(year, kinds.OPINION, status.RESOLVED, cast.dept_a, reviewed=True)
    _handled(year, kinds.OPINION, status.PLANNED, cast.dept_b, reviewed=True)
    for handling in (status.RESOLVED, status.BASICALLY_RESOLVED, status.PARTIALLY_RESOLVED, status.UNRESOLVED):
        _handled(year, kinds.SUGGESTION, handling, cast.dept_a)
    return year


def test_opinions_and_suggestions_are_reported_separately_with_their_combined_share(followed_up_year):
    document = congress_survey_document(congress_survey_data(year=2025), options={})
    followup = document.sections[1].subsections[-1]

    assert followup.heading == "（一）审议意见和代表建议办理情况"
    assert followup.blocks[0].text == (
        "一是审议意见办理。审议意见2件，所提问题已经解决或基本解决的1件，部分解决或已列入计划解决的1件，"
        "合计占比100%，常委会对其中2件开展了“回头看”。"
        "二是代表建议办理。代表建议4件，所提问题已经解决或基本解决的2件，部分解决或已列入计划解决的1件，"
        "合计占比75%。"
    )


def test_follow_up_gaps_are_listed_per_kind_in_the_problems(followed_up_year):
    document = congress_survey_document(congress_survey_data(year=2025), options={})

    assert document.sections[2].subsections[0].blocks[0].text == (
        "从办理情况看，审议意见2件中，部分解决或列入计划1件；代表建议4件中，部分解决或列入计划1件，未解决1件。"
    )


def test_a_year_with_every_item_solved_has_no_follow_up_problem(cast):
    year = CongressYearFactory(year=2025)
    _handled(year, DeliberationOpinion.Kind.SUGGESTION, HandlingStatus.RESOLVED, cast.dept_a)

    document = congress_survey_document(congress_survey_data(year=2025), options={})

    assert document.sections[2].subsections == ()
    assert "代表建议1件，所提问题已经解决或基本解决的1件，部分解决或已列入计划解决的0件，合计占比100%" in (
        document.all_text()
    )


def test_the_pdf_gives_each_kinds_follow_up_figures(followed_up_year):
    document = congress_survey_document(congress_survey_data(year=2025), options={})

    text = squeeze(pdf_to_text(render_pdf("reports/pdf/congress_survey.html", {"document": document})))

    assert "审议意见2件，所提问题已经解决或基本解决的1件，部分解决或已列入计划解决的1件，合计占比100%" in text
    assert "代表建议4件，所提问题已经解决或基本解决的2件，部分解决或已列入计划解决的1件，合计占比75%" in text


# --- congress staff's wording of the drafted sections


HEADINGS = {"basic_situation": "调研工作基本情况", "achievements": "主要做法和成效", "problems": "存在的主要问题"}


def _edit(congress_year, user, section, text, *, version=0):
    """Congress staff's wording of a section (its congress name, or its heading) on the 报告稿."""
    report_draft_section_save(
        kind=ReportKind.CONGRESS_SURVEY,
        year=congress_year.year,
        department=None,
        key=HEADINGS.get(section, section),
        text=text,
        version=version,
        user=user,
    )


def _document(year=2025):
    """The report as it goes out: the data's draft with the 报告稿's edits laid over it."""
    return build_document(BuildRequest(kind=ReportKind.CONGRESS_SURVEY, year=year, department=None, options={}))


@pytest.mark.parametrize("number", range(1, len(EDITABLE) + 1))
def test_each_draft_reads_back_as_the_section_it_was_written_from(congress_year, number):
    section = congress_survey_document(congress_survey_data(year=2025), options={}).sections[number - 1]

    assert section_from_text(section, section_text(section)) == section


def test_the_report_prints_congress_staffs_wording_of_section_three_instead_of_the_draft(congress_year, cast):
    _edit(
        congress_year,
        cast.congress,
        "problems",
        "对照纲要要求，还存在一些问题。\n（一）法治意识有待进一步强化。一是重视程度不平衡。\n（三）执法检查有待改进\n多头检查。",
    )

    document = _document()
    pdf = render_pdf("reports/pdf/congress_survey.html", {"document": document})
    text = re.sub(r"—\d+—", "", squeeze(pdf_to_text(pdf)))  # the text may run over a page number

    problems = document.sections[2]
    assert [p.text for p in problems.blocks] == ["对照纲要要求，还存在一些问题。"]
    assert [s.heading for s in problems.subsections] == ["（一）法治意识有待进一步强化", "（二）执法检查有待改进"]
    assert "三、存在的主要问题对照纲要要求，还存在一些问题。（一）法治意识有待进一步强化一是重视程度不平衡。" in text
    assert "（二）执法检查有待改进多头检查。四、意见和建议" in text
    assert "部分考核指标未达到目标要求" not in text
    assert "群众反映的问题较为集中" not in text


def test_sections_not_edited_keep_their_drafts(congress_year, cast):
    _edit(congress_year, cast.congress, "basic_situation", "调研组听取了市政府的汇报。")

    document = _document()

    assert [p.text for p in document.sections[0].blocks] == ["调研组听取了市政府的汇报。"]
    assert document.sections[2].subsections[0].heading == "（一）部分考核指标未达到目标要求"


def test_a_wording_reset_to_the_draft_prints_the_draft_again(congress_year, cast):
    _edit(congress_year, cast.congress, "problems", "改写稿。")
    report_draft_section_reset(
        kind=ReportKind.CONGRESS_SURVEY, year=2025, department=None, key="存在的主要问题", version=1, user=cast.congress
    )

    document = _document()

    assert document.sections[2].subsections[0].heading == "（一）部分考核指标未达到目标要求"


def test_markup_in_the_wording_is_printed_as_inert_text(congress_year, cast):
    _edit(congress_year, cast.congress, "problems", '<script>alert("x")</script><img src="file:///etc/passwd">')
    document = _document()

    text = squeeze(pdf_to_text(render_pdf("reports/pdf/congress_survey.html", {"document": document})))

    assert '<script>alert("x")</script><imgsrc="file:///etc/passwd">' in text


def test_the_final_edition_carries_the_edited_wording_and_freezes_it(
    congress_year, cast, django_capture_on_commit_callbacks
):
    _edit(congress_year, cast.congress, "problems", "（一）审议意见落实的时效性有待提高\n有的部门回应不及时。")

    with django_capture_on_commit_callbacks(execute=True):  # the task runs in-process, as without a broker
        run = services.report_run_request(
            kind=ReportKind.CONGRESS_SURVEY, year=2025, department=None, user=cast.congress
        )
    run.refresh_from_db()
    # The test city has units without returns: the 报告体检 lists them and the office accepts it.
    assert {item["kind"] for item in run.health_items} == {"coverage"}
    for item in run.health_items:
        services.report_run_acknowledge(run=run, key=item["key"], reason="其余单位不参加本年度考核", user=cast.congress)
    services.report_run_mark_final(run=run, user=cast.congress)

    with run.file.open("rb") as stored:
        text = squeeze(pdf_to_text(stored.read()))
    assert "三、存在的主要问题（一）审议意见落实的时效性有待提高有的部门回应不及时。" in text
    with pytest.raises(ValidationError, match="已定稿"):
        _edit(congress_year, cast.congress, "problems", "改。", version=1)


def test_the_recommendations_section_is_not_rewritten_on_the_draft(congress_year, cast):
    with pytest.raises(ValidationError, match="不在报告稿中修改"):
        _edit(congress_year, cast.congress, "意见和建议", "改。")


def test_a_year_finalised_in_the_congress_module_freezes_the_wording(congress_year, cast):
    congress_year_finalise(congress_year=congress_year, user=cast.congress)

    with pytest.raises(ValidationError, match="年度概况页取消定稿"):
        _edit(congress_year, cast.congress, "problems", "改。")


def test_the_old_congress_address_of_a_section_leads_to_its_draft_page(congress_year, cast, client):
    client.force_login(cast.congress)

    response = client.get(reverse("congress:report_text_edit", args=[2025, "problems"]))

    assert response["Location"] == reverse("reports:draft_section_edit", args=["congress_survey", 2025, 0, 3])


def _sign(cast, signed_on):
    from reports.draft_services import report_draft_save

    report_draft_save(
        kind=ReportKind.CONGRESS_SURVEY,
        year=2025,
        department=None,
        signed_on=signed_on,
        document_number="",
        attachment_note="",
        version=0,
        user=cast.congress,
    )


def test_overdue_follow_ups_are_counted_on_the_signing_date_not_the_day_of_generation(congress_year, cast):
    import datetime

    _sign(cast, datetime.date(2026, 1, 10))  # after the assignment's deadline of 2025年6月30日

    text = congress_survey_document(congress_survey_data(year=2025), options={}).all_text()

    assert "截至2026年1月10日，逾期未答复的交办事项1件" in text
    assert f"截至{date_text(timezone.localdate())}" not in text


def test_the_built_report_counts_overdue_follow_ups_on_its_signing_date(congress_year, cast):
    import datetime

    _sign(cast, datetime.date(2026, 1, 10))

    text = build_document(BuildRequest(kind=ReportKind.CONGRESS_SURVEY, year=2025, department=None, options={}))

    assert "截至2026年1月10日，逾期未答复的交办事项1件" in text.all_text()


def test_building_the_report_reads_its_draft_once(congress_year, cast):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _sign(cast, datetime.date(2026, 1, 10))

    with CaptureQueriesContext(connection) as queries:
        build_document(BuildRequest(kind=ReportKind.CONGRESS_SURVEY, year=2025, department=None, options={}))

    assert sum('FROM "reports_reportdraft" ' in query["sql"] for query in queries.captured_queries) == 1


def test_a_report_signed_before_a_deadline_counts_nothing_overdue_after_it(congress_year, cast):
    import datetime

    _sign(cast, datetime.date(2025, 6, 1))  # the assignment is due on 2025年6月30日

    text = congress_survey_document(congress_survey_data(year=2025), options={}).all_text()

    assert "逾期未答复" not in text

import pytest

from assessments.models import AnnualReturn, IndicatorValue, NarrativeSection
from indicators.models import Area, Group, Indicator, ScoringRule, ValueType
from reports.kinds import ReportDataMissing
from reports.kinds.department_annual import department_report_data, department_report_document
from reports.pdf import AllowListURLFetcher, render_pdf

from .builders import HOSTILE, annual_return, framework, two_years_for
from .pdf_text import embedded_files, embedded_images, pdf_to_text, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(cast):
    two_years_for(cast.dept_a)
    data = department_report_data(department=cast.dept_a, year=2025)
    return department_report_document(data, options={})


def test_the_selector_reads_everything_in_a_bounded_number_of_queries(cast, django_assert_max_num_queries):
    two_years_for(cast.dept_a)

    with django_assert_max_num_queries(12):
        data = department_report_data(department=cast.dept_a, year=2025)
        department_report_document(data, options={"has_cover": True})


def test_the_title_and_addressee_follow_the_official_form(report):
    assert report.title == "测试市甲局关于2025年度法治政府建设情况的报告"
    assert report.title_lines == ("测试市甲局", "关于2025年度法治政府建设情况的报告")
    assert report.addressee == "测试市人民政府："


def test_the_five_sections_of_the_2019_rules_are_there_in_order(report):
    assert [s.heading for s in report.sections] == [
        "一、2025年度推进法治政府建设的主要举措和成效",
        "二、存在的不足和原因",
        "三、党政主要负责人履行推进法治建设第一责任人职责情况",
        "四、2026年度推进法治政府建设的主要安排",
        "五、其他需要报告的情况",
    ]


def test_figures_are_written_into_sentences_with_year_over_year_changes(report):
    measures = report.sections[0]
    assert measures.subsections[0].heading == "（一）社会矛盾纠纷依法有效化解"
    text = measures.subsections[0].blocks[0].text
    assert "全年办理行政复议案件71件，较上年增加8件，增长12.7%" in text
    # 99.13% misses the 100% target: a shortfall, never an achievement; 0/0 cases says nothing.
    assert "出庭应诉率" not in text
    assert "行政诉讼" not in text
    assert "0%" not in text


def test_the_departments_narrative_opens_its_section(report):
    measures = report.sections[0]
    assert [p.text for p in measures.blocks] == ["本年度我局扎实推进依法行政。", "全面落实行政执法三项制度。"]
    assert report.sections[2].blocks[0].text == "主要负责人带头学法，专题研究法治建设4次。"


def _with_an_enforcement_area(cast, *, measures: str, inspection_text: str = ""):
    """The test framework plus an area 行政执法 whose one indicator is free text (added before any
    return is filed: a filed framework's tree is locked)."""
    framework(2024)
    fw = framework(2025)
    area = Area.objects.create(framework=fw, code="E", name="行政执法", max_points=10, order=2)
    group = Group.objects.create(area=area, code="E4", name="执法规范", max_points=10, order=1)
    indicator = Indicator.objects.create(
        framework=fw, group=group, code="E4.9", name="涉企行政检查规范（检查计划公开、频次控制）",
        value_type=ValueType.TEXT, max_points=2, scoring_rule=ScoringRule.ALL_OR_NOTHING,
    )  # fmt: skip
    annual_return = two_years_for(cast.dept_a, narratives={NarrativeSection.Kind.MEASURES: measures})
    if inspection_text:
        IndicatorValue.objects.create(annual_return=annual_return, indicator=indicator, value_text=inspection_text)
    return department_report_document(department_report_data(department=cast.dept_a, year=2025), options={})


def test_each_area_carries_the_departments_narrative_for_it_before_its_figures(cast):
    document = _with_an_enforcement_area(
        cast,
        measures="本年度我局扎实推进依法行政。\n（一）社会矛盾纠纷依法有效化解\n畅通行政复议渠道。\n（二）行政执法\n全面推行三项制度。",
    )

    measures = document.sections[0]
    assert [p.text for p in measures.blocks] == ["本年度我局扎实推进依法行政。"]
    disputes, enforcement = measures.subsections
    assert disputes.heading == "（一）社会矛盾纠纷依法有效化解"
    assert disputes.blocks[0].text == "畅通行政复议渠道。"
    assert disputes.blocks[1].text.startswith("全年办理行政复议案件71件，较上年增加8件，增长12.7%")
    assert enforcement.heading == "（二）行政执法"
    assert [p.text for p in enforcement.blocks] == ["全面推行三项制度。"]


def test_an_areas_free_text_answer_is_part_of_its_narrative(cast):
    document = _with_an_enforcement_area(cast, measures="扎实推进依法行政。", inspection_text="年度检查计划已公开。")

    enforcement = document.sections[0].subsections[1]
    assert enforcement.heading == "（二）行政执法"
    assert [p.text for p in enforcement.blocks] == ["涉企行政检查规范：年度检查计划已公开。"]


def test_an_area_with_neither_narrative_nor_figures_is_left_out(cast):
    document = _with_an_enforcement_area(cast, measures="扎实推进依法行政。")

    assert [s.heading for s in document.sections[0].subsections] == ["（一）社会矛盾纠纷依法有效化解"]


def test_the_preview_suggests_area_headings_when_the_narrative_has_none(cast):
    document = _with_an_enforcement_area(cast, measures="扎实推进依法行政。")

    assert any("以领域名称单独成行作小标题" in note for note in document.notes)


def test_no_suggestion_once_the_narrative_is_written_by_area(cast):
    document = _with_an_enforcement_area(cast, measures="（二）行政执法\n全面推行三项制度。")

    assert not any("以领域名称单独成行" in note for note in document.notes)


def test_the_pdf_puts_each_areas_narrative_under_its_heading(cast):
    document = _with_an_enforcement_area(
        cast, measures="（一）社会矛盾纠纷依法有效化解\n畅通行政复议渠道。\n（二）行政执法\n全面推行三项制度。"
    )

    text = squeeze(pdf_to_text(render_pdf("reports/pdf/department_annual.html", {"document": document})))

    assert "（一）社会矛盾纠纷依法有效化解畅通行政复议渠道。全年办理行政复议案件71件" in text
    assert "（二）行政执法全面推行三项制度。" in text


def test_indicators_below_target_are_listed_factually(report):
    shortcomings = [p.text for p in report.sections[1].blocks]
    assert shortcomings[0] == "执法人员法治培训仍需加强。"
    assert shortcomings[1] == "对照年度考核指标，仍有一些指标未达到目标要求或较上年有所下降，主要是："
    assert shortcomings[2] == (
        "一是社会矛盾纠纷依法有效化解方面，行政机关负责人出庭应诉率为99.13%，较上年提高5.27个百分点，但仍低于100%的目标。"
    )


def test_an_empty_section_is_marked_rather_than_left_out(report):
    assert report.sections[4].blocks[0].text == "无。"


def test_the_appendix_table_has_value_last_year_change_target_and_status(report):
    table = report.appendices[0].blocks[0]
    assert [c.label for c in table.columns] == ["序号", "指标", "2025年", "2024年", "变化", "目标", "完成情况"]
    assert table.rows[0] == ("1", "办理行政复议案件数", "71件", "63件", "增长12.7%", "—", "—")
    assert table.rows[1] == (
        "2", "行政机关负责人出庭应诉率", "99.13%\n（114/115）", "93.86%", "提高5.27个\n百分点", "≥100%", "未达标",
    )  # fmt: skip
    assert table.rows[2][2] == "无此类事项"


def test_the_date_is_the_submission_date_so_regeneration_gives_the_same_text(report):
    assert report.date_text == "2026年2月20日"


def test_a_year_without_a_published_framework_cannot_be_reported(cast):
    with pytest.raises(ReportDataMissing, match="2025年度指标体系尚未发布"):
        department_report_data(department=cast.dept_a, year=2025)


def test_a_department_without_a_return_cannot_be_reported(cast):
    framework(2025)

    with pytest.raises(ReportDataMissing, match="测试市甲局尚无2025年度填报"):
        department_report_data(department=cast.dept_a, year=2025)


def test_without_last_year_there_is_no_change_clause(cast):
    annual_return(cast.dept_a, framework(2025), G2_1=71)

    document = department_report_document(department_report_data(department=cast.dept_a, year=2025), options={})

    assert "全年办理行政复议案件71件。" in document.sections[0].subsections[0].blocks[0].text


def test_an_unsubmitted_return_is_flagged_in_the_preview(cast):
    annual_return(cast.dept_a, framework(2025), status=AnnualReturn.Status.IN_PROGRESS, G2_1=3)

    document = department_report_document(department_report_data(department=cast.dept_a, year=2025), options={})

    assert "尚未提交" in document.notes[0]


def test_the_pdf_carries_the_figures_and_the_narrative_as_text(report):
    text = squeeze(pdf_to_text(render_pdf("reports/pdf/department_annual.html", {"document": report})))

    assert "测试市甲局关于2025年度法治政府建设情况的报告" in text
    assert "全年办理行政复议案件71件，较上年增加8件，增长12.7%" in text
    assert "行政机关负责人出庭应诉率为99.13%，较上年提高5.27个百分点，但仍低于100%的目标" in text
    assert "99.13%（114/115）" in text
    assert "提高5.27个百分点" in text


def test_a_hostile_narrative_is_inert_text_in_the_pdf(cast):
    two_years_for(cast.dept_a, narratives={NarrativeSection.Kind.MEASURES: HOSTILE})
    document = department_report_document(department_report_data(department=cast.dept_a, year=2025), options={})

    fetcher = AllowListURLFetcher()

    pdf = render_pdf("reports/pdf/department_annual.html", {"document": document}, fetcher=fetcher)

    text = squeeze(pdf_to_text(pdf, raw=True))
    assert '<script>alert("x")</script>' in text
    assert '<arel="attachment"href="file:///etc/passwd">附件</a>' in text
    assert fetcher.refused == []  # nothing of the narrative was read as a URL
    assert embedded_files(pdf) == []
    assert embedded_images(pdf) == []


def test_the_word_file_has_the_same_words(report):
    import io

    import docx

    from reports.docx_writer import document_to_docx

    paragraphs = [p.text for p in docx.Document(io.BytesIO(document_to_docx(report))).paragraphs]

    assert "二、存在的不足和原因" in paragraphs
    assert any("行政机关负责人出庭应诉率为99.13%，较上年提高5.27个百分点" in p for p in paragraphs)


def test_a_published_score_appears_with_its_breakdown(cast):
    import datetime

    from django.utils import timezone

    from reviews.models import Publication, ScoreSheet

    two_years_for(cast.dept_a)
    fw = framework_2025()
    ScoreSheet.objects.create(
        department=cast.dept_a, year=2025, framework=fw, department_kind=cast.dept_a.kind, earned=18,
        applicable_max=20, base_score=90, bonus=1, deductions=0, total=91, grade="excellent", fingerprint="x",
        computed_at=timezone.now(), rank_in_kind=2,
        breakdown={"areas": [{"name": "社会矛盾纠纷依法有效化解", "points": "18.00", "applicable_max": "20.00"}]},
    )  # fmt: skip
    Publication.objects.create(
        year=2025, appeal_deadline=datetime.date(2026, 3, 20), published_by=cast.reviewer, is_ranking_public=True
    )

    document = department_report_document(department_report_data(department=cast.dept_a, year=2025), options={})

    assert "考核得分91.00分，等次为优秀，在同类单位中排名第2位（初步结果）" in document.sections[4].blocks[-1].text
    table = document.appendices[1].blocks[0]
    assert table.rows[0] == ("社会矛盾纠纷依法有效化解", "20.00", "18.00")
    assert table.rows[-1] == ("总分", "—", "91.00")


def test_no_score_is_shown_before_publication(report):
    assert [a.title for a in report.appendices] == ["主要指标完成情况"]
    assert "考核得分" not in report.all_text()


def framework_2025():
    from indicators.models import IndicatorFramework

    return IndicatorFramework.objects.get(year=2025)

import pytest

from reports.kinds import ReportDataMissing
from reports.kinds.results_notice import results_notice_data, results_notice_document
from reports.pdf import render_pdf
from reviews.models import Publication, ScoreSheet

from .pdf_text import pdf_to_text, squeeze

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(published_year):
    return results_notice_data(year=published_year)


@pytest.fixture
def ranked(published_year):
    """The same results with the ranking made public by the bureau."""
    Publication.objects.filter(year=published_year).update(is_ranking_public=True)
    return results_notice_data(year=published_year)


def test_units_are_grouped_by_kind_and_grade(published):
    document = results_notice_document(published, options={})

    results = {s.heading: [p.text for p in s.blocks] for s in document.sections[1].subsections}
    assert results["（二）市直及区县政府工作部门"] == [
        "优秀等次（1个）：测试市甲局。",
        "良好等次（1个）：测试市司法局。",
    ]
    assert (
        "因存在一票否决情形，测试县乙镇人民政府年度考核确定为不合格等次。"
        in results["（三）乡镇人民政府（街道办事处）"]
    )


def test_the_opening_counts_units_by_grade_and_says_the_results_are_preliminary(published):
    text = results_notice_document(published, options={}).sections[0].blocks[0].text

    assert "共有4个单位参加考核，其中优秀1个、良好2个、不合格1个" in text
    assert "初步结果（异议期至2026年3月20日）" in text


def test_a_public_ranking_table_lists_rank_total_and_grade(ranked):
    document = results_notice_document(ranked, options={})
    table = document.appendices[0].blocks[1]

    assert document.appendices[0].title == "2025年度法治政府建设考核得分及排名"
    assert table.rows[0][:4] == ("1", "测试市甲局", "92.50", "优秀")
    assert table.rows[1][:4] == ("2", "测试市司法局", "85.00", "良好")


def test_without_a_public_ranking_the_table_gives_grades_only_in_unit_order(published):
    document = results_notice_document(published, options={})
    table = document.appendices[0].blocks[1]

    assert document.appendices[0].title == "2025年度法治政府建设考核等次"
    assert [c.label for c in table.columns] == ["序号", "单位", "等次"]
    assert table.rows == (("1", "测试市司法局", "良好"), ("2", "测试市甲局", "优秀"))


def test_without_a_public_ranking_no_score_or_rank_appears_anywhere(published):
    text = results_notice_document(published, options={}).all_text()

    for score in ("92.50", "85.00", "88.00", "70.00"):
        assert score not in text
    assert "排名" not in text.replace("不公布各单位得分和排名", "")
    assert "本年度考核结果按等次公布，不公布各单位得分和排名。" in text


def test_without_a_public_ranking_names_within_a_grade_are_in_unit_order(cast, published_year):
    ScoreSheet.objects.filter(department=cast.justice_bureau).update(grade="excellent", total=99)

    document = results_notice_document(results_notice_data(year=published_year), options={})

    results = {s.heading: [p.text for p in s.blocks] for s in document.sections[1].subsections}
    assert results["（二）市直及区县政府工作部门"] == ["优秀等次（2个）：测试市司法局、测试市甲局。"]


def test_the_pdf_without_a_public_ranking_shows_no_scores(published):
    pdf = render_pdf("reports/pdf/results_notice.html", {"document": results_notice_document(published, options={})})

    text = squeeze(pdf_to_text(pdf))
    assert "优秀等次（1个）：测试市甲局。" in text
    assert "92.50" not in text
    assert "考核得分及排名" not in text


def test_no_notice_before_the_results_are_published(cast):
    with pytest.raises(ReportDataMissing, match="2025年度考核结果尚未公示"):
        results_notice_data(year=2025)


def test_the_selector_runs_a_bounded_number_of_queries(published, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        results_notice_data(year=2025)

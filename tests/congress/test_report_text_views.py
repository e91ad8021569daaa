import pytest
from django.urls import reverse

from congress.models import ReportSectionText
from congress.services.report_text import report_section_text_save

from .factories import AssignmentFactory, CongressYearFactory

pytestmark = pytest.mark.django_db

DRAFT = "从办理情况看，代表建议1件中，尚未答复1件。"


@pytest.fixture
def year(cast):
    """One suggestion for 甲局, unanswered and past its deadline: section 三 has a draft."""
    year = CongressYearFactory(year=2025)
    AssignmentFactory(opinion__congress_year=year, department=cast.dept_a)
    return year


def _url(section="problems", name="congress:report_text_edit"):
    return reverse(name, kwargs={"year": 2025, "section": section})


def test_the_editing_page_is_prefilled_with_the_draft_written_from_the_data(year, cast, client):
    client.force_login(cast.congress)

    page = client.get(_url()).content.decode()

    assert "（一）审议意见和代表建议办理落实还不到位\n" + DRAFT in page
    assert "系统生成稿" in page


def test_saving_through_the_page_stores_the_wording_and_the_page_then_shows_it(year, cast, client):
    client.force_login(cast.congress)

    response = client.post(_url(), {"text": "（一）办理质效有待提高\n有的部门回应不及时。", "version": 0})
    page = client.get(_url()).content.decode()

    assert response.url == _url()
    assert ReportSectionText.objects.get().text == "（一）办理质效有待提高\n有的部门回应不及时。"
    assert "已保存“存在的主要问题”，调研报告将使用修改后的文字。" in page
    assert ">（一）办理质效有待提高\n有的部门回应不及时。</textarea>" in page
    assert DRAFT in page  # the current draft stays beside it for comparison


def test_an_empty_text_gets_a_chinese_error_and_nothing_is_stored(year, cast, client):
    client.force_login(cast.congress)

    response = client.post(_url(), {"text": "  ", "version": 0})

    assert response.status_code == 200
    assert "请填写内容；如需使用系统生成稿，请点击“恢复系统生成稿”。" in response.content.decode()
    assert not ReportSectionText.objects.exists()


def test_a_missing_version_asks_for_a_refresh(year, cast, client):
    client.force_login(cast.congress)

    response = client.post(_url(), {"text": "正文。"})

    assert "页面已过期，请刷新后再提交。" in response.content.decode()
    assert not ReportSectionText.objects.exists()


def test_a_finalised_year_shows_the_text_read_only_and_refuses_a_post_keeping_what_was_typed(year, cast, client):
    client.force_login(cast.congress)
    client.post(reverse("congress:year_finalise", kwargs={"year": 2025}))

    page = client.get(_url()).content.decode()
    response = client.post(_url(), {"text": "定稿后才想到的修改。", "version": 0})

    assert " readonly>" in page and ">保存</button>" not in page
    assert "该年度调研报告已定稿，报告正文不能再修改。如需修改，请先取消定稿。" in response.content.decode()
    assert "定稿后才想到的修改。</textarea>" in response.content.decode()
    assert not ReportSectionText.objects.exists()


def test_an_unknown_section_answers_404(year, cast, client):
    client.force_login(cast.congress)

    assert client.get(_url("recommendations")).status_code == 404


def test_the_reset_button_brings_the_draft_back(year, cast, client):
    report_section_text_save(congress_year=year, section="problems", text="改写稿。", version=0, user=cast.congress)
    client.force_login(cast.congress)

    client.post(_url(name="congress:report_text_reset"), {"version": 1})
    page = client.get(_url()).content.decode()

    assert "已恢复为系统生成稿" in page
    assert ReportSectionText.objects.get().text == ""
    assert ">（一）审议意见和代表建议办理落实还不到位\n" + DRAFT in page


def test_a_reset_from_a_stale_page_is_refused_with_a_message(year, cast, client):
    report_section_text_save(congress_year=year, section="problems", text="改写稿。", version=0, user=cast.congress)
    client.force_login(cast.congress)

    client.post(_url(name="congress:report_text_reset"), {"version": "x"})
    page = client.get(_url()).content.decode()

    assert "该部分已被他人修改，请刷新页面查看最新内容后再提交。" in page
    assert ReportSectionText.objects.get().text == "改写稿。"


def test_the_year_page_lists_the_editable_sections_with_their_state(year, cast, client):
    report_section_text_save(congress_year=year, section="problems", text="改写稿。", version=0, user=cast.congress)
    client.force_login(cast.congress)

    page = client.get(reverse("congress:year_detail", kwargs={"year": 2025})).content.decode()

    assert page.count("系统生成稿</span>") == 2
    assert page.count("已修改</span>") == 1
    assert _url("basic_situation") in page and _url("achievements") in page and _url() in page

"""报告体检 (reports.health): each check class is listed when planted, and 定稿 is refused until
every item is fixed or acknowledged with a reason (audited)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from reports import health
from reports.document import Paragraph, ReportDocument, Section
from reports.kinds.department_annual import department_report_data, department_report_document
from reports.kinds.government_annual import government_report_data, government_report_document
from reports.models import ReportHealthAcknowledgement, ReportKind
from reports.services import report_run_acknowledge, report_run_mark_final

from .builders import annual_return, done_run, framework, two_years_for


def document(*texts, date_text="2025年2月11日", facts=None, achievements=()) -> ReportDocument:
    return ReportDocument(
        title="测试报告",
        sections=(
            Section("一、2024年度推进法治政府建设的主要举措和成效", blocks=tuple(Paragraph(t) for t in achievements)),
            Section("二、存在的不足和原因", blocks=tuple(Paragraph(t) for t in texts)),
        ),
        date_text=date_text,
        facts=facts,
    )


def kinds(doc, **given) -> set[str]:
    items = health.check(
        health.HealthInput(document=doc, year=2024, signed_on=health.parse_date(doc.date_text), **given)
    )
    return {item.kind for item in items}


def test_a_clean_draft_has_no_items():
    assert kinds(document("执法人员法治培训仍需加强。")) == set()


def test_a_contradiction_between_figures_is_listed():
    facts = health.ReportFacts(contradictions=(health.Contradiction("持证执法人员数不能多于执法人员数", ("E3.1",)),))
    assert kinds(document(facts=facts)) == {"contradiction"}


def test_a_deadline_ahead_is_not_a_date_fault_but_an_as_of_date_is():
    doc = document("异议期至2025年6月30日，整改于2025年12月31日前完成。截至2025年3月2日，已办结。")
    items = health.check(health.HealthInput(document=doc, year=2024, signed_on=datetime.date(2025, 2, 11)))
    assert [item.key for item in items] == ["date:2025-03-02"]


def test_a_date_after_the_signing_date_is_listed():
    doc = document("年度报告于2025年3月4日报送，于2025年1月17日向社会公开。")
    items = health.check(health.HealthInput(document=doc, year=2024, signed_on=datetime.date(2025, 2, 11)))
    assert [item.kind for item in items] == ["date"]
    assert "2025年3月4日晚于成文日期2025年2月11日" in items[0].message


def test_missing_units_are_listed_and_so_is_a_text_that_does_not_say_so():
    facts = health.ReportFacts(reporting_units=("甲局",), missing_units=("乙镇", "丙局"))
    items = health.check(health.HealthInput(document=document(facts=facts), year=2024))
    assert [item.kind for item in items] == ["coverage", "coverage"]
    assert "3个单位中有2个单位的年度数据未计入：乙镇、丙局" in items[0].message
    stated = document("本报告所列数据涵盖已报送年度情况的1个单位，另有2个单位尚未报送，未计入。", facts=facts)
    assert len(health.check(health.HealthInput(document=stated, year=2024))) == 1


def test_last_years_figure_differing_from_last_years_report_is_listed():
    facts = health.ReportFacts(figures=(health.FigureFact("A1.1", "专题研究次数", "98次", "46次"),))
    doc = document(facts=facts)
    assert kinds(doc, published_last_year={"A1.1": "98次"}) == {"base"}
    assert kinds(doc, published_last_year={"A1.1": "46次"}) == set()


def test_differences_from_last_years_report_are_one_item():
    facts = health.ReportFacts(
        figures=tuple(health.FigureFact(f"A{n}", f"指标{n}", "9次", f"{n}次") for n in range(1, 30))
    )
    published = {f"A{n}": f"{n * 2}次" for n in range(1, 30)}
    items = health.check(health.HealthInput(document=document(facts=facts), year=2025, published_last_year=published))
    assert len(items) == 1
    assert items[0].message.startswith(
        "29项指标的2024年数据与2024年度报告所列不一致（如指标1本报告为1次，上年度报告为2次"
    )


def test_a_target_no_unit_met_is_listed():
    facts = health.ReportFacts(targets_no_unit_met=(health.FigureFact("J1.2", "营商环境满意度", "20个单位均未达到"),))
    assert kinds(document(facts=facts)) == {"target"}


def test_editorial_faults_in_the_text_are_listed():
    doc = document("全年无应参考人。", achievements=("全年举办依法行政专题培训27期，较上年减少15期。",))
    items = health.check(health.HealthInput(document=doc, year=2024))
    assert {item.kind for item in items} == {"wording"}
    assert any("下降写在了" in item.message for item in items)


def narrative_messages(*texts: str, figures: tuple) -> list[str]:
    facts = health.ReportFacts(figures=figures, narratives=texts)
    return [item.message for item in health.check(health.HealthInput(document=document(facts=facts), year=2025))]


REVIEWED = health.FigureFact("C2.1", "行政规范性文件合法性审核率", "99.08%")
CASES = health.FigureFact("G1.5", "办理行政复议案件数", "71件")


def test_the_units_text_saying_all_of_a_rate_below_100_percent_is_listed():
    [message] = narrative_messages("（二）制度建设：行政规范性文件全部经合法性审核并按时报备。", figures=(REVIEWED,))
    assert message.startswith("单位填写的文字“行政规范性文件全部经合法性审核并按时报备”称“全部”")
    assert "行政规范性文件合法性审核率为99.08%" in message


def test_the_units_text_giving_another_number_than_the_figure_is_listed():
    [message] = narrative_messages("全年办理行政复议案件70件，均在法定期限内审结。", figures=(CASES,))
    assert "写的是70件" in message and "办理行政复议案件数为71件" in message


@pytest.mark.parametrize(
    "text",
    [
        "全年办理行政复议案件71件。",  # the figure itself
        "行政规范性文件合法性审核率达99.1%。",  # the figure at the precision it is said with
        "执法人员均参加了年度培训。",  # about something else
        "行政规范性文件合法性审核工作扎实推进。",  # no universal
    ],
)
def test_text_that_agrees_with_the_figures_or_is_about_something_else_is_not_listed(text):
    assert narrative_messages(text, figures=(REVIEWED, CASES)) == []


def _subject_end_by_search(subject: str, sentence: str) -> int:
    """The mention search as first written: every run length tried at every position."""
    covered, end, i = 0, -1, 0
    while i < len(subject):
        longest = 0
        for j in range(len(subject), i + health.SUBJECT_RUN - 1, -1):
            found = sentence.find(subject[i:j])
            if found >= 0:
                longest, end = j - i, max(end, found + j - i)
                break
        covered += longest
        i += longest or 1
    return end if subject and covered / len(subject) >= health.SUBJECT_SHARE else -1


def test_a_mention_is_found_where_a_search_of_every_run_finds_it():
    sentences = [
        "规范性文件全部经合法性审核并按时报备",
        "全年办理行政复议案件70件，均在法定期限内审结",
        "行政机关负责人出庭应诉率达到100%，执法人员全部持证上岗",
        "审核审核审核行政规范性文件合法性审核",
        "",
        "行政",
    ]
    subjects = ["行政规范性文件合法性审核", "办理行政复议案件", "行政机关负责人出庭应诉", "执法人员", "审核"]
    subjects.append("行政复议")

    for sentence in sentences:
        for subject in subjects:
            assert health._subject_end(subject, sentence) == _subject_end_by_search(subject, sentence)
    assert health._subject_end("行政规范性文件合法性审核", sentences[0]) == len("规范性文件全部经合法性审核")


def test_a_departments_draft_checks_its_narrative_against_its_figures(cast):
    two_years_for(cast.dept_a, narratives={"measures": "全年办理行政复议案件70件。行政机关负责人全部出庭应诉。"})
    document_ = department_report_document(department_report_data(department=cast.dept_a, year=2025), options={})
    items = [
        item for item in health.check(health.HealthInput(document=document_, year=2025)) if item.kind == "narrative"
    ]
    assert [item.target for item in items] == ["G2.1", "G2.2"]
    assert "行政机关负责人出庭应诉率为99.13%" in items[1].message


# --- on a run -----------------------------------------------------------------------------------

ITEM = {"key": "coverage:x", "kind": "coverage", "message": "20个单位中有10个单位的年度数据未计入。", "target": ""}


@pytest.fixture
def run(cast):
    return done_run(None, user=cast.admin, kind=ReportKind.CONGRESS_SURVEY, health_items=[ITEM])


def test_final_is_refused_while_an_item_is_open(cast, run):
    with pytest.raises(ValidationError, match="报告体检还有1项未处理"):
        report_run_mark_final(run=run, user=cast.congress)


def test_an_acknowledgement_needs_a_reason(cast, run):
    with pytest.raises(ValidationError, match="请说明理由"):
        report_run_acknowledge(run=run, key="coverage:x", reason=" ", user=cast.congress)


def test_an_acknowledged_item_lets_the_report_be_final_and_is_audited(cast, run):
    report_run_acknowledge(run=run, key="coverage:x", reason="其余单位已撤并，无需报送", user=cast.congress)

    report_run_mark_final(run=run, user=cast.congress)

    run.refresh_from_db()
    assert run.is_final
    [event] = [e for e in AuditEvent.objects.filter(object_id=str(run.pk)) if "理由" in (e.after or {})]
    assert event.after["理由"] == "其余单位已撤并，无需报送"
    assert event.actor_username == "congress"


def test_an_acknowledgement_carries_to_a_regenerated_edition_with_the_same_finding(cast, run):
    report_run_acknowledge(run=run, key="coverage:x", reason="其余单位已撤并", user=cast.congress)
    again = done_run(None, user=cast.admin, kind=ReportKind.CONGRESS_SURVEY, edition=2, health_items=[ITEM])
    changed = dict(ITEM, message="20个单位中有11个单位的年度数据未计入。")
    other = done_run(None, user=cast.admin, kind=ReportKind.CONGRESS_SURVEY, edition=3, health_items=[changed])

    report_run_mark_final(run=again, user=cast.congress)
    assert ReportHealthAcknowledgement.objects.count() == 1
    with pytest.raises(ValidationError):
        report_run_mark_final(run=other, user=cast.admin)


def test_someone_who_may_not_finalize_may_not_acknowledge(cast, run):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        report_run_acknowledge(run=run, key="coverage:x", reason="理由理由", user=cast.reviewer)


def test_the_run_page_lists_the_items_in_chinese_with_a_link(client, cast, run):
    client.force_login(cast.congress)
    page = client.get(reverse("reports:run_detail", args=[run.pk])).content.decode()
    assert "报告体检（1项，未处理1项）" in page
    assert "覆盖范围" in page and "20个单位中有10个单位的年度数据未计入" in page
    assert "查看并修正" in page


def test_a_blank_reason_is_shown_on_the_page_and_nothing_is_recorded(client, cast, run):
    client.force_login(cast.congress)
    response = client.post(
        reverse("reports:run_health_acknowledge", args=[run.pk]), {"key": "coverage:x", "reason": ""}
    )
    assert response.status_code == 422
    assert "请说明理由" in response.content.decode()
    assert not ReportHealthAcknowledgement.objects.exists()


def test_a_short_reason_keeps_what_was_typed(client, cast, run):
    client.force_login(cast.congress)
    response = client.post(
        reverse("reports:run_health_acknowledge", args=[run.pk]), {"key": "coverage:x", "reason": "撤并"}
    )
    assert response.status_code == 422
    assert 'value="撤并"' in response.content.decode()


# --- from the data ------------------------------------------------------------------------------


def test_the_government_draft_names_the_units_whose_returns_are_missing(cast):
    two_years_for(cast.dept_a)
    data = government_report_data(government=cast.city, year=2025)
    doc = government_report_document(data, options={})
    items = health.check(health.HealthInput(document=doc, year=2025))
    coverage = [item for item in items if item.kind == "coverage"]
    assert coverage and "测试县乙镇人民政府" in coverage[0].message
    assert "尚未报送，未计入" in doc.opening[0].text


def test_a_relation_the_returns_break_is_a_contradiction(cast):
    from indicators.models import ValidationRule

    fw = framework(2025)
    ValidationRule.objects.create(
        framework=fw,
        code="R1",
        expression="G2.2.num <= G2.1",
        message="负责人出庭案件数不能多于行政复议案件数",
        is_relation=True,
    )
    annual_return(cast.dept_a, fw, G2_1=3, G2_2=(9, 10), G2_3=(0, 5))
    from reports.kinds.department_annual import department_report_data, department_report_document

    doc = department_report_document(department_report_data(department=cast.dept_a, year=2025), options={})
    items = health.check(health.HealthInput(document=doc, year=2025))
    assert [item.message for item in items if item.kind == "contradiction"] == [
        "负责人出庭案件数不能多于行政复议案件数"
    ]


def _branch_contradictions(cast, dept_b_values) -> list[str]:
    from indicators.models import ValidationRule

    fw = framework(2025)
    ValidationRule.objects.create(
        framework=fw, code="R2", expression="G2.3.den == G2.2.den", message="两项比率的案件数应一致", is_relation=True
    )
    annual_return(cast.dept_a, fw, G2_1=71, G2_2=(114, 115), G2_3=(100, 115))
    annual_return(cast.dept_b, fw, G2_1=5, **dept_b_values)
    data = government_report_data(government=cast.city, year=2025)
    return [c.message for c in data.contradictions]


def test_branch_totals_over_different_units_are_no_contradiction(cast):
    assert _branch_contradictions(cast, {"G2_2": (5, 5)}) == []  # dept_b has no G2.3: the totals differ


def test_branch_totals_over_the_same_units_that_break_a_relation_are_a_contradiction(cast):
    assert _branch_contradictions(cast, {"G2_2": (5, 5), "G2_3": (1, 4)}) == ["两项比率的案件数应一致"]


# --- the department's own report ----------------------------------------------------------------

DATE_ITEM = {
    "key": "date:2025-03-04",
    "kind": "date",
    "message": "2025年3月4日晚于成文日期2025年2月11日。",
    "target": "",
}


@pytest.fixture
def department_run(cast):
    return done_run(cast.dept_a, user=cast.staff_a, kind=ReportKind.DEPARTMENT_ANNUAL, health_items=[DATE_ITEM])


def test_the_unit_finalises_its_own_report_once_its_health_items_are_handled(cast, department_run):
    with pytest.raises(ValidationError, match="报告体检还有1项未处理"):
        report_run_mark_final(run=department_run, user=cast.staff_a)
    report_run_acknowledge(run=department_run, key=DATE_ITEM["key"], reason="报送日期系笔误，已核实", user=cast.staff_a)
    report_run_mark_final(run=department_run, user=cast.staff_a)
    department_run.refresh_from_db()
    assert department_run.is_final and department_run.finalized_by == cast.staff_a


@pytest.mark.parametrize("role", ["reviewer", "congress"])
def test_a_reviewer_or_congress_staff_does_not_finalise_a_departments_report(cast, department_run, role):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        report_run_mark_final(run=department_run, user=cast.user(role))


def test_the_run_page_offers_the_unit_its_final_button(client, cast):
    run = done_run(cast.dept_a, user=cast.staff_a, kind=ReportKind.DEPARTMENT_ANNUAL)
    client.force_login(cast.staff_a)
    assert "定稿（定稿后不能再生成新版本）" in client.get(reverse("reports:run_detail", args=[run.pk])).content.decode()
    client.force_login(cast.reviewer)
    assert (
        "定稿（定稿后不能再生成新版本）"
        not in client.get(reverse("reports:run_detail", args=[run.pk])).content.decode()
    )

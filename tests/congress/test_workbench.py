"""人大工作人员's 工作台: 审议意见 and 代表建议 due or overdue, opinions waiting for 回头看, reports ready."""

import datetime

from django.urls import reverse
from django.utils import timezone

from congress.models import Assignment, CongressYear, DeliberationOpinion
from reports.models import ReportKind, ReportRun
from workbench.work import work_for


def _items(user) -> dict[str, tuple[int, str, str]]:
    return {item.label: (item.count, item.url, item.note) for item in work_for(user)}


def _opinion(year, kind, number, *, deadlines, answered=()):
    opinion = DeliberationOpinion.objects.create(
        congress_year=year, kind=kind, number=number, title=f"意见{number}", content="……"
    )
    for department, deadline in deadlines:
        done = (
            {"status": "resolved", "answer": "已办理", "answered_at": timezone.now()} if department in answered else {}
        )
        Assignment.objects.create(opinion=opinion, department=department, deadline=deadline, **done)
    return opinion


def test_opinions_and_suggestions_due_and_overdue_are_counted_with_links(cast):
    year = CongressYear.objects.create(year=2025)
    today = timezone.localdate()
    _opinion(year, "opinion", "1", deadlines=[(cast.dept_a, today - datetime.timedelta(days=3))])
    _opinion(year, "opinion", "2", deadlines=[(cast.dept_b, today + datetime.timedelta(days=10))])
    _opinion(year, "suggestion", "3", deadlines=[(cast.dept_a, today + datetime.timedelta(days=90))])
    items = _items(cast.congress)
    assert items["30 天内到期的审议意见交办"] == (2, reverse("congress:opinion_list", args=[2025]), "其中 1 件已逾期")
    assert items["30 天内到期的代表建议交办"][0] == 0
    assert items["逾期未答复的交办"] == (1, reverse("congress:overdue_list"), "")


def test_an_opinion_answered_by_every_department_waits_for_the_review(cast):
    year = CongressYear.objects.create(year=2025)
    deadline = timezone.localdate()
    _opinion(year, "opinion", "1", deadlines=[(cast.dept_a, deadline)], answered=[cast.dept_a])
    _opinion(year, "opinion", "2", deadlines=[(cast.dept_a, deadline), (cast.dept_b, deadline)], answered=[cast.dept_a])
    assert _items(cast.congress)["已全部答复、待回头看的意见建议"][0] == 1


def test_reports_the_person_asked_for_that_are_ready_are_counted(cast):
    CongressYear.objects.create(year=2025)
    ReportRun.objects.create(
        kind=ReportKind.CONGRESS_SURVEY, year=2025, requested_by=cast.congress, status=ReportRun.Status.QUEUED
    )
    count, url, note = _items(cast.congress)["近 30 天生成完成的报告"]
    assert (count, url, note) == (0, reverse("reports:index"), "另有 1 份正在生成")


def test_the_congress_home_page_lists_the_work(client, cast):
    CongressYear.objects.create(year=2025)
    client.force_login(cast.congress)
    html = client.get(reverse("accounts:home")).content.decode()
    assert "待办事项" in html and "30 天内到期的审议意见交办" in html and "近 30 天生成完成的报告" in html

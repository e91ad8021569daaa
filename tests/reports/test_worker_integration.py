"""Report runs through the real broker (Redis) and a real prefork worker on the PostgreSQL test DB."""

import os
import signal
import subprocess
import time

import pytest
from django.db import transaction

from assessments.models import NarrativeSection
from indicators.models import IndicatorFramework
from reports import services
from reports.models import ReportKind, ReportRun

from .builders import annual_return, two_years_for
from .pdf_text import pdf_to_text, squeeze

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _wait_for(run_id: int, *, timeout: float = 90, until=lambda run: not run.is_pending) -> ReportRun:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        run = ReportRun.objects.get(pk=run_id)
        if until(run):
            return run
        time.sleep(0.05)
    pytest.fail(f"run {run_id} did not get there in {timeout}s: {ReportRun.objects.get(pk=run_id).status}")


@pytest.fixture
def two_departments(cast, congress_year, published_year):
    """The congress year's 甲局 (71 cases, 出庭 114/115; 2024: 63, 321/342) plus 乙镇 (9 cases, 出庭
    1/5; 2024: 7, 3/4). Citywide 出庭应诉率 is 115/120 = 95.83% (2024: 324/346 = 93.64%, so +2.19
    points), not the 59.57% mean of the two rates; cases 80 against 70 (+10, +14.29%)."""
    fw2024, fw2025 = IndicatorFramework.objects.order_by("year")
    annual_return(cast.dept_b, fw2024, G2_1=7, G2_2=(3, 4))
    annual_return(cast.dept_b, fw2025, G2_1=9, G2_2=(1, 5), G2_3=(0, 0))
    return cast


def _generate(*, kind, department, user) -> ReportRun:
    with transaction.atomic():
        run = services.report_run_request(kind=kind, year=2025, department=department, user=user)
    run = _wait_for(run.pk)
    assert run.status == ReportRun.Status.DONE, run.error_message
    return run


def test_a_department_report_is_generated_by_the_real_worker(cast, celery_live):
    two_years_for(cast.dept_a)

    run = _generate(kind=ReportKind.DEPARTMENT_ANNUAL, department=cast.dept_a, user=cast.staff_a)

    text = squeeze(pdf_to_text(run.file.read()))
    assert "全年办理行政复议案件71件，较上年增加8件，增长12.7%" in text
    # A rate below its target is a shortfall, with its rise over last year said there.
    assert "行政机关负责人出庭应诉率为99.13%，较上年提高5.27个百分点，但仍低于100%的目标" in text


@pytest.mark.parametrize(
    ("kind", "scope", "expected", "absent"),
    [
        (
            ReportKind.DEPARTMENT_ANNUAL,
            "dept_b",
            [
                "测试县乙镇人民政府关于2025年度法治政府建设情况的报告",
                "全年办理行政复议案件9件，较上年增加2件。",  # a base of 7: no relative change
                "行政机关负责人出庭应诉率为20%，低于100%的目标",
            ],
            ["测试市甲局", "增长28.57%"],
        ),
        (
            ReportKind.GOVERNMENT_ANNUAL,
            "city",
            [
                "测试市人民政府关于2025年度法治政府建设情况的报告",
                "行政机关负责人出庭应诉率为95.83%，较上年提高2.19个百分点，但仍低于100%的目标，2个单位均未达到目标",
                "全年办理行政复议案件80件，较上年增加10件，增长14.29%",
                "本报告所列数据涵盖已报送年度情况的2个单位，另有3个单位尚未报送",
                "95.83%（115/120）",  # the fraction in the appendix table
            ],
            ["59.57", "（共2个）"],
        ),
        (
            ReportKind.GOVERNMENT_ANNUAL,
            "county",
            ["测试县人民政府关于2025年度法治政府建设情况的报告", "行政机关负责人出庭应诉率为20%，低于100%的目标"],
            ["95.83", "测试市甲局"],
        ),
        (
            ReportKind.CONGRESS_SURVEY,
            None,
            [
                "关于2025年度法治政府建设情况的调研报告",
                "行政机关负责人出庭应诉率为95.83%，较上年提高2.19个百分点，但仍低于100%的目标",
                "选择“好”或“较好”的受访者占66.67%",  # satisfied respondents, all groups together
                "规范涉企行政检查",
            ],
            ["59.57"],
        ),
        (
            ReportKind.RESULTS_NOTICE,
            None,
            ["关于2025年度法治政府建设考核结果的通报", "优秀等次（1个）：测试市甲局。", "不公布各单位得分和排名"],
            ["92.50"],
        ),
    ],
)
def test_every_report_kind_is_generated_by_the_real_worker_with_its_figures(
    kind, scope, expected, absent, two_departments, celery_live
):
    cast = two_departments

    run = _generate(kind=kind, department=getattr(cast, scope) if scope else None, user=cast.admin)

    text = squeeze(pdf_to_text(run.file.read()))
    for phrase in expected:
        assert phrase in text
    for phrase in absent:
        assert phrase not in text


def test_a_batch_is_a_celery_group_the_real_worker_finishes(two_departments, celery_live):
    cast = two_departments
    with transaction.atomic():
        batch = services.report_batch_request(year=2025, user=cast.reviewer)
    runs = list(batch.runs.select_related("department"))

    finished = {run.department.code: _wait_for(run.pk) for run in runs}

    # The two units with returns are done; the others (司法局 and the congress fixture's units)
    # have none and fail with the reason.
    assert {code for code, run in finished.items() if run.status == ReportRun.Status.DONE} == {"C002", "C110"}
    failed = [run for code, run in finished.items() if code not in ("C002", "C110")]
    assert failed and all("尚无2025年度填报" in run.error_message for run in failed)
    text = squeeze(pdf_to_text(finished["C110"].file.read()))
    assert "行政机关负责人出庭应诉率为20%，低于100%的目标" in text


def _pool_child_pids(worker_pid: int) -> list[int]:
    result = subprocess.run(["pgrep", "-P", str(worker_pid)], capture_output=True, text=True, check=False)
    return [int(pid) for pid in result.stdout.split()]


def test_killing_the_worker_child_mid_render_still_finishes_the_report_exactly_once(cast, celery_live):
    """SIGKILL of the prefork child while it renders: acks_late + reject_on_worker_lost re-deliver
    the task, the row's claim counts a second attempt, and one edition with one file results."""
    # Five long narrative sections (the longest a department may type) make a ~100-page report
    # that takes seconds to lay out: long enough to kill the child while WeasyPrint works.
    long_text = "\n".join(["全面落实行政执法三项制度，严格规范公正文明执法。" * 40] * 20)[:19000]
    two_years_for(cast.dept_a, narratives=dict.fromkeys(NarrativeSection.Kind.values, long_text))
    with transaction.atomic():
        run = services.report_run_request(
            kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, user=cast.staff_a
        )
    running = _wait_for(run.pk, until=lambda r: r.stage == "排版生成 PDF")
    assert running.attempts == 1
    children = _pool_child_pids(celery_live.process.pid)
    assert children, "no prefork child found"
    for pid in children:
        os.kill(pid, signal.SIGKILL)

    run = _wait_for(run.pk, timeout=120)

    assert run.status == ReportRun.Status.DONE, run.error_message
    assert run.attempts == 2
    assert run.edition == 1
    assert ReportRun.objects.filter(kind=ReportKind.DEPARTMENT_ANNUAL, department=cast.dept_a).count() == 1
    assert run.file.read().startswith(b"%PDF-")


@pytest.fixture
def demo_city(db):
    """The README's demo city, seeded as `make run` seeds it (its own reports made in-process)."""
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)


def _rate_parts(code: str, returns) -> tuple[int, int]:
    """Σ numerators / Σ denominators of a rate over the returns that reported it: the oracle the
    citywide figure must match (never the mean of the units' rates)."""
    from assessments.models import IndicatorValue

    rows = IndicatorValue.objects.filter(
        annual_return__in=returns, indicator__code=code, numerator__isnull=False, denominator__isnull=False
    )
    return sum(int(row.numerator) for row in rows), sum(int(row.denominator) for row in rows)


def test_the_demo_citys_reports_are_generated_by_the_real_worker_with_its_figures(demo_city, celery_live):
    from accounts.models import Department, User
    from assessments.models import AnnualReturn

    congress = User.objects.get(username="congress")
    police = Department.objects.get(code="YZ002")
    own = _rate_parts("G2.1", AnnualReturn.objects.filter(department=police, year=2024))
    citywide = _rate_parts("G2.1", AnnualReturn.objects.filter(year=2024))
    assert citywide[1] > own[1] > 0  # several units reported it: the citywide figure is a real aggregate
    from publication.models import ReportPublication

    # The demo's own editions were made in-process; the two it published go first (a publication
    # protects the edition it froze).
    ReportPublication.objects.all().delete()
    ReportRun.objects.all().delete()

    expected = {
        (ReportKind.DEPARTMENT_ANNUAL, police): [
            f"{police.name}关于2024年度法治政府建设情况的报告",
            f"（{own[0]}/{own[1]}）",
        ],
        (ReportKind.GOVERNMENT_ANNUAL, Department.objects.get(code="YZ000")): [f"（{citywide[0]}/{citywide[1]}）"],
        (ReportKind.RESULTS_NOTICE, None): ["关于2024年度法治政府建设考核结果的通报"],
    }
    for (kind, department), phrases in expected.items():
        with transaction.atomic():
            run = services.report_run_request(kind=kind, year=2024, department=department, user=congress)
        run = _wait_for(run.pk, timeout=120)
        assert run.status == ReportRun.Status.DONE, run.error_message
        text = squeeze(pdf_to_text(run.file.read()))
        for phrase in phrases:
            assert phrase in text, (kind, phrase)

    with transaction.atomic():
        survey = services.report_run_request(kind=ReportKind.CONGRESS_SURVEY, year=2025, user=congress)
    survey = _wait_for(survey.pk, timeout=120)
    assert survey.status == ReportRun.Status.DONE, survey.error_message
    assert "关于2025年度法治政府建设情况的调研报告" in squeeze(pdf_to_text(survey.file.read()))


def test_a_report_rendered_again_by_the_real_worker_after_a_change_is_in_hand_at_once(cast, celery_live):
    """Ready on click with a broker: the worker sends the automatic run once its debounce is over
    (its refresher, each heartbeat) and renders it; the click that follows takes it, no render."""
    from datetime import timedelta

    from django.utils import timezone

    from reports import readiness

    annual_return = two_years_for(cast.dept_a)
    first = _generate(kind=ReportKind.DEPARTMENT_ANNUAL, department=cast.dept_a, user=cast.staff_a)
    annual_return.narratives.filter(kind=NarrativeSection.Kind.NEXT_YEAR).update(text="推进综合执法改革。")

    (waiting,) = readiness.report_refresh_schedule(
        scopes=readiness.kept_ready(years=[2025]), now=timezone.now() - timedelta(minutes=5)
    )
    rendered = _wait_for(waiting)
    assert (rendered.status, rendered.is_automatic, rendered.edition) == (ReportRun.Status.DONE, True, None)

    with transaction.atomic():
        served = services.report_run_request(
            kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, user=cast.staff_a
        )

    assert (served.pk, served.status, served.edition, served.is_automatic) == (waiting, ReportRun.Status.DONE, 2, False)
    assert served.file.name == rendered.file.name != first.file.name
    assert "推进综合执法改革" in squeeze(pdf_to_text(served.file.read()))

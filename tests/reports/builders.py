"""Small, explicit report fixtures: a two-year framework, returns and values for the cast's units.

Figures are chosen so the expected sentences are known by heart: 71 review cases (63 the year
before, +12.7%), 出庭应诉率 114/115 = 99.13% (321/342 = 93.86% the year before, +5.27 points),
and a zero-denominator rate that must read 无此类事项 / its empty phrase, never 0%.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from assessments.models import AnnualReturn, IndicatorValue, NarrativeSection
from indicators.models import Area, Group, Indicator, IndicatorFramework, ScoringRule, TargetOperator, ValueType
from reports.models import ReportKind, ReportRun

# Each piece would reach the file system if it became markup: an image, a stylesheet import, and an
# attachment link (WeasyPrint embeds `rel="attachment"` targets in the PDF).
HOSTILE = (
    '<script>alert("x")</script><img src="file:///etc/passwd"><style>@import url("file:///etc/passwd");</style>'
    '<a rel="attachment" href="file:///etc/passwd">附件</a>'
)


def framework(year: int, *, status=IndicatorFramework.Status.PUBLISHED) -> IndicatorFramework:
    fw = IndicatorFramework.objects.create(name=f"{year}年度法治政府建设考核指标", year=year, status=status)
    area = Area.objects.create(framework=fw, code="G", name="社会矛盾纠纷依法有效化解", max_points=20, order=1)
    group = Group.objects.create(area=area, code="G2", name="行政复议与行政应诉", max_points=20, order=1)
    common = {"framework": fw, "group": group, "max_points": Decimal(5), "scoring_rule": ScoringRule.ALL_OR_NOTHING}
    Indicator.objects.create(
        **common,
        code="G2.1",
        name="办理行政复议案件数",
        value_type=ValueType.COUNT,
        unit="件",
        phrase_template="全年办理行政复议案件{value}件",
        yoy_phrase_template="较上年{direction}{delta}件",
        preferred_direction="up",
        order=1,
    )
    Indicator.objects.create(
        **common,
        code="G2.2",
        name="行政机关负责人出庭应诉率",
        value_type=ValueType.RATE,
        unit="%",
        numerator_label="负责人出庭案件数",
        denominator_label="开庭审理案件数",
        target_operator=TargetOperator.GTE,
        target_value=Decimal(100),
        phrase_template="行政机关负责人出庭应诉率{rate}%",
        yoy_phrase_template="较上年{direction}{delta}个百分点",
        preferred_direction="up",
        report_role="lead",
        order=2,
    )
    Indicator.objects.create(
        **common,
        code="G2.3",
        name="行政诉讼败诉率",
        value_type=ValueType.RATE,
        unit="%",
        numerator_label="败诉案件数",
        denominator_label="审结案件数",
        phrase_template="行政诉讼败诉率{rate}%",
        empty_phrase="全年无审结的行政诉讼案件",
        zero_phrase="全年未发生行政诉讼败诉案件",
        preferred_direction="down",
        order=3,
    )
    return fw


def annual_return(department, fw, *, status=AnnualReturn.Status.SUBMITTED, narratives=None, **values):
    submitted = timezone.make_aware(datetime.datetime(fw.year + 1, 2, 20, 10, 0))
    is_submitted = status not in (AnnualReturn.Status.NOT_STARTED, AnnualReturn.Status.IN_PROGRESS)
    ar = AnnualReturn.objects.create(
        department=department,
        framework=fw,
        year=fw.year,
        status=status,
        deadline=datetime.date(fw.year + 1, 3, 1),
        submitted_at=submitted if is_submitted else None,
        first_submitted_at=submitted if is_submitted else None,
    )
    indicators = {i.code: i for i in fw.indicators.all()}
    for code, value in values.items():
        code = code.replace("_", ".")
        row = IndicatorValue(annual_return=ar, indicator=indicators[code])
        if isinstance(value, tuple):
            row.numerator, row.denominator = Decimal(value[0]), Decimal(value[1])
        else:
            row.value_integer = value
        row.save()
    for kind, text in (narratives or {}).items():
        NarrativeSection.objects.create(annual_return=ar, kind=kind, text=text)
    return ar


def two_years_for(department, *, narratives=None):
    """2024 and 2025 returns of one unit with the known figures."""
    fw2024 = IndicatorFramework.objects.filter(year=2024).first() or framework(2024)
    fw2025 = IndicatorFramework.objects.filter(year=2025).first() or framework(2025)
    annual_return(department, fw2024, G2_1=63, G2_2=(321, 342), G2_3=(1, 20))
    return annual_return(
        department,
        fw2025,
        G2_1=71,
        G2_2=(114, 115),
        G2_3=(0, 0),
        narratives=narratives
        or {
            NarrativeSection.Kind.MEASURES: "本年度我局扎实推进依法行政。\n全面落实行政执法三项制度。",
            NarrativeSection.Kind.SHORTCOMINGS: "执法人员法治培训仍需加强。",
            NarrativeSection.Kind.LEADERSHIP: "主要负责人带头学法，专题研究法治建设4次。",
            NarrativeSection.Kind.NEXT_YEAR: "持续深化行政执法规范化建设。",
        },
    )


def done_run(department, *, user, kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, edition=1, **extra) -> ReportRun:
    """A finished run with a stored (tiny, fake) PDF, for download and permission tests."""
    run = ReportRun(
        kind=kind,
        year=year,
        department=department,
        requested_by=user,
        status=ReportRun.Status.DONE,
        progress=100,
        edition=edition,
        sha256="0" * 64,
        page_count=1,
        **extra,
    )
    run.file.save(f"test-{kind}-{edition}.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    run.docx_file.save(f"test-{kind}-{edition}.docx", ContentFile(b"PK docx"), save=False)
    run.save()
    return run


def failed_run(department, *, user, kind=ReportKind.DEPARTMENT_ANNUAL, year=2025) -> ReportRun:
    return ReportRun.objects.create(
        kind=kind, year=year, department=department, requested_by=user, status=ReportRun.Status.FAILED,
        error_message="测试失败",
    )  # fmt: skip


def document_of_kind(request, cast):
    """The 2025 document of the kind a test is parametrised with (`request.param`), built from data
    as a user generates it."""
    from reports.kinds import BuildRequest, build_document
    from tests.reports.test_government_annual import _city_returns

    kind = request.param
    department = None
    if kind == ReportKind.DEPARTMENT_ANNUAL:
        two_years_for(cast.dept_a)
        department = cast.dept_a
    elif kind == ReportKind.GOVERNMENT_ANNUAL:
        _city_returns(cast, dept_b_losses=(3, 4))
        department = cast.city
    elif kind == ReportKind.RESULTS_NOTICE:
        request.getfixturevalue("published_year")
    else:
        request.getfixturevalue("congress_year")
    return build_document(BuildRequest(kind=kind, year=2025, department=department, options={}))

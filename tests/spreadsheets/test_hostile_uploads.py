"""Issue 18 §1: every class of hostile spreadsheet, uploaded through each of the five upload paths
(the admin's django-import-export import, the survey response import, the framework import, the
department's Excel fill, the bureau's wide import), is refused with a 4xx and a Chinese message on
the page, writes nothing, and stays within the budget of ≤ 5 s and ≤ 256 MB.

Memory is asserted on the growth of the process's peak RSS during the request (Linux lets a process
reset its peak, /proc/self/clear_refs), the issue's measure of a worker; time is printed, not
asserted (the machine is shared and timed asserts would be flaky; bench/ holds timed measurements).
"""

import io
import time
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.urls import reverse

from assessments.excel.bulk import FIXED, import_columns
from congress.models import RespondentGroup
from indicators.resources import FrameworkSheetResource
from tests.assessments.factories import framework_with, open_return
from tests.congress.factories import SurveyFactory, problem_question, rating_question

from .corpus import CORPUS, assemble

MEMORY_BUDGET = 256 * 1024 * 1024
WRITTEN = (
    "accounts.Department",
    "audit.AuditEvent",
    "congress.Response",
    "congress.Answer",
    "indicators.IndicatorFramework",
    "indicators.Indicator",
    "assessments.IndicatorValue",
    "assessments.ValueChange",
)


def _counts() -> dict[str, int]:
    return {label: apps.get_model(label)._default_manager.count() for label in WRITTEN}


def _upload(content: bytes, name: str = "上传.xlsx") -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


@dataclass(frozen=True)
class Path:
    role: str
    url: str
    data: dict
    file_field: str
    header: list[list[str]]  # rows this path accepts as its template's head


@pytest.fixture
def paths(cast) -> dict[str, Path]:
    framework = framework_with({"code": "K1", "name": "行政复议案件数", "unit": "件"})
    return_a = open_return(cast.dept_a, framework)
    survey = SurveyFactory()
    RespondentGroup.objects.create(survey=survey, name="人大代表", sort_order=1)
    rating_question(survey, number=1)
    problem_question(survey, number=2)
    department_head = [
        [f"{cast.dept_a.name}2025年度填报表"],
        [f"单位编码：{cast.dept_a.code}　单位：{cast.dept_a.name}　考核年度：2025"],
        ["指标编码", "指标名称", "本年值", "分子", "分母", "情况说明"],
    ]
    return {
        "admin_department_import": Path(
            "admin",
            reverse("admin:accounts_department_import"),
            {"format": "0", "resource": "0"},
            "import_file",
            [["单位编码", "单位名称", "简称", "上级单位编码", "单位类型", "行政层级", "排序", "是否启用"]],
        ),
        "survey_response_import": Path(
            "congress",
            reverse("congress:response_import", kwargs={"pk": survey.pk}),
            {},
            "file",
            [["问卷编号", "调查对象类别", "是否有效", "1. 总体评价", "2. 突出问题"]],
        ),
        "framework_import": Path(
            "admin",
            reverse("admin:indicators_indicatorframework_import"),
            {},
            "file",
            [FrameworkSheetResource().get_export_headers()],
        ),
        "department_fill": Path(
            "staff_a",
            reverse("assessments:excel_upload", kwargs={"pk": return_a.pk}),
            {},
            "file",
            department_head,
        ),
        "bureau_bulk_import": Path(
            "reviewer",
            reverse("assessments:bulk_import_upload"),
            {"year": "2025"},
            "file",
            [[*FIXED, *(header for header, _, _ in import_columns(framework))]],
        ),
    }


def _status_kilobytes(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _reset_peak_rss() -> bool:
    """Linux resets the process's peak RSS (VmHWM) on this write, so the peak read after the
    request is the request's own; where that is not allowed, the lifetime peak is the fallback."""
    try:
        with open("/proc/self/clear_refs", "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def _post_measured(client, path: Path, content: bytes):
    """The response, its seconds, and the growth of the process's peak RSS over its RSS before."""
    upload = _upload(content)
    rss_before = _status_kilobytes("VmRSS")
    if not _reset_peak_rss():
        rss_before = _status_kilobytes("VmHWM")
    started = time.perf_counter()
    response = client.post(path.url, {**path.data, path.file_field: upload})
    seconds = time.perf_counter() - started
    growth = max(_status_kilobytes("VmHWM") - rss_before, 0) * 1024
    return response, seconds, growth


@pytest.mark.parametrize("name", list(CORPUS))
@pytest.mark.parametrize(
    "path_name",
    ["admin_department_import", "survey_response_import", "framework_import", "department_fill", "bureau_bulk_import"],
)
def test_hostile_file_is_refused_with_4xx_in_chinese_within_budget_and_writes_nothing(
    name, path_name, hostile_corpus, paths, cast, client
):
    path, case = paths[path_name], CORPUS[name]
    content = hostile_corpus[name]
    if case.is_body:
        content = assemble(content, path.header, dimension=case.dimension)
    client.force_login(cast.user(path.role))
    before = _counts()

    response, seconds, growth = _post_measured(client, path, content)

    print(
        f"\n[budget] {path_name:24s} {name:38s} HTTP {response.status_code} "
        f"{seconds:5.2f} s, peak RSS +{growth / 2**20:5.1f} MB"
    )
    assert 400 <= response.status_code < 500
    assert case.message in response.content.decode()
    assert _counts() == before
    assert growth < MEMORY_BUDGET


def _full_size_survey() -> bytes:
    """10,000 responses × 33 columns (3 fixed, 30 questions), a large honest survey file, as Excel writes it
    (shared strings: each answer is an index into the table of distinct texts)."""
    from openpyxl.utils import get_column_letter

    from .corpus import package, sheet

    columns = [get_column_letter(n) for n in range(1, 34)]
    rows = [
        f'<row r="{r}">'
        + "".join(f'<c r="{c}{r}" t="s"><v>{(r + i) % 4}</v></c>' for i, c in enumerate(columns))
        + "</row>"
        for r in range(1, 10_002)
    ]
    strings = "".join(f"<si><t>{text}</t></si>" for text in ("好", "较好", "一般", "差"))
    table = f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{strings}</sst>'.encode()
    return package(sheet("".join(rows)), shared_strings=table)


def test_the_largest_honest_survey_file_is_read_whole_within_budget():
    from congress.survey_import import SHEET_LIMITS
    from spreadsheets.xlsx_safety import iter_sheet_rows

    content = _full_size_survey()
    rss_before = _status_kilobytes("VmRSS")
    if not _reset_peak_rss():
        rss_before = _status_kilobytes("VmHWM")
    started = time.perf_counter()
    rows = sum(1 for _ in iter_sheet_rows(content, limits=SHEET_LIMITS))
    seconds = time.perf_counter() - started
    growth = max(_status_kilobytes("VmHWM") - rss_before, 0) * 1024
    print(
        f"\n[budget] survey reader, 10,001 rows × 33 cells accepted: {seconds:.2f} s, peak RSS +{growth / 2**20:.1f} MB"
    )
    assert rows == 10_001
    assert growth < MEMORY_BUDGET


def _wide_sheet(rows: int, cells_per_row: int, text: str) -> bytes:
    from openpyxl.utils import get_column_letter

    from .corpus import package, sheet

    columns = [get_column_letter(n) for n in range(1, cells_per_row + 1)]
    cells = "".join(f'<c r="{c}{{row}}" t="inlineStr"><is><t>{text}</t></is></c>' for c in columns)
    body = "".join(f'<row r="{r}">' + cells.replace("{row}", str(r)) + "</row>" for r in range(1, rows + 1))
    return package(sheet(body))


def test_the_bureau_import_reads_a_sheet_past_the_default_part_cap_that_the_other_paths_refuse():
    """A province's wide file is a 31 MB sheet as openpyxl writes it (3,000 units × 196 columns):
    the bureau's import takes sheets up to its own cap; every other path keeps the 20 MB one."""
    from assessments.excel.bulk import LIMITS
    from spreadsheets.xlsx_safety import SheetLimits, UnsafeFile, iter_sheet_rows

    content = _wide_sheet(800, 100, "已按要求完成，相关材料已归档备查。" * 8)  # about 24 MB of sheet XML
    assert sum(1 for _ in iter_sheet_rows(content, limits=LIMITS)) == 800
    with pytest.raises(UnsafeFile, match="过大"):
        list(iter_sheet_rows(content, limits=SheetLimits(max_rows=3000, max_columns=800)))


def test_a_hostile_cell_as_big_as_the_bureau_imports_sheet_cap_is_refused_within_budget():
    """The sheet cap raised for the bureau's import bounds what one text node can cost: a single cell
    of almost all of it is refused for its length, and the process's peak grows by under 256 MB."""
    import random
    import zipfile
    from io import BytesIO

    from assessments.excel.bulk import LIMITS
    from spreadsheets.xlsx_safety import UnsafeFile, iter_sheet_rows

    from .corpus import package, sheet

    base = zipfile.ZipFile(BytesIO(package()))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for item in base.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(item.filename, base.read(item.filename))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(sheet("").replace(b"</sheetData>", b"")[: -len(b"</worksheet>")])
            member.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
            # Random Chinese text, repeated beyond deflate's 32 KB window: under the ratio cap.
            rng = random.Random(19)
            chunk = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(40_000)).encode()
            for _ in range((LIMITS.max_sheet_bytes or 0) // len(chunk) - 1):
                member.write(chunk)
            member.write(b"</t></is></c></row></sheetData></worksheet>")
    content = buffer.getvalue()
    rss_before = _status_kilobytes("VmRSS")
    if not _reset_peak_rss():
        rss_before = _status_kilobytes("VmHWM")
    with pytest.raises(UnsafeFile, match="单元格内容过长"):
        list(iter_sheet_rows(content, limits=LIMITS))
    growth = max(_status_kilobytes("VmHWM") - rss_before, 0) * 1024
    print(f"\n[budget] bureau import, one {LIMITS.max_sheet_bytes // 2**20} MB cell: peak RSS +{growth / 2**20:.1f} MB")
    assert growth < MEMORY_BUDGET

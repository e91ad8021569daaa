"""Excel round-trip: export → import → export is identical; bad files are refused row by row."""

import io

import openpyxl
import pytest
import tablib

from indicators.exporting import framework_to_data, framework_to_xlsx
from indicators.importing import FrameworkFileError, data_from_xlsx
from indicators.models import IndicatorFramework
from indicators.resources import to_xlsx
from indicators.services import framework_import, framework_load_default

from .factories import small_framework

pytestmark = pytest.mark.django_db


def sheets(content: bytes) -> dict[str, list[list]]:
    book = tablib.Databook()
    book.load(content, format="xlsx")
    return {sheet.title: [sheet.headers, *[list(row) for row in sheet]] for sheet in book.sheets()}


def reimport(content: bytes, **kwargs) -> IndicatorFramework:
    data, errors = data_from_xlsx(content)
    assert errors == []
    return framework_import(data=data, **kwargs)


def test_the_default_framework_round_trips_identically():
    framework, _ = framework_load_default()
    first = framework_to_xlsx(framework)
    second = framework_to_xlsx(reimport(first, year=2099))
    first_sheets, second_sheets = sheets(first), sheets(second)
    first_sheets["指标体系"][1][1] = second_sheets["指标体系"][1][1] = None  # the year was chosen on import
    assert first_sheets == second_sheets


def test_a_round_trip_keeps_the_year_from_the_file():
    framework = small_framework(year=2044)
    assert reimport(framework_to_xlsx(framework)).year == 2044


def test_an_imported_framework_is_a_new_draft_version():
    framework = small_framework(year=2045)
    imported = reimport(framework_to_xlsx(framework))
    assert (imported.status, imported.version) == (IndicatorFramework.Status.DRAFT, 2)


def test_the_export_has_one_sheet_per_kind_of_row_with_chinese_headers():
    workbook = openpyxl.load_workbook(io.BytesIO(framework_to_xlsx(small_framework())))
    assert workbook.sheetnames == ["指标体系", "指标", "校验规则", "等次", "加减分及否决"]
    headers = [cell.value for cell in workbook["指标"][1]]
    assert headers[:6] == ["层级", "编码", "上级编码", "名称", "说明", "分值"]
    assert "评分规则" in headers


def broken(mutate) -> bytes:
    data = framework_to_data(small_framework(year=2046))
    mutate(data)
    return to_xlsx(data)


def tree_row(data, code):
    return next(row for row in data["tree"] if row["code"] == code)


def errors_of(content: bytes) -> list[str]:
    _, errors = data_from_xlsx(content)
    return [str(error) for error in errors]


def test_an_unknown_scoring_rule_is_named_with_its_row():
    content = broken(lambda data: tree_row(data, "A1.1").update(scoring_rule="lottery"))
    [error] = errors_of(content)
    assert error.startswith("指标 第 4 行：评分规则“lottery”无效，应为：达标得满分，否则不得分、")


def test_a_duplicate_code_is_reported_on_each_row():
    content = broken(lambda data: tree_row(data, "G2.1").update(code="A1.1"))
    errors = errors_of(content)
    assert "指标 第 4 行：编码“A1.1”重复" in errors
    assert "指标 第 5 行：编码“A1.1”重复" in errors


def test_a_formula_referencing_a_missing_code_is_reported():
    content = broken(lambda data: tree_row(data, "A1.1").update(formula="Z9.9 + 1"))
    assert errors_of(content) == ["指标 第 4 行：派生公式有误：公式引用了不存在的指标编码：Z9.9"]


def test_a_validation_rule_referencing_a_missing_code_is_reported():
    content = broken(lambda data: data["rules"][0].update(expression="G2.1.num <= Q1.1.den"))
    assert errors_of(content) == ["校验规则 第 2 行：校验公式有误：公式引用了不存在的指标编码：Q1.1"]


def test_a_missing_parent_is_reported():
    content = broken(lambda data: tree_row(data, "A1.1").update(parent_code="B7"))
    assert errors_of(content) == ["指标 第 4 行：上级编码“B7”不存在，须为本表中排在前面的二级指标"]


def test_several_problems_are_all_listed_in_workbook_order():
    def mutate(data):
        tree_row(data, "G2.1").update(max_points="lots")
        tree_row(data, "A1.1").update(value_type="colour")
        data["adjustments"][0].update(code="A1.1")

    errors = errors_of(broken(mutate))
    assert [error.split("：")[0] for error in errors] == ["指标 第 4 行", "指标 第 5 行", "加减分及否决 第 2 行"]


def test_a_bad_file_writes_nothing():
    content = broken(lambda data: tree_row(data, "A1.1").update(parent_code="B7"))
    before = IndicatorFramework.objects.count()
    data, errors = data_from_xlsx(content)
    assert errors
    with pytest.raises(FrameworkFileError):
        framework_import(data=data)
    assert IndicatorFramework.objects.count() == before


def test_a_file_that_is_not_an_xlsx_is_refused():
    [error] = errors_of(b"PK\x03\x04 not really a workbook")
    assert error == "文件 全表：文件已损坏，无法打开（压缩包结构不完整）。"


def test_a_workbook_without_the_expected_sheets_is_refused():
    workbook = openpyxl.Workbook()
    workbook.active.title = "Sheet1"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert errors_of(buffer.getvalue()) == ["文件 全表：文件缺少工作表“指标体系”"]


def test_a_sheet_missing_a_column_is_refused():
    content = framework_to_xlsx(small_framework())
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    workbook["指标"].delete_cols(9)  # 依据 (after 指标性质)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert errors_of(buffer.getvalue()) == ["文件 全表：工作表“指标”缺少列：依据"]


def test_cells_typed_as_numbers_in_excel_are_read_back():
    content = framework_to_xlsx(small_framework(year=2047))
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook["指标"]
    sheet["F4"] = 4.0  # 分值 typed as a number rather than text
    buffer = io.BytesIO()
    workbook.save(buffer)
    data, errors = data_from_xlsx(buffer.getvalue())
    assert errors == []
    assert str(next(row for row in data["tree"] if row["code"] == "A1.1")["max_points"]) == "4"


def test_text_that_looks_like_a_formula_stays_text():
    content = broken(lambda data: tree_row(data, "A1.1").update(name="=HYPERLINK(1)"))
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    cell = workbook["指标"]["D4"]
    assert (cell.value, cell.data_type) == ("=HYPERLINK(1)", "s")
    data, errors = data_from_xlsx(content)
    assert errors == []
    assert tree_row(data, "A1.1")["name"] == "=HYPERLINK(1)"


def test_a_zip_that_inflates_too_far_is_refused_before_parsing():
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (60 * 1024 * 1024))
    [error] = errors_of(buffer.getvalue())
    assert "压缩炸弹" in error

"""The streaming reader under every upload: what it reads back, and where it stops."""

import datetime
import io

import pytest
from openpyxl import Workbook, load_workbook

from spreadsheets.sheet_stream import SheetLimits
from spreadsheets.xlsx_safety import UnsafeFile, iter_sheet_rows, open_spreadsheet

from .corpus import assemble, package, sheet

WIDE = SheetLimits(max_rows=100, max_columns=20)


def _openpyxl_rows(data: bytes) -> list[tuple]:
    """openpyxl's read-only, values-only rows with the trailing blanks trimmed: what callers got before."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = []
    for row in workbook.worksheets[0].iter_rows(values_only=True):
        values = list(row)
        while values and values[-1] in (None, ""):
            values.pop()
        rows.append(tuple(values))
    workbook.close()
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_values_read_back_as_openpyxl_gives_them():
    workbook = Workbook()
    sheet_ = workbook.active
    sheet_.title = "填报表"
    sheet_.append(["文本", 12, 3.25, True, None, "  留白  "])
    sheet_["A3"] = datetime.datetime(2025, 4, 10, 9, 30)
    sheet_["B3"] = datetime.date(2025, 12, 31)
    sheet_["C3"] = -0.5
    sheet_["D5"] = "跳过第 4 行"
    sheet_["A6"] = 1e20
    data = _saved(workbook)

    assert list(iter_sheet_rows(data, limits=WIDE)) == _openpyxl_rows(data)


def test_rows_the_file_skips_come_back_empty_so_row_numbers_stay_true():
    data = package(sheet('<row r="1"><c r="A1"><v>1</v></c></row><row r="4"><c r="B4"><v>4</v></c></row>'))
    assert list(iter_sheet_rows(data, limits=WIDE)) == [(1,), (), (), (None, 4)]


def test_cells_without_addresses_follow_the_previous_cell():
    data = package(sheet('<row><c><v>1</v></c><c r="C1"/><c><v>4</v></c></row>'))
    assert list(iter_sheet_rows(data, limits=WIDE)) == [(1, None, None, 4)]


def test_shared_and_rich_text_strings_are_read_without_phonetic_hints():
    strings = (
        b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<si><t>\xe6\x99\xae\xe9\x80\x9a</t></si>"
        b"<si><r><t>\xe5\x8a\xa0</t></r><r><rPr><b/></rPr><t>\xe7\xb2\x97</t></r><rPh><t>x</t></rPh></si></sst>"
    )
    data = package(
        sheet('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'), shared_strings=strings
    )
    assert list(iter_sheet_rows(data, limits=WIDE)) == [("普通", "加粗")]


def test_every_row_element_counts_even_when_it_repeats_a_row_number():
    data = package(sheet('<row r="1"/>' * 3))
    with pytest.raises(UnsafeFile, match="行号"):
        list(iter_sheet_rows(data, limits=WIDE))


def test_empty_rows_count_against_the_cap():
    body = "".join(f'<row r="{n}"/>' for n in range(11, 200)).encode()
    data = assemble(body, [["表头"]])
    with pytest.raises(UnsafeFile, match="行数过多"):
        list(iter_sheet_rows(data, limits=WIDE))


def test_a_value_past_the_column_cap_is_refused_but_blank_cells_there_are_not():
    blank = package(sheet('<row r="1"><c r="A1"><v>1</v></c><c r="Z1" s="1"/></row>'))
    assert list(iter_sheet_rows(blank, limits=WIDE)) == [(1,)]
    filled = package(sheet('<row r="1"><c r="Z1"><v>1</v></c></row>'))
    with pytest.raises(UnsafeFile, match="列数过多"):
        list(iter_sheet_rows(filled, limits=WIDE))


def test_blank_cells_count_against_the_cell_budget():
    cells = "".join(f'<c r="A{n}"/>' for n in range(1, 60))
    data = package(sheet(f'<row r="1">{cells}</row>'))
    with pytest.raises(UnsafeFile, match="单元格过多"):
        list(iter_sheet_rows(data, limits=SheetLimits(max_rows=10, max_columns=5, max_cells=50)))


def test_elements_that_are_neither_rows_nor_cells_are_capped(monkeypatch):
    from spreadsheets import sheet_stream

    monkeypatch.setattr(sheet_stream, "MAX_OTHER_ELEMENTS", 100)
    data = package(sheet('<row r="1"><c r="A1"><v>1</v></c></row>' + "<junk/>" * 200))
    with pytest.raises(UnsafeFile, match="结构异常"):
        list(iter_sheet_rows(data, limits=WIDE))


def test_a_missing_sheet_is_named_in_the_refusal():
    with pytest.raises(UnsafeFile, match="没有名为“问卷”的工作表"):
        list(iter_sheet_rows(package(), limits=WIDE, sheet_title="问卷"))


def test_the_package_lists_its_sheets_by_title():
    with open_spreadsheet(package()) as opened:
        assert opened.sheet_titles == ["填报表", "批量导入", "指标体系"]

"""The hostile spreadsheet corpus (reliability.md table C2), built here, uploaded through the
department's Excel page and the bureau's wide import: each is refused with its own Chinese message,
answers 400, and writes nothing."""

import io
import resource

import pytest
from django.urls import reverse

from assessments.excel.department import department_preview, department_template
from assessments.models import IndicatorValue, ValueChange
from spreadsheets.xlsx_safety import SheetLimits, escape_formula, iter_sheet_rows, read_upload
from spreadsheets.zip_safety import UnsafeFile

from . import hostile_files as hostile

CORPUS = {
    "billion_laughs": (hostile.billion_laughs, "实体"),
    "xxe": (hostile.xxe, "实体"),
    "zip_bomb": (lambda: hostile.zip_bomb(100), "压缩炸弹"),
    "million_empty_rows": (hostile.million_empty_rows, "行数过多"),
    "sixteen_thousand_columns": (hostile.sixteen_thousand_columns, "列数过多"),
    "million_character_cell": (hostile.huge_cell, "内容过长"),
    "not_a_zip": (lambda: b"<html><body>not a spreadsheet</body></html>", "不是 Excel"),
    "broken_office_97_file": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "损坏"),
    "macro_enabled": (lambda: hostile.macro_enabled(hostile.xlsx_bytes()), "宏"),
    "encrypted": (lambda: hostile.encrypted(hostile.xlsx_bytes()), "密码"),
    "too_many_members": (lambda: hostile.many_members(1000), "部件"),
    "path_traversal": (hostile.path_traversal, "路径"),
    "word_document": (hostile.docx_bytes, "不是 Excel 工作簿"),
    "truncated": (lambda: hostile.xlsx_bytes()[:300], "损坏"),
}


@pytest.fixture(scope="module")
def corpus():
    return {name: (build(), message) for name, (build, message) in CORPUS.items()}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_hostile_file_is_refused_with_a_specific_message(name, corpus, cast, return_a):
    content, message = corpus[name]
    with pytest.raises(UnsafeFile, match=message):
        department_preview(return_a, content)


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_hostile_file_is_refused_within_the_row_and_cell_caps_and_a_memory_budget(name, corpus):
    """Refused before the reader hands out more rows or cells than its caps allow (the work it does
    is bounded by them, whatever the file claims), and within a memory budget."""
    content, _ = corpus[name]
    limits = SheetLimits(max_rows=3000, max_columns=800)
    rows_read = cells_read = 0
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(UnsafeFile):
        for row in iter_sheet_rows(content, limits=limits):
            rows_read += 1
            cells_read += len(row)
    assert rows_read <= limits.max_rows and cells_read <= limits.cell_budget
    # ru_maxrss is the peak in KiB; the peak may only grow, so this bounds what this file added.
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 256 * 1024


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_each_hostile_upload_answers_400_and_writes_nothing(name, corpus, client, cast, return_a):
    content, message = corpus[name]
    client.force_login(cast.staff_a)
    upload = io.BytesIO(content)
    upload.name = "填报表.xlsx"
    before = list(IndicatorValue.objects.order_by("pk").values_list("pk", "version"))
    response = client.post(reverse("assessments:excel_upload", kwargs={"pk": return_a.pk}), {"file": upload})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert list(IndicatorValue.objects.order_by("pk").values_list("pk", "version")) == before
    assert not ValueChange.objects.exists()


@pytest.mark.parametrize("name", ["billion_laughs", "zip_bomb", "encrypted", "macro_enabled"])
def test_the_bulk_import_refuses_the_same_files(name, corpus, client, cast, return_a):
    content, message = corpus[name]
    client.force_login(cast.reviewer)
    upload = io.BytesIO(content)
    upload.name = "批量.xlsx"
    response = client.post(reverse("assessments:bulk_import_upload"), {"file": upload, "year": "2025"})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ValueChange.objects.exists()


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(monkeypatch):
    from spreadsheets import xlsx_safety

    monkeypatch.setattr(xlsx_safety, "MAX_UPLOAD_BYTES", 10)
    upload = io.BytesIO(b"x" * 11)
    upload.size = 11
    with pytest.raises(UnsafeFile, match="过大"):
        read_upload(upload, max_bytes=10)


def test_an_empty_file_is_refused():
    upload = io.BytesIO(b"")
    upload.size = 0
    with pytest.raises(UnsafeFile, match="空的"):
        read_upload(upload)


def test_rows_beyond_the_cap_without_a_declared_size_are_refused_while_reading():
    content = hostile.many_rows_without_dimension(50)
    with pytest.raises(UnsafeFile, match="行数过多"):
        list(iter_sheet_rows(content, limits=SheetLimits(max_rows=20, max_columns=5)))


def test_a_valid_template_passes_every_check(cast, return_a):
    rows = list(iter_sheet_rows(department_template(return_a), limits=SheetLimits(max_rows=100, max_columns=20)))
    assert rows


def test_formula_cells_are_read_as_their_cached_values_never_run(cast, return_a):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(department_template(return_a)))
    sheet = workbook["填报表"]
    sheet.cell(6, 8).value = "=cmd|' /C calc'!A0"
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = department_preview(return_a, buffer.getvalue())
    # A formula written by openpyxl has no cached value: read as empty, so no change and no error.
    assert preview.is_valid and not preview.changes


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "\0x"])
def test_export_escaping_prefixes_formula_leading_text(text):
    assert escape_formula(text) == "'" + text


def test_export_escaping_leaves_ordinary_text_and_numbers_alone():
    assert escape_formula("测试市甲局") == "测试市甲局"
    assert escape_formula(-1) == -1

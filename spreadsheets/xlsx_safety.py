"""Opening an uploaded .xlsx safely, and writing cells that Excel will not run as formulas.

Order of checks (reliability.md §1.7, §4.2, table C2): the upload's size; what the bytes are (a zip,
an OLE2 file with a password, an old .xls, anything else); the zip's central directory and members
(zip_safety.inspect_zip: member count, total inflated size, ratio, paths, DTDs); macros; only then
openpyxl, read-only and values-only, with the sheet's declared size and every row and cell capped
as it streams. Each refusal has its own Chinese message; nothing here writes anything.

"""

import io
from collections.abc import Iterator
from dataclasses import dataclass

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from spreadsheets.zip_safety import SPREADSHEET_LIMITS, UnsafeFile, has_macros, inspect_ole, inspect_zip, is_ole, is_zip

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# Excel's own limit for one cell; a longer cell can only come from a crafted file.
MAX_CELL_CHARACTERS = 32767
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")


@dataclass(frozen=True)
class SheetLimits:
    max_rows: int
    max_columns: int


def read_upload(uploaded, *, max_bytes: int = MAX_UPLOAD_BYTES) -> bytes:
    """The uploaded file's bytes, refusing it before reading more than the cap."""
    size = getattr(uploaded, "size", None)
    limit_text = f"{max_bytes // (1024 * 1024)} MB"
    if size is not None and size > max_bytes:
        raise UnsafeFile(f"文件过大（{size / 1024 / 1024:.1f} MB），Excel 文件不能超过 {limit_text}。")
    uploaded.seek(0)
    data = uploaded.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnsafeFile(f"文件过大，Excel 文件不能超过 {limit_text}。")
    if not data:
        raise UnsafeFile("文件是空的，请选择填写好的 Excel 文件。")
    return data


def open_workbook(uploaded, *, max_bytes: int = MAX_UPLOAD_BYTES):
    """An uploaded .xlsx, checked, then opened read-only with values (not formulas)."""
    data = read_upload(uploaded, max_bytes=max_bytes)
    check_spreadsheet(data)
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a malformed package
        raise UnsafeFile("无法读取该 Excel 文件，请使用系统下载的模板填写后上传。") from None


def check_spreadsheet(data: bytes) -> None:
    """Refuse anything that is not a plain .xlsx before a parser sees it."""
    if is_ole(data):
        summary = inspect_ole(data)
        if summary.is_encrypted:
            raise UnsafeFile("文件设置了打开密码（已加密），系统无法读取。请在 Excel 中取消密码后重新上传。")
        if summary.is_excel:
            raise UnsafeFile("这是旧版 Excel 文件（.xls），请在 Excel 中“另存为” .xlsx 格式后上传。")
        raise UnsafeFile("文件不是 Excel（.xlsx）格式，请使用系统下载的模板填写后上传。")
    if not is_zip(data):
        raise UnsafeFile("文件不是 Excel（.xlsx）格式，请使用系统下载的模板填写后上传。")
    names = inspect_zip(data, limits=SPREADSHEET_LIMITS)
    if has_macros(data, names):
        raise UnsafeFile("文件包含宏（.xlsm 等启用宏的工作簿），出于安全考虑不予接收。请另存为普通 .xlsx 后上传。")
    if "xl/workbook.xml" not in names:
        raise UnsafeFile("文件不是 Excel 工作簿（可能是 Word 或其他压缩文件），请使用系统下载的模板。")


def iter_sheet_rows(data: bytes, *, limits: SheetLimits, sheet_title: str | None = None) -> Iterator[tuple]:
    """Rows of one sheet (the named one, else the first) as tuples of cell values, after
    `check_spreadsheet`. Stops with UnsafeFile as soon as a cap is crossed."""
    check_spreadsheet(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises many kinds for a malformed package; none is the user's to read
        raise UnsafeFile("无法读取该 Excel 文件（文件内容不完整或格式不正确），请使用系统下载的模板。") from None
    try:
        if sheet_title is not None and sheet_title in workbook.sheetnames:
            sheet = workbook[sheet_title]
        elif sheet_title is not None:
            raise UnsafeFile(f"文件中没有名为“{sheet_title}”的工作表，请使用系统下载的模板。")
        else:
            sheet = workbook.worksheets[0]
        yield from _capped_rows(sheet, limits)
    finally:
        workbook.close()


def _capped_rows(sheet, limits: SheetLimits) -> Iterator[tuple]:
    # The declared <dimension> is cheap to read; a sheet that claims a million rows is refused
    # before its rows are parsed (a million empty rows take seconds to iterate).
    declared_rows, declared_columns = _declared_size(sheet)
    if declared_rows > limits.max_rows:
        raise UnsafeFile(_too_many_rows(declared_rows, limits))
    if declared_columns > limits.max_columns:
        raise UnsafeFile(_too_many_columns(declared_columns, limits))
    try:
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > limits.max_rows:
                raise UnsafeFile(_too_many_rows(number, limits))
            if len(row) > limits.max_columns and any(value not in (None, "") for value in row[limits.max_columns :]):
                raise UnsafeFile(_too_many_columns(len(row), limits))
            row = row[: limits.max_columns]
            for column, value in enumerate(row, start=1):
                if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
                    raise UnsafeFile(
                        f"第 {number} 行 {get_column_letter(column)} 列的内容过长（{len(value)} 个字符，"
                        f"Excel 单元格上限 {MAX_CELL_CHARACTERS}），疑似异常文件，已拒绝。"
                    )
            yield row
    except UnsafeFile:
        raise
    except Exception:  # a sheet that breaks half-way (bad XML, entity tricks that slipped through)
        raise UnsafeFile("无法读取该 Excel 文件（工作表内容格式不正确），请使用系统下载的模板。") from None


def _declared_size(sheet) -> tuple[int, int]:
    try:
        return int(sheet.max_row or 0), int(sheet.max_column or 0)
    except (TypeError, ValueError):
        return 0, 0


def _too_many_rows(rows: int, limits: SheetLimits) -> str:
    return f"表格行数过多（至少 {rows} 行，上限 {limits.max_rows} 行）。如果表格末尾有大量空行，请删除后重新上传。"


def _too_many_columns(columns: int, limits: SheetLimits) -> str:
    return f"表格列数过多（{columns} 列，上限 {limits.max_columns} 列），请使用系统下载的模板。"


def escape_formula(value):
    """Text that Excel would run as a formula (= + - @ tab CR NUL at the start) gets a leading
    apostrophe (ASVS 5.0 1.2.10; import-export's own flag covers only "=")."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value

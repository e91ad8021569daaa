"""Opening an uploaded .xlsx safely, and writing cells that Excel will not run as formulas.

Order of checks (reliability.md §1.7, §4.2, table C2; issue 18 §1): the upload's size; what the
bytes are (a zip, an OLE2 file with a password, an old .xls, anything else); the zip's central
directory and members (zip_safety.inspect_zip: member count, declared sizes, ratio, paths, symlinks,
DTDs); macros; only then the sheets, streamed by sheet_stream with each part's declared size checked
first and every row, cell and element counted against the caps as it is read. Each refusal has its
own Chinese message; nothing here writes anything. Every upload path (the department's fill, the
bureau's wide import, the survey import, the framework import, the admin imports) goes through here.
"""

from collections.abc import Iterator
from dataclasses import replace

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from spreadsheets.sheet_stream import MAX_CELL_CHARACTERS, PART_LIMITS, SheetLimits, XlsxPackage
from spreadsheets.zip_safety import (
    SPREADSHEET_LIMITS,
    UnsafeFile,
    ZipLimits,
    has_macros,
    inspect_ole,
    inspect_zip,
    is_ole,
    is_zip,
)

__all__ = [
    "MAX_CELL_CHARACTERS",
    "MAX_UPLOAD_BYTES",
    "SheetLimits",
    "UnsafeFile",
    "check_spreadsheet",
    "escape_formula",
    "iter_sheet_rows",
    "new_workbook",
    "open_spreadsheet",
    "read_upload",
]

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")


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


def open_spreadsheet(data: bytes, *, max_sheet_bytes: int | None = None) -> XlsxPackage:
    """Bytes of an upload, checked as a whole, opened for streaming its sheets (close it after).
    `max_sheet_bytes`: a sheet's XML may be this big (SheetLimits.max_sheet_bytes), else the default."""
    check_spreadsheet(data, max_sheet_bytes=max_sheet_bytes)
    if max_sheet_bytes is None:
        return XlsxPackage(data)
    return XlsxPackage(data, limits=replace(PART_LIMITS, max_sheet_bytes=max_sheet_bytes))


def _zip_limits(max_sheet_bytes: int | None) -> ZipLimits:
    """The zip checks for a path whose sheets may be bigger than the default: the worksheet members
    may grow to `max_sheet_bytes` and the total by as much; every other member keeps its cap."""
    if max_sheet_bytes is None:
        return SPREADSHEET_LIMITS
    return replace(
        SPREADSHEET_LIMITS,
        max_total_uncompressed=SPREADSHEET_LIMITS.max_total_uncompressed + max_sheet_bytes,
        max_sheet_member_uncompressed=max_sheet_bytes,
    )


def check_spreadsheet(data: bytes, *, max_sheet_bytes: int | None = None) -> None:
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
    names = inspect_zip(data, limits=_zip_limits(max_sheet_bytes))
    if has_macros(data, names):
        raise UnsafeFile("文件包含宏（.xlsm 等启用宏的工作簿），出于安全考虑不予接收。请另存为普通 .xlsx 后上传。")
    if "xl/workbook.xml" not in names:
        raise UnsafeFile("文件不是 Excel 工作簿（可能是 Word 或其他压缩文件），请使用系统下载的模板。")


def iter_sheet_rows(data: bytes, *, limits: SheetLimits, sheet_title: str | None = None) -> Iterator[tuple]:
    """Rows of one sheet (the named one, else the first) as tuples of cell values, after
    `check_spreadsheet`. Stops with UnsafeFile as soon as a cap is crossed."""
    with open_spreadsheet(data, max_sheet_bytes=limits.max_sheet_bytes) as package:
        yield from package.rows(sheet_title, limits=limits)


def escape_formula(value):
    """Text that Excel would run as a formula (= + - @ tab CR NUL at the start) gets a leading
    apostrophe (ASVS 5.0 1.2.10; import-export's own flag covers only "=")."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def new_workbook(title: str) -> tuple[Workbook, Worksheet]:
    """A new workbook for an export, and its one sheet named `title`."""
    workbook = Workbook()
    sheet = workbook.active
    if not isinstance(sheet, Worksheet):  # a new, writable workbook always opens on one worksheet
        raise TypeError(f"a new workbook opened on {type(sheet).__name__}")
    sheet.title = title
    return workbook, sheet

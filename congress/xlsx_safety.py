"""Safe handling of spreadsheets: hostile uploads in, formula injection out.

An .xlsx is a zip of XML. Before openpyxl parses an upload we bound the file size, the number of
zip members, the declared uncompressed size and the compression ratio (zip bombs). The declared
sizes can be trusted as a bound because Python's zipfile stops decompressing a member at its
declared size. XML entity attacks are handled by defusedxml, which openpyxl uses when installed.
"""

import io
import zipfile

from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_ZIP_MEMBERS = 500
MAX_COMPRESSION_RATIO = 200

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class UnsafeWorkbookError(ValueError):
    """The upload is not a spreadsheet we are willing to open; the message is for the user."""


def open_uploaded_workbook(uploaded) -> Workbook:
    """Checks an uploaded file and opens it read-only (values, not formulas)."""
    size = getattr(uploaded, "size", None)
    if size is None or size > MAX_UPLOAD_BYTES:
        raise UnsafeWorkbookError(f"文件过大，Excel 文件不能超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB。")
    data = uploaded.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UnsafeWorkbookError(f"文件过大，Excel 文件不能超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB。")
    if not data.startswith(b"PK\x03\x04"):
        raise UnsafeWorkbookError("文件不是 Excel（.xlsx）格式，请使用下载的模板填写后上传。")
    buffer = io.BytesIO(data)
    try:
        with zipfile.ZipFile(buffer) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise UnsafeWorkbookError("文件已损坏或不是 Excel（.xlsx）格式。") from None
    if len(members) > MAX_ZIP_MEMBERS:
        raise UnsafeWorkbookError("文件结构异常（内部文件过多），已拒绝。")
    if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
        raise UnsafeWorkbookError("文件解压后过大，已拒绝。请拆分后分批导入。")
    for member in members:
        if member.compress_size and member.file_size / member.compress_size > MAX_COMPRESSION_RATIO:
            raise UnsafeWorkbookError("文件压缩比异常，疑似压缩炸弹，已拒绝。")
    buffer.seek(0)
    try:
        return load_workbook(buffer, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for malformed packages
        raise UnsafeWorkbookError("无法读取该 Excel 文件，请使用下载的模板填写后上传。") from None


def escape_formula(value):
    """Text that a spreadsheet would run as a formula is prefixed with an apostrophe.

    Survey answers are typed by the public; "=HYPERLINK(...)" must reach Excel as text.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value

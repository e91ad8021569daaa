"""What an evidence file really is, judged by its content; the extension must agree.

The allow-list is what departments actually attach as 佐证材料: PDF scans, Word and Excel documents
(old and new formats), photos (JPG/PNG) and OFD (the national fixed-layout format, GB/T 33190).
No library sniffs OFD or tells an encrypted Office file from an old .doc, so the checks are written
out here: magic bytes for PDF/PNG/JPG, the zip structure for OOXML and OFD (after the zip-bomb
checks), the OLE2 directory (olefile) for .doc/.xls. SVG is refused outright: it is XML that a
browser runs scripts from.
"""

from dataclasses import dataclass
from pathlib import PurePosixPath

from spreadsheets.zip_safety import UnsafeFile, ZipLimits, has_macros, inspect_ole, inspect_zip, is_ole, is_zip


@dataclass(frozen=True)
class FileKind:
    label: str
    extension: str  # the one we store under
    extensions: frozenset[str]  # what the user's name may end with
    content_type: str
    is_previewable: bool = False  # shown inline (PDF and images); everything else downloads


PDF = FileKind("PDF 文档", "pdf", frozenset({"pdf"}), "application/pdf", is_previewable=True)
PNG = FileKind("PNG 图片", "png", frozenset({"png"}), "image/png", is_previewable=True)
JPEG = FileKind("JPG 图片", "jpg", frozenset({"jpg", "jpeg"}), "image/jpeg", is_previewable=True)
DOC = FileKind("Word 文档（.doc）", "doc", frozenset({"doc"}), "application/msword")
XLS = FileKind("Excel 表格（.xls）", "xls", frozenset({"xls"}), "application/vnd.ms-excel")
DOCX = FileKind(
    "Word 文档",
    "docx",
    frozenset({"docx"}),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
XLSX = FileKind(
    "Excel 表格", "xlsx", frozenset({"xlsx"}), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)
OFD = FileKind("OFD 版式文档", "ofd", frozenset({"ofd"}), "application/ofd")

ALLOWED_KINDS = (PDF, DOC, DOCX, XLS, XLSX, JPEG, PNG, OFD)
ALLOWED_EXTENSIONS = sorted({extension for kind in ALLOWED_KINDS for extension in kind.extensions})
ACCEPT_ATTRIBUTE = ",".join(f".{extension}" for extension in ALLOWED_EXTENSIONS)
ALLOWED_TEXT = "PDF、Word（doc/docx）、Excel（xls/xlsx）、JPG/PNG 图片、OFD"
# Shown in the browser when asked; everything else, and every file stored before its type was
# detected (empty type), only downloads. Never HTML, SVG or anything a browser would run.
PREVIEWABLE_TYPES = frozenset(kind.content_type for kind in ALLOWED_KINDS if kind.is_previewable)
KNOWN_TYPES = frozenset(kind.content_type for kind in ALLOWED_KINDS)

# Word documents with many photos are large when inflated but barely compress (JPEGs inside).
DOCUMENT_LIMITS = ZipLimits(max_members=2000, max_total_uncompressed=200 * 1024 * 1024, max_ratio=100)


def is_previewable(content_type: str) -> bool:
    return content_type in PREVIEWABLE_TYPES


def extension_of(filename: str) -> str:
    return PurePosixPath(filename.replace("\\", "/")).suffix.lower().lstrip(".")


def detect_kind(data: bytes, filename: str) -> FileKind:
    """The kind of an uploaded evidence file, or UnsafeFile with a message naming the problem."""
    extension = extension_of(filename)
    if extension == "svg" or extension == "svgz":
        raise UnsafeFile("不接受 SVG 图片（其中可能含有脚本），请转换为 PNG 或 JPG 后上传。")
    if extension not in ALLOWED_EXTENSIONS:
        shown = f"“.{extension}”" if extension else "无扩展名的"
        raise UnsafeFile(f"不支持{shown}文件。佐证材料可以是：{ALLOWED_TEXT}。")
    if not data:
        raise UnsafeFile("文件是空的（0 字节），请重新选择文件。")
    kind = _kind_from_content(data)
    if kind is None:
        raise UnsafeFile(f"文件内容与扩展名“.{extension}”不符（{_describe_unknown(data)}），已拒绝。")
    if extension not in kind.extensions:
        raise UnsafeFile(f"文件内容是{kind.label}，与扩展名“.{extension}”不符。请改正扩展名或重新导出后上传。")
    return kind


def _kind_from_content(data: bytes) -> FileKind | None:
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if is_zip(data):
        return _zip_kind(data)
    if is_ole(data):
        return _ole_kind(data)
    return None


def _zip_kind(data: bytes) -> FileKind | None:
    names = inspect_zip(data, limits=DOCUMENT_LIMITS)
    if has_macros(data, names):
        raise UnsafeFile("文件包含宏（启用宏的 Word/Excel 文档），出于安全考虑不予接收。请另存为普通文档后上传。")
    lowered = {name.lower() for name in names}
    if "word/document.xml" in lowered:
        return DOCX
    if "xl/workbook.xml" in lowered:
        return XLSX
    if "ofd.xml" in lowered:
        return OFD
    return None


def _ole_kind(data: bytes) -> FileKind | None:
    summary = inspect_ole(data)
    if summary.is_encrypted:
        raise UnsafeFile("文件设置了打开密码（已加密），审核人员无法查看。请取消密码后上传。")
    if summary.has_macros:
        raise UnsafeFile("文件包含宏，出于安全考虑不予接收。请另存为不含宏的文档后上传。")
    if summary.is_word:
        return DOC
    if summary.is_excel:
        return XLS
    return None


def _describe_unknown(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    if data.startswith(b"MZ") or data.startswith(b"\x7fELF"):
        return "实际是可执行程序"
    if head.startswith((b"<!doctype html", b"<html", b"<script", b"<?xml", b"<svg", b"<")):
        return "实际是网页或 XML 文本"
    if is_zip(data):
        return "实际是其他压缩包"
    return "无法识别的文件内容"

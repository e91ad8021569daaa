"""Looking inside an uploaded Office package before anything parses it.

An .xlsx, .docx or .ofd is a zip of XML; an old .doc/.xls (and an Office file with an opening
password) is an OLE2 compound file. Both come from outside and are hostile until checked. The zip
checks read only the central directory and then stream each member with a byte budget, so a
394 KB file that inflates to 400 MB (reliability.md §4.2: 793 MB peak RSS in openpyxl) is refused
after reading at most the budget, never parsed. Every refusal carries a Chinese message for the user.
"""

import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from functools import partial
from pathlib import PurePosixPath

import olefile

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An XML document type declaration is how entity attacks (billion laughs, XXE) begin; Office
# packages never carry one, so finding it is enough to refuse.
DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
MACRO_MEMBERS = ("vbaproject.bin", "vbadata.xml")
MACRO_CONTENT_TYPES = (b"macroEnabled", b"vbaProject")


class UnsafeFile(ValueError):
    """The upload is not a file we are willing to open; `message` is shown to the user as is."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ZipLimits:
    max_members: int = 200
    max_total_uncompressed: int = 25 * 1024 * 1024
    # One member's declared size: no part of a form-sized workbook comes near it. None: the total.
    max_member_uncompressed: int | None = None
    # A worksheet's XML (xl/worksheets/*.xml) may be this big; None: the member cap as for the rest.
    max_sheet_member_uncompressed: int | None = None
    max_ratio: int = 100
    # Ratios of tiny members (an empty sheet's XML) mean nothing; only members above this are judged.
    ratio_floor: int = 64 * 1024


SPREADSHEET_LIMITS = ZipLimits(max_member_uncompressed=20 * 1024 * 1024)


def is_zip(data: bytes) -> bool:
    return data.startswith(ZIP_MAGIC)


def is_ole(data: bytes) -> bool:
    return data.startswith(OLE_MAGIC)


def inspect_zip(data: bytes, *, limits: ZipLimits = SPREADSHEET_LIMITS) -> list[str]:
    """The member names of a zip that passed every check; raises UnsafeFile otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnsafeFile("文件已损坏，无法打开（压缩包结构不完整）。") from None
    with archive:
        members = archive.infolist()
        _check_directory(members, limits)
        for member in members:
            if member.flag_bits & 0x1:
                raise UnsafeFile("文件已加密（设置了密码），请取消密码后再上传。")
        _check_contents(archive, members, limits)
        return [member.filename for member in members]


def _check_directory(members: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    if not members:
        raise UnsafeFile("文件是空的压缩包，不是有效的文档。")
    if len(members) > limits.max_members:
        raise UnsafeFile(f"文件内部结构异常（包含 {len(members)} 个部件，上限 {limits.max_members}），已拒绝。")
    total = sum(member.file_size for member in members)
    if total > limits.max_total_uncompressed:
        raise UnsafeFile(
            f"文件解压后过大（约 {total // (1024 * 1024)} MB，上限 "
            f"{limits.max_total_uncompressed // (1024 * 1024)} MB），疑似压缩炸弹，已拒绝。"
        )
    member_cap = limits.max_member_uncompressed or limits.max_total_uncompressed
    for member in members:
        name = member.filename
        cap = member_cap
        if limits.max_sheet_member_uncompressed and _is_worksheet(name):
            cap = limits.max_sheet_member_uncompressed
        if member.file_size > cap:
            raise UnsafeFile(
                f"文件中的部件解压后过大（约 {member.file_size // (1024 * 1024)} MB，上限 "
                f"{cap // (1024 * 1024)} MB），疑似压缩炸弹，已拒绝。"
            )
        path = PurePosixPath(name)
        if name.startswith(("/", "\\")) or ".." in path.parts or "\\" in name or ":" in name:
            raise UnsafeFile("文件内部含有不安全的路径，已拒绝。")
        # Unix symlinks in a zip carry the S_IFLNK bits in the high word of external_attr.
        if (member.external_attr >> 16) & 0o170000 == 0o120000:
            raise UnsafeFile("文件内部含有符号链接，已拒绝。")
        if member.file_size > limits.ratio_floor:
            ratio = member.file_size / max(member.compress_size, 1)
            if ratio > limits.max_ratio:
                raise UnsafeFile("文件压缩比异常（疑似压缩炸弹），已拒绝。")


def _is_worksheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.count("/") == 2 and name.endswith(".xml")


def _check_contents(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    """Stream each XML member with the declared size as a hard budget and look for a DTD."""
    budget = limits.max_total_uncompressed
    for member in members:
        if not member.filename.lower().endswith((".xml", ".rels")):
            continue
        tail = b""
        try:
            with archive.open(member) as stream:
                for chunk in iter(partial(stream.read, 64 * 1024), b""):
                    budget -= len(chunk)
                    if budget < 0:
                        raise UnsafeFile("文件解压后过大，疑似压缩炸弹，已拒绝。")
                    window = tail + chunk
                    if any(marker in window for marker in DTD_MARKERS):
                        raise UnsafeFile("文件包含不允许的 XML 实体声明（可能是恶意构造的文件），已拒绝。")
                    tail = chunk[-16:]
        except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, RuntimeError):
            raise UnsafeFile("文件已损坏，无法打开（压缩包内容校验失败）。") from None


def has_macros(data: bytes, names: Iterable[str]) -> bool:
    if any(PurePosixPath(name).name.lower() in MACRO_MEMBERS for name in names):
        return True
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        try:
            content_types = archive.read("[Content_Types].xml")
        except KeyError:
            return False
    return any(marker in content_types for marker in MACRO_CONTENT_TYPES)


@dataclass(frozen=True)
class OleSummary:
    is_encrypted: bool  # an OOXML file with an opening password, or an encrypted legacy file
    is_word: bool
    is_excel: bool
    has_macros: bool


def inspect_ole(data: bytes) -> OleSummary:
    """What an OLE2 compound file holds, from its directory only (no stream is decoded)."""
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except (OSError, ValueError, IndexError):
        raise UnsafeFile("文件已损坏，无法打开。") from None
    try:
        streams = {"/".join(parts).lower() for parts in ole.listdir(streams=True, storages=True)}
    except (OSError, ValueError, IndexError):
        raise UnsafeFile("文件已损坏，无法打开。") from None
    finally:
        ole.close()
    return OleSummary(
        is_encrypted="encryptioninfo" in streams or "encryptedpackage" in streams,
        is_word="worddocument" in streams,
        is_excel="workbook" in streams or "book" in streams,
        has_macros=any(name.startswith(("macros", "_vba_project_cur")) or "/vba/" in name for name in streams),
    )

"""The hostile spreadsheet corpus of issue 18 §1, built in memory, small to keep and quick to make.

Every file is a minimal .xlsx whose workbook names the same hostile sheet under each title an upload
path looks for (填报表 for the department's fill, 批量导入 for the bureau's wide import, 指标体系 first
for the framework import; the survey and admin imports read the first sheet), so one file per class
reaches the hostile part on all five paths. Each class names the check that must refuse it: a file
that the zip checks would refuse for another reason (its ratio, say) would not test the row counting.
"""

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO

from openpyxl.utils import get_column_letter

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
TITLES = ("填报表", "批量导入", "指标体系")


def _workbook_xml() -> str:
    sheets = "".join(f'<sheet name="{title}" sheetId="{n}" r:id="rId1"/>' for n, title in enumerate(TITLES, start=1))
    head = f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
    return f"{head}<sheets>{sheets}</sheets></workbook>"


def _relationships(shared_strings: bool) -> str:
    base = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    items = f'<Relationship Id="rId1" Type="{base}/worksheet" Target="worksheets/sheet1.xml"/>'
    if shared_strings:
        items += f'<Relationship Id="rId9" Type="{base}/sharedStrings" Target="sharedStrings.xml"/>'
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_REL}">{items}</Relationships>'


CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE_REL}">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def sheet(body: str | bytes, *, dimension: str = "") -> bytes:
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">'
    if dimension:
        head += f'<dimension ref="{dimension}"/>'
    body = body.encode() if isinstance(body, str) else body
    return head.encode() + b"<sheetData>" + body + b"</sheetData></worksheet>"


ONE_CELL = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>单位编码</t></is></c></row>')


def package(
    sheet_xml: bytes = ONE_CELL,
    *,
    shared_strings: bytes | None = None,
    extra: dict[str, bytes] | None = None,
    symlink: str | None = None,
) -> bytes:
    buffer = BytesIO()
    # Level 1: fast to build, and it keeps the ratio of the big row lists under the ratio cap.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", _workbook_xml())
        archive.writestr("xl/_rels/workbook.xml.rels", _relationships(shared_strings is not None))
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (0o120777 << 16) | 0x20
            archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def deflate_bomb(megabytes: int = 200) -> bytes:
    """One inline-string cell of 200 million characters in a ~0.9 MB file (issue 18: a 393 KB bomb
    took 909 MB in the admin import). Streamed into the zip, so building it never holds the 200 MB."""
    base = zipfile.ZipFile(BytesIO(package()))
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for item in base.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(item.filename, base.read(item.filename))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(sheet("").replace(b"</sheetData>", b"")[: -len(b"</worksheet>")])
            member.write(b'<row r="1"><c r="A1" t="inlineStr"><is><t>')
            chunk = b"A" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
            member.write(b"</t></is></c></row></sheetData></worksheet>")
    return buffer.getvalue()


# The row classes are sheet bodies from row 11 on; each path puts its own valid header (rows 1–10)
# in front (`assemble`), so the rows are read by a path that accepted the header, not refused early.
FIRST_BODY_ROW = 11


def empty_rows(last: int = 1_048_576) -> bytes:
    return "".join(f'<row r="{n}"/>' for n in range(FIRST_BODY_ROW, last + 1)).encode()


def blank_cells(count: int = 1_000_000, per_row: int = 10_000) -> bytes:
    """A million blank cells with no data (styled blanks, as an over-eager format painter leaves)."""
    letters = [get_column_letter(n) for n in range(1, per_row + 1)]
    rows = []
    for row in range(FIRST_BODY_ROW, FIRST_BODY_ROW + count // per_row):
        rows.append(f'<row r="{row}">' + "".join(f'<c r="{letter}{row}"/>' for letter in letters) + "</row>")
    return "".join(rows).encode()


def data_rows(count: int = 200_000) -> bytes:
    return "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(FIRST_BODY_ROW, FIRST_BODY_ROW + count)
    ).encode()


def head(rows: list[list[str]]) -> bytes:
    """Rows 1… of inline-string cells (at most 10 rows)."""
    assert len(rows) < FIRST_BODY_ROW
    xml = []
    for number, cells in enumerate(rows, start=1):
        items = "".join(
            f'<c r="{get_column_letter(column)}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
            for column, text in enumerate(cells, start=1)
        )
        xml.append(f'<row r="{number}">{items}</row>')
    return "".join(xml).encode()


def assemble(body: bytes, header_rows: list[list[str]], *, dimension: str = "") -> bytes:
    return package(sheet(head(header_rows) + body, dimension=dimension))


def shared_strings(megabytes: int) -> bytes:
    """A shared-strings table of about `megabytes` MB of distinct texts, used by one cell."""
    items, size, n = [], 0, 0
    target = megabytes * 1024 * 1024
    while size < target:
        item = f"<si><t>问卷意见第{n}条</t></si>"
        items.append(item)
        size += len(item.encode())
        n += 1
    table = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{n}" uniqueCount="{n}">'
        + "".join(items)
        + "</sst>"
    ).encode()
    return package(sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'), shared_strings=table)


def many_members(count: int = 309) -> bytes:
    return package(extra={f"xl/media/image{n}.png": b"\x89PNG" for n in range(count - 5)})


def symlink_member() -> bytes:
    return package(symlink="xl/media/link.png")


def path_traversal() -> bytes:
    return package(extra={"../../evil.xml": b"<x/>"})


def big_member(megabytes: int = 30) -> bytes:
    """A 30 MB member that compresses about 80:1, under the ratio cap: the size checks must refuse it."""
    import random

    rng = random.Random(18)
    block = bytes(rng.getrandbits(8) for _ in range(16 * 1024))
    return package(extra={"xl/media/big.bin": block * (megabytes * 64)})


@dataclass(frozen=True)
class Case:
    build: Callable[[], bytes]
    message: str  # a fragment of the Chinese refusal the user must see
    is_body: bool = False  # rows from FIRST_BODY_ROW on, to `assemble` behind a path's header
    dimension: str = ""


CORPUS: dict[str, Case] = {
    "deflate_bomb": Case(deflate_bomb, "压缩炸弹"),
    "million_empty_rows_with_dimension": Case(empty_rows, "行数过多", is_body=True, dimension="A1:A1048576"),
    "million_empty_rows_without_dimension": Case(empty_rows, "行数过多", is_body=True),
    "million_blank_cells": Case(blank_cells, "单元格过多", is_body=True),
    "shared_strings_24_mb": Case(lambda: shared_strings(24), "解压后过大"),
    "shared_strings_over_the_part_cap": Case(lambda: shared_strings(8), "共享字符串表过大"),
    "309_members": Case(many_members, "部件"),
    "symlink_member": Case(symlink_member, "符号链接"),
    "path_traversal_member": Case(path_traversal, "不安全的路径"),
    "30_mb_member": Case(big_member, "解压后过大"),
    "200k_data_rows": Case(data_rows, "行数过多", is_body=True),
}

"""Files built in the tests, good and hostile: evidence of every accepted kind, and the hostile
spreadsheet corpus of reliability.md table C2 (entity attacks, zip bombs, huge sheets, macros,
passwords, files that are not what they claim)."""

import io
import zipfile

from docx import Document
from msoffcrypto.format.ooxml import OOXMLFile
from openpyxl import Workbook

PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
HTML_BYTES = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
SVG_BYTES = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def docx_bytes(text: str = "佐证材料") -> bytes:
    document = Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_bytes(rows=(("a", 1),), title: str = "填报表") -> bytes:
    workbook = Workbook()
    workbook.active.title = title
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ofd_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        namespace = 'xmlns:ofd="http://www.ofdspec.org/2016"'
        archive.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD {namespace} Version="1.0"/>')
        archive.writestr("Doc_0/Document.xml", f"<ofd:Document {namespace}/>")
    return buffer.getvalue()


def rezip(data: bytes, *, add: dict[str, bytes] | None = None, replace: dict[str, bytes] | None = None) -> bytes:
    """A copy of an Office zip with members added or replaced."""
    add, replace = add or {}, replace or {}
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, replace.get(item.filename, source.read(item.filename)))
        for name, content in add.items():
            target.writestr(name, content)
    return buffer.getvalue()


ENCRYPTION_PASSWORD = "Secret#2025"


def encrypted(data: bytes, password: str = ENCRYPTION_PASSWORD) -> bytes:
    office = OOXMLFile(io.BytesIO(data))
    out = io.BytesIO()
    office.encrypt(password, out)
    return out.getvalue()


def macro_enabled(data: bytes) -> bytes:
    content_types = zipfile.ZipFile(io.BytesIO(data)).read("[Content_Types].xml")
    content_types = content_types.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return rezip(
        data,
        add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 512},
        replace={"[Content_Types].xml": content_types},
    )


SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def with_sheet(sheet_xml: str | bytes, base: bytes | None = None) -> bytes:
    base = base or xlsx_bytes()
    content = sheet_xml.encode() if isinstance(sheet_xml, str) else sheet_xml
    return rezip(base, replace={"xl/worksheets/sheet1.xml": content})


def billion_laughs() -> bytes:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10)
    )
    return with_sheet(
        f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    )


def xxe() -> bytes:
    return with_sheet(
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/hostname">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
    )


def zip_bomb(megabytes: int = 100) -> bytes:
    """A sheet whose one cell inflates to `megabytes` MB from a few hundred KB."""
    filler = b"A" * (megabytes * 1024 * 1024)
    sheet = (
        SHEET_HEAD.encode()
        + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        + filler
        + b"</t></is></c></row></sheetData></worksheet>"
    )
    return with_sheet(sheet)


def million_empty_rows() -> bytes:
    rows = "".join(f'<row r="{n}"/>' for n in range(1, 1_048_577))
    return with_sheet(SHEET_HEAD + '<dimension ref="A1:A1048576"/><sheetData>' + rows + "</sheetData></worksheet>")


def many_rows_without_dimension(count: int) -> bytes:
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, count + 1))
    return with_sheet(SHEET_HEAD + "<sheetData>" + rows + "</sheetData></worksheet>")


def sixteen_thousand_columns() -> bytes:
    workbook = Workbook()
    workbook.active.title = "填报表"
    workbook.active.append(list(range(16384)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def huge_cell(characters: int = 1_000_000) -> bytes:
    import random

    # Random CJK text barely compresses, so the zip ratio check does not catch it: the cell cap must.
    rng = random.Random(7)
    text = "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(characters))
    return with_sheet(
        SHEET_HEAD
        + '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
        + text
        + "</t></is></c></row></sheetData></worksheet>"
    )


def many_members(count: int = 1000) -> bytes:
    base = xlsx_bytes()
    return rezip(base, add={f"xl/media/image{n}.bin": b"x" for n in range(count)})


def path_traversal() -> bytes:
    return rezip(xlsx_bytes(), add={"../../evil.xml": b"<x/>"})

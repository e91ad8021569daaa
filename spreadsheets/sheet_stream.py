"""Reading the sheets of an .xlsx as a stream of rows, every part and every element on a budget.

openpyxl trusts a sheet's <dimension> for the rows it returns but parses the XML to its end, loads
the whole shared-strings table before the first row, and spends ~5 µs per cell even in read-only
mode: a million empty rows, a million blank cells or 24 MB of shared strings cost 4–23 s and up to
620 MB (issue 18). This reader checks each part's declared size before it is opened (the zip
reader enforces the actual size: it returns at most the declared bytes and fails the CRC
otherwise), then streams the XML with ElementTree's iterparse, dropping every element once read.
Every <row> element read counts against the row cap whether it holds anything or not (so do the
rows a jump in row numbers skips), every <c> against the cell cap, and every element against an
element budget, so the work done is bounded by the caps, not by what the file claims. Reading stops
at the first limit with UnsafeFile and a Chinese message. Values come back as openpyxl's read-only,
values-only mode gives them (numbers, text, booleans, dates by the cell's number format, formulas as
their cached value), so callers did not change.

PARSING: the standard library's iterparse (the C parser; defusedxml's pure-Python parser is twice as
slow) is safe here only because the package is opened through spreadsheets.xlsx_safety, whose zip
checks refuse any part that carries a DTD (<!DOCTYPE, <!ENTITY: billion laughs, XXE) before this
module parses a byte. Never open an XlsxPackage on bytes that did not pass check_spreadsheet.
"""

import functools
import io
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError, iterparse

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.cell import column_index_from_string
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel, from_ISO8601
from openpyxl.utils.escape import unescape

from spreadsheets.zip_safety import UnsafeFile

MAX_CELL_CHARACTERS = 32767
# Excel's own sheet size: a row past it, or a row with more cells than this, is crafted.
EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
RELATIONSHIP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# Transitional (what Excel writes) and Strict namespaces of a worksheet.
SHEET_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
CELL, ROW, SHEET_DATA, DIMENSION = "c", "row", "sheetData", "dimension"
RUN_PROPERTIES = ("b", "i", "u", "strike", "sz", "color", "rFont", "family", "charset", "scheme", "vertAlign")
# What a cell holds: its value, formula, inline string and rich-text runs (with phonetic hints).
CELL_PARTS = ("v", "f", "is", "t", "r", "rPh", "phoneticPr", "rPr", *RUN_PROPERTIES)
SHEET_TAGS = {
    f"{{{namespace}}}{name}": name
    for namespace in SHEET_NAMESPACES
    for name in (CELL, ROW, SHEET_DATA, DIMENSION, *CELL_PARTS)
}
# A cell's value (<v>), inline string (<is>) and its text (<t>), by full tag in either namespace.
VALUE_TAGS = frozenset(f"{{{namespace}}}v" for namespace in SHEET_NAMESPACES)
INLINE_TAGS = frozenset(f"{{{namespace}}}is" for namespace in SHEET_NAMESPACES)
TEXT_TAGS = frozenset(f"{{{namespace}}}t" for namespace in SHEET_NAMESPACES)
# Elements outside rows and cells (column widths, views, merged cells before <sheetData>; anything a
# crafted file slips between rows). They stay in memory until the sheet is read, so they are capped.
MAX_OTHER_ELEMENTS = 100_000
ELEMENT_BUDGET_MESSAGE = "工作表结构异常（XML 元素过多），疑似异常文件，已拒绝。"
SHARED_STRINGS_TYPE = "/sharedStrings"
STYLES_TYPE = "/styles"


@dataclass(frozen=True)
class PartLimits:
    """Declared (uncompressed) size caps per part, checked before the part is opened."""

    max_sheet_bytes: int = 20 * 1024 * 1024
    max_shared_strings_bytes: int = 6 * 1024 * 1024
    max_shared_strings: int = 250_000
    max_small_part_bytes: int = 2 * 1024 * 1024  # workbook.xml, its relationships, styles.xml


PART_LIMITS = PartLimits()


# Cells read cost about 1 µs each on a quiet core (3–4 on a busy one): 150,000 is far above any
# form-sized sheet here (300 units × 200 indicator columns is 60,000) and well inside the 5 s budget.
DEFAULT_MAX_CELLS = 150_000


@dataclass(frozen=True)
class SheetLimits:
    max_rows: int
    max_columns: int
    # Every <c> element read, blank or not; None: max_rows × max_columns, at most DEFAULT_MAX_CELLS.
    max_cells: int | None = None
    # The sheet XML's uncompressed size; None: PartLimits.max_sheet_bytes. Only a path whose honest
    # files are bigger (the bureau's wide import of a province) raises it; the zip checks then let
    # that one kind of member grow to it, every other member keeps its cap.
    max_sheet_bytes: int | None = None

    @property
    def cell_budget(self) -> int:
        if self.max_cells is not None:
            return self.max_cells
        return min(self.max_rows * self.max_columns, DEFAULT_MAX_CELLS)

    @property
    def element_budget(self) -> int:
        # A cell is <c> plus <v> (or <is><t>, or <f>); rows and the parts around sheetData
        # (columns, merged cells, data validations) add a few thousand at most.
        return self.max_rows + 3 * self.cell_budget + 50_000


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class XlsxPackage:
    """An .xlsx that passed the zip checks, opened for streaming its sheets by title."""

    def __init__(self, data: bytes, *, limits: PartLimits = PART_LIMITS):
        self.limits = limits
        try:
            self.archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError):
            raise UnsafeFile("文件已损坏，无法打开（压缩包结构不完整）。") from None
        try:
            self._read_workbook()
        except UnsafeFile:
            self.archive.close()
            raise
        self._shared_strings: list[str] | None = None
        self._date_styles: frozenset[int] | None = None

    def close(self) -> None:
        self.archive.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    @property
    def sheet_titles(self) -> list[str]:
        return list(self.sheets)

    # --- the package's small parts ---------------------------------------------------------------

    def _member(self, name: str, max_bytes: int, what: str) -> zipfile.ZipInfo | None:
        try:
            info = self.archive.getinfo(name)
        except KeyError:
            return None
        if info.file_size > max_bytes:
            raise UnsafeFile(
                f"文件中的{what}过大（解压后约 {_megabytes(info.file_size)}，上限 {_megabytes(max_bytes)}），"
                "疑似异常文件，已拒绝。"
            )
        return info

    def _small_tree(self, name: str, what: str):
        info = self._member(name, self.limits.max_small_part_bytes, what)
        if info is None:
            return None
        try:
            with self.archive.open(info) as stream:
                elements = [element for _, element in iterparse(stream, events=("end",))]  # noqa: S314 (see PARSING)
        except (ParseError, zipfile.BadZipFile, EOFError, OSError, RuntimeError):
            raise UnsafeFile("无法读取该 Excel 文件（文件内容不完整或格式不正确），请使用系统下载的模板。") from None
        return elements

    def _read_workbook(self) -> None:
        workbook = self._small_tree("xl/workbook.xml", "工作簿结构")
        relationships = self._small_tree("xl/_rels/workbook.xml.rels", "工作簿关系表")
        if workbook is None or relationships is None:
            raise UnsafeFile("文件不是 Excel 工作簿（缺少工作簿结构），请使用系统下载的模板。")
        targets, self.shared_strings_name, self.styles_name = {}, None, None
        for element in relationships:
            if _local(element.tag) != "Relationship":
                continue
            target = _resolve(element.get("Target", ""))
            targets[element.get("Id")] = target
            kind = element.get("Type", "")
            if kind.endswith(SHARED_STRINGS_TYPE):
                self.shared_strings_name = target
            elif kind.endswith(STYLES_TYPE):
                self.styles_name = target
        self.sheets: dict[str, str] = {}
        self.epoch = CALENDAR_WINDOWS_1900
        for element in workbook:
            name = _local(element.tag)
            if name == "sheet" and element.get(f"{{{RELATIONSHIP_NS}}}id") in targets:
                self.sheets[element.get("name", "")] = targets[element.get(f"{{{RELATIONSHIP_NS}}}id")]
            elif name == "workbookPr" and element.get("date1904") in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904
        if not self.sheets:
            raise UnsafeFile("文件中没有工作表，请使用系统下载的模板。")

    @property
    def shared_strings(self) -> list[str]:
        if self._shared_strings is None:
            self._shared_strings = self._read_shared_strings()
        return self._shared_strings

    def _read_shared_strings(self) -> list[str]:
        if not self.shared_strings_name:
            return []
        info = self._member(self.shared_strings_name, self.limits.max_shared_strings_bytes, "共享字符串表")
        if info is None:
            return []
        strings: list[str] = []
        try:
            with self.archive.open(info) as stream:
                root = None
                for event, element in iterparse(stream, events=("start", "end")):  # noqa: S314 (see PARSING)
                    if event == "start":
                        root = root if root is not None else element
                        continue
                    if _local(element.tag) != "si":
                        continue
                    text = _rich_text(element)
                    if len(text) > MAX_CELL_CHARACTERS:
                        raise UnsafeFile(_too_long(len(text)))
                    strings.append(text)
                    if len(strings) > self.limits.max_shared_strings:
                        raise UnsafeFile(
                            f"文件中的不同文本过多（超过 {self.limits.max_shared_strings} 条），疑似异常文件，已拒绝。"
                        )
                    if root is not None:  # set by the first start event, before any end
                        root.clear()
        except (ParseError, zipfile.BadZipFile, EOFError, OSError, RuntimeError):
            raise UnsafeFile("无法读取该 Excel 文件（共享字符串表格式不正确），请使用系统下载的模板。") from None
        return strings

    @property
    def date_styles(self) -> frozenset[int]:
        """Indexes of the cell formats (cellXfs) whose number format shows a date or time."""
        if self._date_styles is None:
            self._date_styles = self._read_date_styles()
        return self._date_styles

    def _read_date_styles(self) -> frozenset[int]:
        if not self.styles_name:
            return frozenset()
        elements = self._small_tree(self.styles_name, "样式表") or []
        custom = {}
        for element in elements:
            if _local(element.tag) == "numFmt":
                try:
                    custom[int(element.get("numFmtId", ""))] = element.get("formatCode", "")
                except ValueError:
                    continue
        cell_formats = next((e for e in elements if _local(e.tag) == "cellXfs"), None)
        if cell_formats is None:
            return frozenset()
        dates = set()
        for index, xf in enumerate(child for child in cell_formats if _local(child.tag) == "xf"):
            try:
                number_format = int(xf.get("numFmtId", "0"))
            except ValueError:
                continue
            code = custom.get(number_format, BUILTIN_FORMATS.get(number_format, "General"))
            if is_date_format(code):
                dates.add(index)
        return frozenset(dates)

    # --- rows ------------------------------------------------------------------------------------

    def rows(self, title: str | None, *, limits: SheetLimits) -> Iterator[tuple]:
        """The rows of the sheet called `title` (the first sheet when None), numbered from 1 with
        the gaps a file leaves (rows it does not write) yielded as empty tuples."""
        if title is None:
            title = next(iter(self.sheets))
        elif title not in self.sheets:
            raise UnsafeFile(f"文件中没有名为“{title}”的工作表，请使用系统下载的模板。")
        max_bytes = limits.max_sheet_bytes or self.limits.max_sheet_bytes
        info = self._member(self.sheets[title], max_bytes, f"工作表“{title}”")
        if info is None:
            raise UnsafeFile("无法读取该 Excel 文件（缺少工作表内容），请使用系统下载的模板。")
        strings = self.shared_strings
        try:
            with self.archive.open(info) as stream:
                yield from _SheetReader(self, strings, limits).rows(stream)
        except (ParseError, zipfile.BadZipFile, EOFError, OSError, RuntimeError):
            raise UnsafeFile("无法读取该 Excel 文件（工作表内容格式不正确），请使用系统下载的模板。") from None


class _SheetReader:
    def __init__(self, package: XlsxPackage, strings: list[str], limits: SheetLimits):
        self.package = package
        self.strings = strings
        self.limits = limits

    def rows(self, stream) -> Iterator[tuple]:
        # The hot loop: "end" events only (half the events of start/end), tags compared whole, a
        # blank cell (no children) counted and passed over. A row's cells are dropped when the row
        # ends (at most EXCEL_MAX_COLUMNS of them), the emptied rows stay (at most max_rows), and
        # elements that belong in neither are counted against their own small budget.
        limits = self.limits
        max_rows, max_columns = limits.max_rows, limits.max_columns
        cell_budget, element_budget = limits.cell_budget, limits.element_budget
        rows_read = cells_read = row_cell_count = other_elements = 0
        last_row = last_column = 0
        last_reference = None
        row_cells: dict[int, object] = {}
        for elements_read, (_, element) in enumerate(iterparse(stream, events=("end",)), start=1):  # noqa: S314
            if elements_read > element_budget:
                raise UnsafeFile(ELEMENT_BUDGET_MESSAGE)
            kind = SHEET_TAGS.get(element.tag)
            if kind == CELL:
                cells_read += 1
                row_cell_count += 1
                if cells_read > cell_budget:
                    raise UnsafeFile(_too_many_cells(cell_budget))
                if row_cell_count > EXCEL_MAX_COLUMNS:
                    raise UnsafeFile(_too_many_columns(row_cell_count, limits))
                reference = element.get("r")
                if len(element) or element.get("t") == "inlineStr":
                    if reference is None:
                        column = (_column_number(last_reference) if last_reference else last_column) + 1
                    else:
                        column = _column_number(reference)
                    last_column, last_reference = column, None
                    value = self._value(element)
                    if value is not None and value != "":
                        if column > max_columns:
                            raise UnsafeFile(_too_many_columns(column, limits))
                        row_cells[column] = value
                elif reference is None:
                    last_column = (_column_number(last_reference) if last_reference else last_column) + 1
                    last_reference = None
                else:
                    last_reference = reference
            elif kind == ROW:
                rows_read += 1
                number = _row_number(element.get("r"), last_row)
                if rows_read > max_rows or number > max_rows:
                    raise UnsafeFile(_too_many_rows(max(number, rows_read), limits))
                # Rows the file skips are rows all the same: yielded empty, so numbers stay true.
                yield from ((),) * (number - last_row - 1)
                width = max(row_cells, default=0)
                yield tuple(row_cells.get(column) for column in range(1, width + 1))
                element.clear()
                last_row = number
                row_cells, row_cell_count, last_column, last_reference = {}, 0, 0, None
            elif kind == DIMENSION:
                self._check_dimension(element.get("ref", ""))
            elif kind == SHEET_DATA:
                return
            elif kind is None:
                other_elements += 1
                if other_elements > MAX_OTHER_ELEMENTS:
                    raise UnsafeFile(ELEMENT_BUDGET_MESSAGE)

    def _check_dimension(self, reference: str) -> None:
        # The declared size is cheap to read: a sheet that claims more rows than the cap is refused
        # before any row is parsed. Rows are counted as read all the same (the claim may be false).
        last = reference.split(":")[-1]
        digits = "".join(ch for ch in last if ch.isdigit())
        letters = "".join(ch for ch in last if ch.isalpha())
        if digits and int(digits) > self.limits.max_rows:
            raise UnsafeFile(_too_many_rows(int(digits), self.limits))
        try:
            columns = column_index_from_string(letters) if letters else 0
        except ValueError:
            columns = 0
        if columns > self.limits.max_columns:
            raise UnsafeFile(_too_many_columns(columns, self.limits))

    def _value(self, cell):
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = _child(cell, INLINE_TAGS, "is")
            text = _rich_text(inline) if inline is not None else ""
            if len(text) > MAX_CELL_CHARACTERS:
                raise UnsafeFile(_too_long(len(text)))
            return text
        value = _child(cell, VALUE_TAGS, "v")
        raw = value.text if value is not None else None
        if raw is None:
            return None
        if kind == "s":
            try:
                return self.strings[int(raw)]
            except (ValueError, IndexError):
                raise UnsafeFile("无法读取该 Excel 文件（单元格引用了不存在的文本），请使用系统下载的模板。") from None
        if len(raw) > MAX_CELL_CHARACTERS:
            raise UnsafeFile(_too_long(len(raw)))
        if kind in ("str", "e"):
            return _unescape(raw)
        if kind == "b":
            return raw.strip() in ("1", "true")
        if kind == "d":
            try:
                return from_ISO8601(raw)
            except ValueError:
                return raw
        try:
            number = float(raw) if any(mark in raw for mark in ".eE") else int(raw)
        except ValueError:
            return raw
        style = cell.get("s")
        if style is not None and style.isdigit() and int(style) in self.package.date_styles:
            try:
                return from_excel(number, self.package.epoch)
            except (ValueError, OverflowError):
                return number
        return number


def _child(cell, tags: frozenset[str], name: str):
    """The cell's first child of this name: by its full tag (every file seen), else by local name."""
    for child in cell:
        if child.tag in tags:
            return child
    return next((child for child in cell if _local(child.tag) == name), None)


def _rich_text(element) -> str:
    """A string item (<si> or <is>): plain <t>, or rich-text runs <r><t>; phonetic hints skipped."""
    if len(element) == 1 and element[0].tag in TEXT_TAGS:  # plain text: nearly every item
        return _unescape(element[0].text or "")
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child if _local(t.tag) == "t")
    return _unescape("".join(parts))


def _unescape(text: str) -> str:
    """OOXML's _xHHHH_ escapes (control characters) decoded; most texts have none, so the check first."""
    return unescape(text) if "_x" in text else text


def _resolve(target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join("xl", target))


def _row_number(text: str | None, previous: int) -> int:
    if text is None:
        return previous + 1
    try:
        number = int(text)
    except ValueError:
        raise UnsafeFile("无法读取该 Excel 文件（行号格式不正确），请使用系统下载的模板。") from None
    if number <= previous or number > EXCEL_MAX_ROWS:
        raise UnsafeFile("无法读取该 Excel 文件（行号顺序不正确），请使用系统下载的模板。")
    return number


def _column_number(reference: str) -> int:
    try:
        return _column_of_letters(reference.rstrip("0123456789"))
    except ValueError:
        raise UnsafeFile("无法读取该 Excel 文件（单元格地址格式不正确），请使用系统下载的模板。") from None


# A cell's column letters read once per distinct letters (a sheet's cells share a few hundred; openpyxl
# formats its error message on every call). The cache keeps at most A…ZZZ's count; what raises is
# not cached.
_column_of_letters = functools.lru_cache(maxsize=18_278)(column_index_from_string)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


def _too_long(characters: int) -> str:
    return f"单元格内容过长（{characters} 个字符，Excel 单元格上限 {MAX_CELL_CHARACTERS}），疑似异常文件，已拒绝。"


def _too_many_rows(rows: int, limits: SheetLimits) -> str:
    return (
        f"表格行数过多（至少 {rows} 行，上限 {limits.max_rows} 行，空行也计算在内）。"
        "如果表格末尾有大量空行，请删除后重新上传。"
    )


def _too_many_columns(columns: int, limits: SheetLimits) -> str:
    return f"表格列数过多（{columns} 列，上限 {limits.max_columns} 列），请使用系统下载的模板。"


def _too_many_cells(budget: int) -> str:
    return (
        f"表格单元格过多（超过 {budget} 个，空白单元格也计算在内）。"
        "如果表格有大量空白的格式化单元格，请删除后重新上传。"
    )

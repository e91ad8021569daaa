"""Shared by the department workbook and the bureau's wide workbook."""

import datetime
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar

from django.core import signing
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

from indicators.models import ValueType
from indicators.presenting import Place, state_text

from ..values import clean_raw, display_raw, parse_raw, raw_from_row, state_from_text
from .collector import collector_paused

# Shown in the diff and in the error list at most; the counts are always complete.
MAX_LISTED = 300
PREVIEW_SALT = "assessments.excel-import"
PREVIEW_MAX_AGE = 2 * 60 * 60  # seconds: a preview left open longer must be uploaded again

INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
HEADER_FILL = PatternFill("solid", fgColor="A8201A")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14)
THIN = Side(style="thin", color="BFBFBF")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
WRAP = Alignment(wrap_text=True, vertical="top")
UNLOCKED = Protection(locked=False)
CHOICE_SEPARATORS = re.compile(r"[、,，;；\n]+")


@dataclass(frozen=True)
class RowError:
    row: int | None  # as Excel shows it; None for the whole file
    message: str

    def __str__(self):
        return f"第 {self.row} 行：{self.message}" if self.row else self.message


@dataclass(frozen=True)
class ProposedChange:
    """One indicator of one return that the upload would change, as shown in the diff."""

    return_id: int
    department: str
    indicator_id: int
    code: str
    name: str
    old_text: str
    new_text: str
    raw: dict
    expected_version: int
    explanation: str | None = None  # None: not changed
    old_explanation: str = ""

    @property
    def is_value_changed(self) -> bool:
        return self.old_text != self.new_text


@dataclass(frozen=True)
class ImportPreview:
    changes: tuple[ProposedChange, ...] = ()
    errors: tuple[RowError, ...] = ()
    unchanged: int = 0
    rows_read: int = 0
    departments: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def listed_errors(self) -> tuple[RowError, ...]:
        return self.errors[:MAX_LISTED]

    @property
    def listed_changes(self) -> tuple[ProposedChange, ...]:
        return self.changes[:MAX_LISTED]


def cell_text(value) -> str:
    """A cell as the text a user would have typed in the browser: 12.0 → "12", dates ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        # repr is the shortest text that reads back as the same double: what was typed, not 12.300000001.
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int | Decimal):
        return str(value)
    return str(value).strip()


# The second header row of the wide workbooks: the indicators' names under their codes.
LABEL_MARK = "（指标名称）"
_Unit = TypeVar("_Unit")


def unit_rows(
    rows: Iterable[Sequence[Any]],
    by_code: Mapping[str, _Unit],
    *,
    name_of: Callable[[_Unit], str],
    out_of_scope: str,
    errors: list[RowError],
    counted: list[int],
) -> Iterator[tuple[int, list[str], _Unit]]:
    """The data rows of a wide workbook (one unit a row, 单位编码 first, after the header row), as
    (row number, cell texts, the unit's item): the label row and blank rows skipped, an unknown code
    ("不存在、{out_of_scope}") or a unit met twice reported in `errors` in row order and not
    yielded. `counted` gets one entry per data row read."""
    seen: dict[str, int] = {}
    for number, cells in enumerate(rows, start=2):
        texts = [cell_text(value) for value in cells]
        code = texts[0] if texts else ""
        if code == LABEL_MARK or not any(texts):
            continue
        counted.append(number)
        item = by_code.get(code)
        if item is None:
            errors.append(RowError(number, f"单位编码“{code}”不存在、{out_of_scope}。"))
            continue
        if code in seen:
            errors.append(RowError(number, f"单位“{name_of(item)}”重复出现（第 {seen[code]} 行已有）。"))
            continue
        seen[code] = number
        yield number, texts, item


def raw_from_cells(value_type: str, *, value: str = "", numerator: str = "", denominator: str = "") -> dict:
    """The browser's raw input for these cells. “不适用：原因” or “暂无数据：原因” in any of them is that
    state with its reason (a rate's figures are then not read)."""
    for text in (value, numerator, denominator):
        state, reason = state_from_text(text)
        if state:
            return {"state": state, "reason": reason}
    if value_type == ValueType.RATE:
        return {"numerator": numerator, "denominator": denominator}
    if value_type == ValueType.MULTIPLE_CHOICE:
        return {"choices": [part.strip() for part in CHOICE_SEPARATORS.split(value) if part.strip()]}
    return {"value": value}


def fill_blanks_from(current: Mapping, proposed: Mapping) -> dict:
    """An empty cell means "leave as it is": take that part from what is stored."""
    return {key: (item if item not in ("", [], None) else current.get(key, item)) for key, item in proposed.items()}


class Difference(NamedTuple):
    old_text: str
    new_text: str
    errors: list[str]  # why the new input does not parse (nothing is proposed then)
    proposed: dict  # the raw input the row would hold (proposed_raw's, computed once here)


def stored_raw(indicator, row) -> dict:
    """The row's inputs as `compare` reads them: its raw input (cleaned), else its stored value's."""
    if row.raw_input:
        return clean_raw(indicator.value_type, row.raw_input)  # raw_from_row's own, cleaned once
    return clean_raw(indicator.value_type, raw_from_row(indicator, row))


def compare(indicator, row, raw: Mapping, *, current: Mapping | None = None) -> Difference | None:
    """The difference when `raw` would change the row; None when it would not. A different
    spelling of the same figure (12 vs 12件) is no change. `current`: stored_raw(indicator, row),
    when the caller has it already."""
    value_type = indicator.value_type
    if current is None:
        current = stored_raw(indicator, row)
    proposed = clean_raw(value_type, fill_blanks_from(current, raw))
    if proposed == current:
        return None  # includes an unchanged draft that does not parse: not this upload's problem
    old_text, new_text = display_raw(value_type, current), display_raw(value_type, proposed)
    parsed = parse_raw(indicator, proposed)
    if parsed.errors:
        return Difference(old_text, new_text, list(parsed.errors), proposed)
    if not row.input_error and _same_figures(row, parsed.columns):
        return None
    return Difference(old_text, new_text, [], proposed)


def _same_figures(row, parsed: Mapping) -> bool:
    for name, value in parsed.items():
        old = getattr(row, name)
        if isinstance(value, Decimal | int) and not isinstance(value, bool) and old is not None:
            if Decimal(old) != Decimal(value):
                return False
        elif old != value:
            return False
    return True


def proposed_raw(indicator, row, raw: Mapping) -> dict:
    current = clean_raw(indicator.value_type, raw_from_row(indicator, row))
    return clean_raw(indicator.value_type, fill_blanks_from(current, raw))


def provided_refusal(indicator, row, raw: Mapping, *, current: Mapping | None = None) -> str:
    """Why an upload may not change this cell set: it changes a part a 数据提供单位 provides ("" if not)."""
    parts = indicator.provided_parts
    if not parts:
        return ""
    if current is None:
        current = stored_raw(indicator, row)
    proposed = clean_raw(indicator.value_type, fill_blanks_from(current, raw))
    keys = (*parts, "state", "reason") if indicator.is_wholly_provided else parts
    if all(current.get(key) == proposed.get(key) for key in keys):
        return ""
    return f"本项数据由{indicator.provision.provider_label}提供，不能自行填写，请留空"


def is_provided_part(indicator, part: str) -> bool:
    """A workbook cell of this part is filled by the provider, not the unit (shown grey)."""
    return part in indicator.provided_parts


def raw_cell_texts(indicator, raw: Mapping) -> dict[str, str]:
    """A row's raw input as cell texts by part ("value", "numerator", "denominator"): a state goes in
    the first cell (本年值, or a rate's 分子) and the other parts stay empty."""
    if raw.get("state"):
        first = "numerator" if indicator.value_type == ValueType.RATE else "value"
        return {first: state_text(raw["state"], raw.get("reason", ""), place=Place.EXCEL)}
    if "choices" in raw:
        return {"value": "、".join(raw.get("choices") or [])}
    return {part: str(raw.get(part, "") or "") for part in ("value", "numerator", "denominator")}


def type_text(indicator) -> str:
    text = _type_label(indicator)
    return f"统计指标（不计分）；{text}" if indicator.is_statistical else text


def _type_label(indicator) -> str:
    label = indicator.get_value_type_display()
    if indicator.value_type in (ValueType.SINGLE_CHOICE, ValueType.MULTIPLE_CHOICE) and indicator.options:
        return f"{label}：{'、'.join(indicator.options)}"
    if indicator.value_type == ValueType.RATE:
        top = f"{indicator.numerator_label or '分子'}{_unit(indicator.numerator_unit)}"
        bottom = f"{indicator.denominator_label or '分母'}{_unit(indicator.denominator_unit)}"
        return f"分子：{top}；分母：{bottom}"
    return label


def _unit(unit: str) -> str:
    return f"（{unit}）" if unit else ""


def text_cell(cell, text: str) -> None:
    """Write text that Excel must keep as text: never a formula, even when it starts with "="."""
    cell.value = text
    if text:
        cell.data_type = "s"
    cell.number_format = "@"


def workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- the preview, carried from the diff page to the confirmation -------------------------------
# The confirmation posts back exactly what the diff showed, signed, so what is applied is what was
# seen; versions inside it make the apply refuse if anything changed in between.


def preview_token(changes: Sequence[ProposedChange], *, user_id: int, scope: str) -> str:
    with collector_paused():  # a province's preview is 293,000 changes
        return _signed(changes, user_id=user_id, scope=scope)


def _signed(changes: Sequence[ProposedChange], *, user_id: int, scope: str) -> str:
    payload = {
        "u": user_id,
        "s": scope,
        "c": [[c.return_id, c.indicator_id, c.raw, c.explanation, c.expected_version] for c in changes],
    }
    return signing.dumps(payload, salt=PREVIEW_SALT, compress=True)


@dataclass(frozen=True)
class SignedChange:
    return_id: int
    indicator_id: int
    raw: dict
    explanation: str | None
    expected_version: int


def read_preview_token(token: str, *, user_id: int, scope: str) -> list[SignedChange]:
    """The changes of a preview this user made for this scope; ValueError (Chinese) otherwise."""
    with collector_paused():  # a province's preview is 293,000 changes
        return _read_signed(token, user_id=user_id, scope=scope)


def _read_signed(token: str, *, user_id: int, scope: str) -> list[SignedChange]:
    try:
        payload = signing.loads(token or "", salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
    except signing.SignatureExpired:
        raise ValueError("预览已过期（超过 2 小时），请重新上传文件。") from None
    except signing.BadSignature:
        raise ValueError("预览数据无效，请重新上传文件。") from None
    if payload.get("u") != user_id or payload.get("s") != scope:
        raise ValueError("预览数据与当前页面不符，请重新上传文件。")
    return [SignedChange(int(r), int(i), dict(raw), e, int(v)) for r, i, raw, e, v in payload["c"]]


def json_columns_decoded(values: Sequence[Any], positions: Sequence[int], decoded: dict[str | None, Any]) -> list[Any]:
    """A row read by values_list with its JSON columns (read as text) decoded, each distinct text once:
    a province's 300,000 rows repeat a few hundred texts, and json.loads per row was a large share of
    reading them. `decoded` is the caller's cache for one read."""
    row = list(values)
    for position in positions:
        text = row[position]
        if text not in decoded:
            decoded[text] = json.loads(text)
        row[position] = decoded[text]
    return row

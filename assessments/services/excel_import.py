"""Applying a previewed Excel upload: all of it or nothing.

What is applied is exactly the signed preview the user confirmed (excel.common.read_preview_token),
each value with the row version it was previewed against. If any value changed in between (a
colleague saved in the browser), or a return was submitted meanwhile, nothing is written and the
user is told to upload again. Values go through the same input handling and audit as the browser
(services.entry): the department's own upload through `indicator_values_save` itself; the bureau's
wide upload, which writes into many returns as a reviewer, through the same `_apply_input` under the
same locks (the return first, then its values in pk order), recorded with source 导入.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import TextField
from django.db.models.base import ModelState
from django.db.models.functions import Cast
from django.db.models.signals import post_init, pre_init
from django.utils import timezone

from accounts.models import User
from indicators.models import Indicator, IndicatorFramework
from indicators.selectors import framework_tree

from ..excel.bulk import OPEN_STATUSES, importable_returns
from ..excel.collector import collector_paused
from ..excel.common import SignedChange, json_columns_decoded
from ..models import AnnualReturn, IndicatorValue, NarrativeSection, ValueChange
from ..values import TYPED_COLUMNS
from .bulk_writes import value_changes_write, value_rows_write_many
from .completion import completion_recount
from .entry import ValueInput, _apply_input, _start_or_resume, indicator_values_save
from .errors import ReturnActionError, StaleReturn

SOURCE = ValueChange.Source.IMPORT


class ExcelImportRefused(ReturnActionError):
    """The confirmed preview can no longer be applied as a whole; nothing was written."""


@dataclass(frozen=True)
class ImportResult:
    returns: int
    values: int


def _inputs(changes: Sequence[SignedChange]) -> list[ValueInput]:
    return [
        ValueInput(
            indicator_id=change.indicator_id,
            raw=change.raw,
            expected_version=change.expected_version,
            explanation=change.explanation,
        )
        for change in changes
    ]


@transaction.atomic
def department_import_apply(
    *, annual_return: AnnualReturn, changes: Sequence[SignedChange], user: User
) -> ImportResult:
    """A department's own workbook. Raises ReturnNotEditable / ExcelImportRefused / StaleReturn,
    rolling back everything."""
    if any(change.return_id != annual_return.pk for change in changes):
        raise ExcelImportRefused("导入数据与这份填报不符，请重新上传。")
    if not changes:
        return ImportResult(returns=0, values=0)
    outcomes = indicator_values_save(annual_return=annual_return, inputs=_inputs(changes), user=user, source=SOURCE)
    conflicts = [outcome.row.indicator.code for outcome in outcomes if outcome.is_conflict]
    if conflicts:
        raise StaleReturn(
            f"核对修改之后，指标 {'、'.join(conflicts[:10])} 已在网页上被修改，本次导入未保存任何内容。请重新上传文件。"
        )
    unreadable = [outcome.row.indicator.code for outcome in outcomes if outcome.error]
    if unreadable:
        raise ExcelImportRefused(f"指标 {'、'.join(unreadable[:10])} 的数据无法识别，本次导入未保存任何内容。")
    return ImportResult(returns=1, values=sum(outcome.is_changed for outcome in outcomes))


@transaction.atomic
def bulk_import_apply(*, year: int, changes: Sequence[SignedChange], user: User) -> ImportResult:
    """The bureau's wide workbook, into every return it names; all or nothing."""
    with collector_paused():
        return _bulk_import_apply(year=year, changes=changes, user=user)


def _bulk_import_apply(*, year: int, changes: Sequence[SignedChange], user: User) -> ImportResult:
    allowed = set(importable_returns(user, year).values_list("pk", flat=True))
    by_return: dict[int, list[SignedChange]] = defaultdict(list)
    for change in changes:
        by_return[change.return_id].append(change)
    if set(by_return) - allowed:
        raise ExcelImportRefused("导入数据中有不在您范围内的单位，未保存任何内容。")
    if not by_return:
        return ImportResult(returns=0, values=0)
    # The year's indicators from the cached framework trees, not joined into every unit's rows.
    indicators = {
        indicator.pk: indicator
        for framework in IndicatorFramework.objects.filter(annual_returns__pk__in=list(by_return)).distinct()
        for indicator in framework_tree(framework).indicators
    }
    returns = _lock_returns(sorted(by_return))
    reopened = _reopened_indicators(returns.values())
    stored = _stored_rows(by_return, indicators)
    now = timezone.now()
    changed_rows: list[IndicatorValue] = []
    audit: list[tuple[Any, ...]] = []
    moved: list[AnnualReturn] = []
    for return_id in sorted(by_return):
        locked = returns[return_id]
        rows = _return_rows(locked, by_return[return_id], stored, reopened.get(return_id))
        written = _apply_to_return(locked, by_return[return_id], rows, user, now=now, audit=audit)
        changed_rows += written
        if written:
            moved.append(locked)
    value_rows_write_many(changed_rows, stale_message=STALE_MESSAGE)
    value_changes_write(audit)
    for locked in moved:  # 未开始 → 填报中, 退回修改 → 填报中, each with its transition row and listeners
        _start_or_resume(locked, user)
    completion_recount(list(by_return))  # once for the whole file, not once per unit
    return ImportResult(returns=len(by_return), values=len(changed_rows))


STALE_MESSAGE = "核对修改之后，有指标已被修改，本次导入未保存任何内容。请重新上传文件。"


def _lock_returns(return_ids: list[int]) -> dict[int, AnnualReturn]:
    """Every return of the file locked by one statement, in pk order (the order of every importer,
    so two never deadlock; a browser save locks its one return first, then its values, and waits);
    refused as a whole if any of them is no longer open."""
    locked = {
        annual_return.pk: annual_return
        for annual_return in AnnualReturn.objects.select_for_update(no_key=True, of=("self",))
        .select_related("department")
        .filter(pk__in=return_ids)
        .order_by("pk")
    }
    for return_id in return_ids:
        annual_return = locked[return_id]
        if annual_return.status not in OPEN_STATUSES:
            raise ExcelImportRefused(
                f"{annual_return.department.name}的填报已{annual_return.get_status_display()}，"
                "本次导入未保存任何内容。请重新上传。"
            )
    return locked


def _reopened_indicators(returns: Iterable[AnnualReturn]) -> dict[int, set[int]]:
    """{return id: its reopened indicators} for the returns a reviewer sent back in part (as
    selectors.returns.is_targeted_return, for all of them in two queries)."""
    submitted = [annual_return.pk for annual_return in returns if annual_return.first_submitted_at is not None]
    if not submitted:
        return {}
    reopened: dict[int, set[int]] = {}
    for return_id, indicator_id in IndicatorValue.objects.filter(
        annual_return__in=submitted, is_reopened=True
    ).values_list("annual_return_id", "indicator_id"):
        reopened.setdefault(return_id, set()).add(indicator_id)
    for return_id in NarrativeSection.objects.filter(annual_return__in=submitted, is_reopened=True).values_list(
        "annual_return_id", flat=True
    ):
        reopened.setdefault(return_id, set())  # a reopened section alone makes the return targeted
    return reopened


# What the apply reads of a value row: its inputs, figures and version, in the model's column order
# (Model.from_db takes the values in that order). Its timestamps and review marks are neither read
# nor written here and stay unloaded (they would load on access, as deferred fields).
_READ = {"id", "annual_return_id", "indicator_id", *TYPED_COLUMNS, "raw_input", "input_error", "explanation", "version"}
LOADED_FIELDS = tuple(field.attname for field in IndicatorValue._meta.concrete_fields if field.attname in _READ)
JSON_FIELDS = ("value_choices", "raw_input")
_LOADED_SET = frozenset(LOADED_FIELDS)  # from_db asks of every column whether it was loaded


def _stored_rows(
    by_return: dict[int, list[SignedChange]], indicators: dict[int, Indicator]
) -> dict[tuple[int, int], IndicatorValue]:
    """The value rows the file names, read in one query after their returns were locked. A
    province's 330,000 rows: its JSON columns are read as text and decoded once per distinct text
    (two json.loads per row, and a full model instance with every column, were a third of the
    apply's CPU); the instances are built by Model.from_db from the loaded columns only. The decoded
    values are shared between rows: nothing here changes them in place (_apply_input replaces them)."""
    build = _loaded_row if not _has_init_listeners() else _row_through_init
    wanted = {(change.return_id, change.indicator_id) for changes in by_return.values() for change in changes}
    as_text = {f"{name}_text": Cast(name, output_field=TextField()) for name in JSON_FIELDS}
    columns = [f"{name}_text" if name in JSON_FIELDS else name for name in LOADED_FIELDS]
    json_positions = [LOADED_FIELDS.index(name) for name in JSON_FIELDS]
    return_at, indicator_at = LOADED_FIELDS.index("annual_return_id"), LOADED_FIELDS.index("indicator_id")
    decoded: dict[str | None, Any] = {None: None}
    database = IndicatorValue.objects.db
    rows = {}
    for values in (
        IndicatorValue.objects.filter(
            annual_return__in=list(by_return), indicator__in={indicator_id for _, indicator_id in wanted}
        )
        .annotate(**as_text)
        .order_by("pk")
        .values_list(*columns)
    ):
        key = (values[return_at], values[indicator_at])
        if key not in wanted:
            continue
        loaded = json_columns_decoded(values, json_positions, decoded)
        rows[key] = build(database, loaded, indicators[key[1]])
    return rows


def _has_init_listeners() -> bool:
    return pre_init.has_listeners(IndicatorValue) or post_init.has_listeners(IndicatorValue)


def _loaded_row(database: str, values: list[Any], indicator: Indicator) -> IndicatorValue:
    """A row of LOADED_FIELDS built as Django unpickles one (Model.__new__ and the instance's
    dict), not through Model.__init__, whose per-column descriptors were most of reading a
    province's 293,000 rows. Only while no init signal listens to IndicatorValue (that path
    would skip it); the columns not loaded stay deferred."""
    row = IndicatorValue.__new__(IndicatorValue)
    row.__dict__.update(zip(LOADED_FIELDS, values, strict=True))
    row._state = ModelState()
    row._state.adding, row._state.db = False, database
    row._state.fields_cache = {"indicator": indicator}
    return row


def _row_through_init(database: str, values: list[Any], indicator: Indicator) -> IndicatorValue:
    row = IndicatorValue.from_db(database, _LOADED_SET, values)
    row.indicator = indicator
    return row


def _return_rows(
    locked: AnnualReturn,
    changes: list[SignedChange],
    stored: dict[tuple[int, int], IndicatorValue],
    reopened: set[int] | None,
) -> dict[int, IndicatorValue]:
    name = locked.department.name
    rows = {}
    for change in changes:
        row = stored.get((locked.pk, change.indicator_id))
        if row is None:
            raise ExcelImportRefused(f"{name}：有指标不在该单位的填报中，未保存任何内容。")
        rows[change.indicator_id] = row
    if reopened is not None and any(indicator_id not in reopened for indicator_id in rows):
        raise ExcelImportRefused(f"{name}的填报只退回了部分指标，其余指标已锁定，本次导入未保存任何内容。")
    return rows


def _apply_to_return(
    locked: AnnualReturn,
    changes: list[SignedChange],
    rows: dict[int, IndicatorValue],
    user: User,
    *,
    now: datetime.datetime,
    audit: list[tuple[Any, ...]],
) -> list[IndicatorValue]:
    """The return's rows set from the file (in memory), checked against the preview's versions;
    their audit rows appended. Writes nothing."""
    name = locked.department.name
    changed_rows = []
    for item in _inputs(changes):
        row = rows[item.indicator_id]
        if row.version != item.expected_version:
            raise StaleReturn(
                f"核对修改之后，{name}的指标 {row.indicator.code} 已被修改，本次导入未保存任何内容。请重新上传文件。"
            )
        row_changes = _apply_input(row, item)
        if row.input_error:
            raise ExcelImportRefused(f"{name}的指标 {row.indicator.code} 数据无法识别，本次导入未保存任何内容。")
        if not row_changes:
            continue
        row.version += 1
        row.updated_by, row.updated_at = user, now
        changed_rows.append(row)
        audit += [
            (locked.pk, row.indicator_id, "", field, old, new, user.pk, SOURCE, now)  # bulk_writes.AUDIT_FIELDS
            for field, old, new in row_changes
        ]
    return changed_rows

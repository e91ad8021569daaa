"""Applying a previewed Excel upload: all of it or nothing.

What is applied is exactly the signed preview the user confirmed (excel.common.read_preview_token),
each value with the row version it was previewed against. If any value changed in between (a
colleague saved in the browser), or a return was submitted meanwhile, nothing is written and the
user is told to upload again. Values go through the same input handling and audit as the browser
(services.entry): the department's own upload through `indicator_values_save` itself; the bureau's
wide upload, which writes into many returns as a reviewer, through the same `_apply_input` under the
same locks (the return first, then its values in pk order), recorded with source 导入.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from indicators.models import Indicator, IndicatorFramework
from indicators.selectors import framework_tree

from ..excel.bulk import OPEN_STATUSES, importable_returns
from ..excel.common import SignedChange
from ..models import AnnualReturn, IndicatorValue, ValueChange
from .completion import completion_recount
from .entry import ValueInput, _apply_input, _is_targeted, _start_or_resume, indicator_values_save, value_rows_write
from .errors import ReturnActionError, StaleReturn
from .workflow import lock_return

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
    allowed = set(importable_returns(user, year).values_list("pk", flat=True))
    by_return: dict[int, list[SignedChange]] = defaultdict(list)
    for change in changes:
        by_return[change.return_id].append(change)
    if set(by_return) - allowed:
        raise ExcelImportRefused("导入数据中有不在您范围内的单位，未保存任何内容。")
    # The year's indicators from the cached framework trees, not joined into every unit's rows; the
    # audit rows of the whole file written together at the end, in the same transaction.
    indicators = {
        indicator.pk: indicator
        for framework in IndicatorFramework.objects.filter(annual_returns__pk__in=list(by_return)).distinct()
        for indicator in framework_tree(framework).indicators
    }
    saved = 0
    audit: list[ValueChange] = []
    for return_id in sorted(by_return):  # one lock order for every importer: no deadlocks
        saved += _apply_to_return(return_id, by_return[return_id], user, indicators=indicators, audit=audit)
    ValueChange.objects.bulk_create(audit, batch_size=2000)
    completion_recount(list(by_return))  # once for the whole file, not once per unit
    return ImportResult(returns=len(by_return), values=saved)


def _apply_to_return(
    return_id: int,
    changes: list[SignedChange],
    user: User,
    *,
    indicators: dict[int, Indicator],
    audit: list[ValueChange],
) -> int:
    locked = lock_return(return_id)
    name = locked.department.name
    if locked.status not in OPEN_STATUSES:
        raise ExcelImportRefused(f"{name}的填报已{locked.get_status_display()}，本次导入未保存任何内容。请重新上传。")
    rows = {
        row.indicator_id: row
        for row in IndicatorValue.objects.select_for_update(no_key=True, of=("self",))
        .filter(annual_return=locked, indicator_id__in=[change.indicator_id for change in changes])
        .order_by("pk")
    }
    for row in rows.values():
        row.indicator = indicators[row.indicator_id]
    if len(rows) != len({change.indicator_id for change in changes}):
        raise ExcelImportRefused(f"{name}：有指标不在该单位的填报中，未保存任何内容。")
    if _is_targeted(locked) and any(not rows[change.indicator_id].is_reopened for change in changes):
        raise ExcelImportRefused(f"{name}的填报只退回了部分指标，其余指标已锁定，本次导入未保存任何内容。")
    now = timezone.now()
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
            ValueChange(
                annual_return=locked, indicator_id=row.indicator_id, field=field, old_value=old, new_value=new,
                user=user, source=SOURCE, changed_at=now,
            )
            for field, old, new in row_changes
        ]  # fmt: skip
    if changed_rows:
        value_rows_write(changed_rows, recount=False)
        _start_or_resume(locked, user)
    return len(changed_rows)

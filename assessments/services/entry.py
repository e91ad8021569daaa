"""Saving what a department types: indicator values and narrative sections.

Drafts save anything: input that does not parse is kept as typed (`raw_input`) with its Chinese
error, and the typed columns are cleared, never half-filled. Each row carries a version; a save
names the version its page was loaded with, and a save against a newer version is not applied but
returned as a conflict carrying both the stored and the submitted value. (Forms stay open for
minutes, so optimistic versions, not locks held across requests: research/reliability.md §1.9.)

Lock order: the return row first (serialises saves against submit/return/approve), then the value
rows in pk order. Each changed field writes a ValueChange row in the same transaction.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar

from django.db import connection, models, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from accounts.models import User
from indicators.selectors import framework_tree

from .. import permissions
from ..limits import EXPLANATION_MAX_LENGTH, NARRATIVE_MAX_LENGTH
from ..models import AnnualReturn, IndicatorValue, NarrativeSection, ValueChange
from ..selectors.returns import is_targeted_return
from ..values import TYPED_COLUMNS, clean_raw, display, display_raw, parse_raw, raw_from_row
from .completion import completion_recount, is_counted_as_filled
from .errors import IndicatorNotInReturn, ReturnNotEditable
from .return_data import return_data_changed
from .workflow import apply_transition, lock_return

Status = AnnualReturn.Status


SAVED_VALUE_FIELDS = [*TYPED_COLUMNS, "raw_input", "input_error", "explanation", "version", "updated_at", "updated_by"]


@dataclass(frozen=True)
class ValueInput:
    """What the page (or an import) sends for one indicator."""

    indicator_id: int
    raw: dict[str, Any]  # {"value": "12件"} / {"numerator": "48", "denominator": "50"} / {"choices": [...]}
    expected_version: int
    explanation: str | None = None  # None: leave the explanation as it is


@dataclass(frozen=True)
class ValueSaveOutcome:
    row: IndicatorValue  # after the save; on a conflict, the stored row as the other user left it
    submitted: ValueInput
    is_conflict: bool = False
    is_changed: bool = False
    refused: str = ""  # why nothing of this input was saved (an explanation over the limit)

    @property
    def error(self) -> str:
        """The saved input's parse error (the draft is saved all the same)."""
        return "" if self.is_conflict or self.refused else self.row.input_error


def _start_or_resume(locked: AnnualReturn, user: User) -> None:
    """The first save opens the return (未开始 → 填报中); after a return, the first fix resumes it."""
    if locked.status == Status.NOT_STARTED:
        apply_transition(locked, "start", user=user)
    elif locked.status == Status.RETURNED:
        apply_transition(locked, "resume", user=user)


def _check_editable(user: User, locked: AnnualReturn) -> None:
    if not permissions.is_own_department_staff(user, locked):
        raise ReturnNotEditable("只有本单位填报员可以修改这份填报。")
    if not locked.is_open_for_department:
        raise ReturnNotEditable(f"这份填报{locked.get_status_display()}，不能修改。如需修改，请联系审核员退回。")


@transaction.atomic
def indicator_values_save(
    *,
    annual_return: AnnualReturn,
    inputs: Sequence[ValueInput],
    user: User,
    source: str = ValueChange.Source.FORM,
) -> list[ValueSaveOutcome]:
    """Save several indicators of one return; each is applied or reported as a conflict on its own.
    Raises ReturnNotEditable when the user may not change the return or one of the indicators
    (nothing is saved then)."""
    locked = lock_return(annual_return)
    _check_editable(user, locked)
    rows = _locked_rows(annual_return, locked, [item.indicator_id for item in inputs])
    if any(item.indicator_id not in rows for item in inputs):
        raise IndicatorNotInReturn("该指标不在本单位这份填报中。")
    is_targeted = is_targeted_return(locked)
    if is_targeted and any(not rows[item.indicator_id].is_reopened for item in inputs):
        raise ReturnNotEditable("这份填报只退回了部分指标，其余指标已锁定，不能修改。")
    now = timezone.now()
    outcomes, changes, changed_rows = [], [], []
    is_count_changed = False
    for item in inputs:
        row = rows[item.indicator_id]
        if row.version != item.expected_version:
            outcomes.append(ValueSaveOutcome(row=row, submitted=item, is_conflict=True))
            continue
        refused = _provided_refusal(row) or _explanation_refusal(item)
        if refused:
            outcomes.append(ValueSaveOutcome(row=row, submitted=item, refused=refused))
            continue
        was_filled = is_counted_as_filled(row)
        row_changes = _apply_input(row, _with_provided_parts(row, item))
        if row_changes:
            row.version += 1
            row.updated_by = user
            row.updated_at = now  # bulk_update does not apply auto_now
            changed_rows.append(row)
            is_count_changed = is_count_changed or is_counted_as_filled(row) != was_filled
            changes += [
                ValueChange(
                    annual_return=locked, indicator_id=row.indicator_id, field=name, old_value=old, new_value=new,
                    user=user, source=source, changed_at=now,
                )
                for name, old, new in row_changes
            ]  # fmt: skip
        outcomes.append(ValueSaveOutcome(row=row, submitted=item, is_changed=bool(row_changes)))
    if changed_rows:
        # A save that fills or empties no row leaves the stored completion as it is: recounting it
        # was the costliest statement of an autosave, and most autosaves change a figure already there.
        value_rows_write(changed_rows, recount=is_count_changed)
    if changes:
        ValueChange.objects.bulk_create(changes)
        _start_or_resume(locked, user)
    conflicts = [outcome.row for outcome in outcomes if outcome.is_conflict]
    if conflicts:
        prefetch_related_objects(conflicts, "updated_by")  # who saved the other value, for the conflict view
    return outcomes


def _locked_rows(
    annual_return: AnnualReturn, locked: AnnualReturn, indicator_ids: list[int]
) -> dict[int, IndicatorValue]:
    """The rows of these indicators, locked in pk order, each carrying its indicator (with who provides
    it): from the framework's tree kept per process when the framework is published, so a whole form's
    save builds no indicator per row."""
    rows = IndicatorValue.objects.select_for_update(no_key=True, of=("self",)).filter(
        annual_return=locked, indicator_id__in=indicator_ids
    )
    framework = annual_return.framework
    if framework.is_draft or framework.pk != locked.framework_id:
        loaded = rows.select_related("indicator__provision_row__provider").order_by("pk")
        return {row.indicator_id: row for row in loaded}
    by_id = {indicator.pk: indicator for indicator in framework_tree(framework).indicators}
    found = {}
    for row in rows.order_by("pk"):
        row.indicator = by_id[row.indicator_id]
        found[row.indicator_id] = row
    return found


# Columns whose Python values the driver takes as they are (ints, booleans, text, ids): preparing
# every parameter through Field.get_db_prep_save was most of an import's CPU (215,000 rows at a
# province). JSON, decimals and dates still go through their fields.
_PASSED_AS_IS = (models.IntegerField, models.BooleanField, models.CharField, models.TextField, models.ForeignKey)


def _as_is(value: Any) -> Any:
    return value


def _prepared_for_db(field: models.Field[Any, Any], value: Any) -> Any:
    return field.get_db_prep_save(value, connection)


def _parameter_preparers(fields: list[models.Field[Any, Any]]) -> list[Callable[[Any], Any]]:
    return [_as_is if isinstance(field, _PASSED_AS_IS) else partial(_prepared_for_db, field) for field in fields]


_Row = TypeVar("_Row", bound=models.Model)


def rows_update(model: type[_Row], rows: Sequence[_Row], names: Sequence[str], *, check_versions: bool = False) -> int:
    """Write these fields of already loaded, locked rows. The ORM's per-row save spent most of its
    time building the same statement, and bulk_update's CASE per row and column was slower still (120
    ms of CPU for 80 value rows; a pasted column of 300 provided values, most of the paste). So: one
    UPDATE for one row; several rows on PostgreSQL, one UPDATE … FROM (VALUES …) per 500 rows (Django
    binds parameters on the client, so each of a pipelined UPDATE per row was parsed and planned by
    the server on its own: most of a whole form's database CPU); elsewhere one prepared UPDATE
    executed for every row. `check_versions` writes a row only where its stored `version` is its own
    less one. The number of rows written."""
    if not rows:
        return 0
    by_name = {field.name: field for field in model._meta.concrete_fields}
    fields = [by_name[name] for name in names]
    preparers = _parameter_preparers(fields)
    attnames = [field.attname for field in fields]

    def parameters(row: _Row) -> list[Any]:
        values = [prepare(getattr(row, name)) for prepare, name in zip(preparers, attnames, strict=True)]
        return values + ([row.pk, getattr(row, "version") - 1] if check_versions else [row.pk])  # noqa: B009 - any versioned model

    if connection.vendor == "postgresql" and len(rows) > 1:
        batches = [rows[start : start + 500] for start in range(0, len(rows), 500)]
        return sum(
            _rows_update_from_values(model, fields, [parameters(row) for row in batch], check_versions)
            for batch in batches
        )
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    where = f"{quote('id')} = %s" + (f" AND {quote('version')} = %s" if check_versions else "")
    statement = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {where}"  # noqa: S608 - column names from the model, values are parameters
    with connection.cursor() as cursor:
        cursor.executemany(statement, [parameters(row) for row in rows])
        written: int = cursor.rowcount
    return written


def _rows_update_from_values(
    model: type[models.Model], fields: list[models.Field[Any, Any]], rows: list[list[Any]], check_versions: bool
) -> int:
    """One UPDATE … FROM (VALUES …) for these rows' parameters (the fields' values, the pk, and with
    `check_versions` the version each row must still have); each value cast to its column's type."""
    quote = connection.ops.quote_name
    pk = model._meta.pk
    assert pk is not None
    casts = [str(field.db_type(connection)) for field in (*fields, pk)]
    names = [quote(field.column) for field in fields] + [quote("lg_pk")]
    where = f"t.{quote(pk.column)} = v.{quote('lg_pk')}"
    if check_versions:
        casts.append("integer")
        names.append(quote("lg_version"))
        where += f" AND t.{quote('version')} = v.{quote('lg_version')}"
    row_values = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    assignments = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}" for field in fields)
    statement = (
        f"UPDATE {quote(model._meta.db_table)} AS t SET {assignments} "  # noqa: S608 - names from the model, values are parameters
        f"FROM (VALUES {', '.join([row_values] * len(rows))}) AS v ({', '.join(names)}) WHERE {where}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, [value for row in rows for value in row])
        written: int = cursor.rowcount
    return written


def value_rows_write(rows: list[IndicatorValue], *, recount: bool = True, check_versions: bool = False) -> int:
    """One prepared UPDATE executed for every changed row (rows_update): a whole form, an Excel fill
    or a 300-department import is one round of statements. The caller has locked and checked the
    rows; the database's constraints still apply to every row. `recount=False` leaves the returns'
    completion to the caller (an import of many returns recounts them all at once);
    `check_versions` writes a row only where its stored version is still the one before the row's
    (its version less one). The number of rows written."""
    written = rows_update(IndicatorValue, rows, SAVED_VALUE_FIELDS, check_versions=check_versions)
    return_ids = {row.annual_return_id for row in rows}
    if recount:
        completion_recount(return_ids)
    return_data_changed(return_ids=return_ids)
    return written


def _provided_refusal(row: IndicatorValue) -> str:
    """A value a 数据提供单位 provides whole is never the unit's to type (it may dispute it)."""
    indicator = row.indicator
    if not indicator.is_wholly_provided:
        return ""
    provision = indicator.provision
    source = provision.provider_label if provision else "数据提供单位"
    return f"本项数据由{source}提供，不能自行填写；如有不同意见请提出异议"


def _with_provided_parts(row: IndicatorValue, item: ValueInput) -> ValueInput:
    """The unit's input with the parts a provider provides (one part of a rate) kept as stored:
    whatever the page sent for them, the unit's save never changes them."""
    parts = row.indicator.provided_parts
    if not parts:
        return item
    stored = clean_raw(row.indicator.value_type, raw_from_row(row.indicator, row))
    raw = {**item.raw, **{part: stored.get(part, "") for part in parts}}
    return ValueInput(item.indicator_id, raw, item.expected_version, item.explanation)


def _explanation_refusal(item: ValueInput) -> str:
    """An explanation over the limit is refused, not cut: the page keeps the text and says so, as
    for the report's sections (cutting it while saying 已保存 lost the end of what was typed)."""
    if item.explanation is None:
        return ""
    length = len(item.explanation.replace("\r\n", "\n").strip())
    if length <= EXPLANATION_MAX_LENGTH:
        return ""
    return f"情况说明不能超过 {EXPLANATION_MAX_LENGTH} 字（现为 {length} 字）"


def _apply_input(row: IndicatorValue, item: ValueInput) -> list[tuple[str, str, str]]:
    """Set the row from the input; the (field, old, new) texts of what changed."""
    indicator = row.indicator
    changes = []
    raw = clean_raw(indicator.value_type, item.raw)
    old_text = display_raw(indicator.value_type, row.raw_input) if row.raw_input else display(indicator, row)
    if raw != clean_raw(indicator.value_type, row.raw_input or {}):
        parsed = parse_raw(indicator, raw)
        for name, value in parsed.columns.items():
            setattr(row, name, value)
        row.raw_input, row.input_error = raw, parsed.error[:300]
        new_text = display_raw(indicator.value_type, raw)
        if new_text != old_text:
            changes.append(("value", old_text, new_text))
    if item.explanation is not None:
        explanation = item.explanation.replace("\r\n", "\n").strip()
        if len(explanation) > EXPLANATION_MAX_LENGTH:
            # Kept within the limit rather than refused: a draft never loses the rest of the save.
            explanation = explanation[:EXPLANATION_MAX_LENGTH]
        if explanation != row.explanation:
            changes.append(("explanation", row.explanation, explanation))
            row.explanation = explanation
    return changes


@dataclass(frozen=True)
class NarrativeSaveOutcome:
    section: NarrativeSection
    submitted_text: str
    is_conflict: bool = False
    is_changed: bool = False
    error: str = ""


@transaction.atomic
def narrative_save(
    *,
    annual_return: AnnualReturn,
    kind: str,
    text: str,
    expected_version: int,
    user: User,
    source: str = ValueChange.Source.FORM,
) -> NarrativeSaveOutcome:
    """Save one section of the annual report's text, with the same version check as values. Text
    over the limit is refused (not cut): the page keeps it and shows the count."""
    locked = lock_return(annual_return)
    _check_editable(user, locked)
    section = (
        NarrativeSection.objects.select_for_update(no_key=True, of=("self",))
        .select_related("updated_by")
        .filter(annual_return=locked, kind=kind)
        .first()
    )
    if section is None:
        raise ReturnNotEditable("这份填报没有这一部分。")
    if is_targeted_return(locked) and not section.is_reopened:
        raise ReturnNotEditable("这一部分未被退回修改，不能修改。")
    text = (text or "").replace("\r\n", "\n").strip()
    if section.version != expected_version:
        return NarrativeSaveOutcome(section=section, submitted_text=text, is_conflict=True)
    if len(text) > NARRATIVE_MAX_LENGTH:
        return NarrativeSaveOutcome(
            section=section, submitted_text=text, error=f"不能超过 {NARRATIVE_MAX_LENGTH} 字（现为 {len(text)} 字）"
        )
    if text == section.text:
        return NarrativeSaveOutcome(section=section, submitted_text=text)
    ValueChange.objects.create(
        annual_return=locked,
        narrative_kind=kind,
        field="text",
        old_value=section.text,
        new_value=text,
        user=user,
        source=source,
    )
    section.text, section.version, section.updated_by = text, section.version + 1, user
    section.save(update_fields=["text", "version", "updated_at", "updated_by"])
    return_data_changed(return_ids=[locked.pk])
    _start_or_resume(locked, user)
    return NarrativeSaveOutcome(section=section, submitted_text=text, is_changed=True)

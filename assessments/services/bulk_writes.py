"""Writing many value rows and their audit rows at once: a whole province's wide import.

On PostgreSQL the changed rows are COPYed into a temporary table and applied by one UPDATE … FROM,
and the audit rows are COPYed into their table: a handful of statements for 215,000 values, where
one UPDATE per row (pipelined) and bulk_create's INSERTs were most of the import's time. Elsewhere
(SQLite, the newcomer's default) the rows go through `value_rows_write` (one UPDATE per row) and
`bulk_create`, slower and the same in effect.

The UPDATE applies a row only where its version is still the one the caller read (the new version
less one): the caller holds the locks of the rows' returns, so every other writer, which locks the
return first, waits; a row changed all the same (by a writer that skipped that lock) makes the count
fall short, and the caller's transaction is rolled back with StaleReturn, never half-applied.
"""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, models

from ..models import IndicatorValue, ValueChange
from .entry import SAVED_VALUE_FIELDS, value_rows_write
from .errors import StaleReturn
from .return_data import return_data_changed

AUDIT_FIELDS = (
    "annual_return_id",
    "indicator_id",
    "narrative_kind",
    "field",
    "old_value",
    "new_value",
    "user_id",
    "source",
    "changed_at",
)
STAGING_TABLE = "import_value_rows"


def _copy_rows(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _as_is(value: Any) -> Any:
    return value


def _copy_preparers(fields: list[models.Field[Any, Any]]) -> list[Callable[[Any], Any]]:
    """COPY takes Python's decimals, dates, times, booleans and texts as they are; only JSON is
    wrapped (Field.get_db_prep_save for every value was a fifth of the apply's CPU)."""
    from psycopg.types.json import Jsonb  # PostgreSQL only: SQLite installs never import the driver

    return [Jsonb if isinstance(field, models.JSONField) else _as_is for field in fields]


def value_rows_write_many(rows: list[IndicatorValue], *, stale_message: str) -> None:
    """Write the changed rows (each with its version already raised by one); no recount. Raises
    StaleReturn(stale_message) when any row's stored version is no longer the one before."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        if value_rows_write(rows, recount=False, check_versions=True) != len(rows):
            raise StaleReturn(stale_message)
        return
    by_name = {field.name: field for field in IndicatorValue._meta.concrete_fields}
    fields = [by_name["id"], *(by_name[name] for name in SAVED_VALUE_FIELDS)]
    preparers = _copy_preparers(fields)
    attnames = [field.attname for field in fields]
    columns = [field.column for field in fields]
    quote = connection.ops.quote_name
    table = quote(IndicatorValue._meta.db_table)
    staging = quote(STAGING_TABLE)
    listed = ", ".join(quote(column) for column in columns)
    assignments = ", ".join(f"{quote(column)} = s.{quote(column)}" for column in columns if column != "id")
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        # The staging table has the value table's column types (no constraints: those are checked by
        # the UPDATE into the real table); dropped at commit or rollback.
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS SELECT {listed} FROM {table} WITH NO DATA")  # noqa: S608 - names from the model
        _copy_rows(
            cursor,
            STAGING_TABLE,
            columns,
            ([prepare(getattr(row, name)) for prepare, name in zip(preparers, attnames, strict=True)] for row in rows),
        )
        cursor.execute(
            f"UPDATE {table} AS v SET {assignments} FROM {staging} AS s "  # noqa: S608 - names from the model
            f"WHERE v.{quote('id')} = s.{quote('id')} AND v.{quote('version')} = s.{quote('version')} - 1"
        )
        written = cursor.rowcount
        cursor.execute(f"DROP TABLE {staging}")
    if written != len(rows):
        raise StaleReturn(stale_message)
    return_data_changed(return_ids={row.annual_return_id for row in rows})


def value_changes_write(changes: list[tuple[Any, ...]]) -> None:
    """Insert audit rows given as tuples in AUDIT_FIELDS order (changed_at set by the caller): a
    province's 293,000 ValueChange instances were 300 MB of the import's peak; tuples are a tenth."""
    if not changes:
        return
    if connection.vendor != "postgresql":
        for start in range(0, len(changes), 2000):
            batch = changes[start : start + 2000]
            ValueChange.objects.bulk_create([ValueChange(**dict(zip(AUDIT_FIELDS, row, strict=True))) for row in batch])
        return
    by_attname = {field.attname: field.column for field in ValueChange._meta.concrete_fields}
    columns = [by_attname[name] for name in AUDIT_FIELDS]
    connection.ensure_connection()
    with connection.connection.cursor() as cursor:
        _copy_rows(cursor, ValueChange._meta.db_table, columns, changes)

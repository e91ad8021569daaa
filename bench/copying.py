"""Fast row writers for the data generator: PostgreSQL COPY through psycopg 3, bulk_create elsewhere.

Rows are tuples in the order of the attribute names given (`department_id`, not `department`), with
primary keys chosen by the caller, so rows of a child table can point at their parent without a
round trip. Nothing is held beyond one batch, so memory stays flat at any scale.
"""

from collections.abc import Sequence

from django.db import connection, models
from django.db.models.fields.json import JSONField
from django.utils import timezone

BATCH = 2000


def _default(field: models.Field):
    """What Django would have stored for a column left out: the default ("" for a blank CharField),
    now for auto_now(_add) timestamps, None when there is none."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    return field.get_default()


class RowWriter:
    """`with RowWriter(Model, fields) as write: write(row)`; sequences are reset by `reset_sequences`."""

    def __init__(self, model: type[models.Model], fields: Sequence[str]):
        self.model = model
        self.fields = list(fields)
        by_attname = {field.attname: field for field in model._meta.concrete_fields}
        unknown = [name for name in self.fields if name not in by_attname]
        if unknown:
            raise ValueError(f"{model.__name__} has no columns {unknown}")
        # COPY writes NULL into every column it is not given: the database holds no defaults (Django
        # applies them), so an omitted NOT NULL column (say one added to the model after the generator
        # was written) fails the whole load. Omitted columns get the model's default; a NOT NULL one
        # without a default is refused here, by name.
        omitted = [f for f in model._meta.concrete_fields if f.attname not in self.fields and not f.primary_key]
        filled = {f.attname: _default(f) for f in omitted if f.db_default is models.NOT_PROVIDED}
        undefaulted = [name for name, value in filled.items() if value is None and not by_attname[name].null]
        if undefaulted:
            raise ValueError(f"{model.__name__}: columns {undefaulted} are NOT NULL and have no default")
        self.fields += list(filled)
        self.filler = tuple(filled.values())
        self.columns = [by_attname[name].column for name in self.fields]
        self.json_positions = [i for i, name in enumerate(self.fields) if isinstance(by_attname[name], JSONField)]
        self.is_postgresql = connection.vendor == "postgresql"
        self.count = 0
        self._batch: list[models.Model] = []

    def __enter__(self):
        if self.is_postgresql:
            from psycopg.types.json import Jsonb

            self._jsonb = Jsonb
            connection.ensure_connection()
            self._cursor = connection.connection.cursor()
            table = connection.ops.quote_name(self.model._meta.db_table)
            columns = ", ".join(connection.ops.quote_name(column) for column in self.columns)
            self._copy_context = self._cursor.copy(f"COPY {table} ({columns}) FROM STDIN")
            self._copy = self._copy_context.__enter__()
        return self.write

    def write(self, row: Sequence) -> None:
        self.count += 1
        if self.filler:
            row = (*row, *self.filler)
        if self.is_postgresql:
            if self.json_positions:
                row = list(row)
                for position in self.json_positions:
                    row[position] = self._jsonb(row[position])
            self._copy.write_row(row)
            return
        self._batch.append(self.model(**dict(zip(self.fields, row, strict=True))))
        if len(self._batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self.model._default_manager.bulk_create(self._batch)
            self._batch = []

    def __exit__(self, exc_type, exc, traceback):
        if self.is_postgresql:
            self._copy_context.__exit__(exc_type, exc, traceback)
            self._cursor.close()
        elif exc_type is None:
            self._flush()
        return False


def next_id(model: type[models.Model]) -> int:
    return (model._default_manager.aggregate(models.Max("pk"))["pk__max"] or 0) + 1


def reset_sequences(model_list: Sequence[type[models.Model]]) -> None:
    """After rows were written with chosen ids, point each id sequence past the largest one."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)

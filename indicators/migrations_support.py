"""Helpers for data migrations that carry the meaning of stored framework rows over a schema change.

On PostgreSQL, triggers refuse writes to the tree of a framework returns were filed against
(migration 0002). A data migration that fills a new column so that it says what the old one said is
not such a change: it runs with the triggers disabled for its own transaction's statements only.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.backends.base.schema import BaseDatabaseSchemaEditor

TABLES = ("indicators_area", "indicators_group", "indicators_indicator")


@contextmanager
def filed_triggers_disabled(schema_editor: BaseDatabaseSchemaEditor) -> Iterator[None]:
    if schema_editor.connection.vendor != "postgresql":
        yield
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = ANY(%s)",
            [[f"{table}_filed_refuse" for table in TABLES]],
        )
        present = [row[0] for row in cursor.fetchall()]
        for table in present:
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER "{table}_filed_refuse"')
        try:
            yield
        finally:
            # Deferred foreign-key checks queued by the writes must run before the table is altered
            # again ("cannot ALTER TABLE ... because it has pending trigger events").
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in present:
                cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER "{table}_filed_refuse"')

"""A pg_trgm GIN index on the public search text, on PostgreSQL only.

The index lives outside the models' state (a RunPython, not `Meta.indexes`): a GinIndex in the state
would be re-created by SQLite's table rebuilds in later migrations, and SQLite has no GIN. On SQLite
(the embedded newcomer setup) this migration does nothing and the search reads the column directly,
with the same results. The reverse drops the index and leaves the extension, which other database
objects may use. CREATE EXTENSION needs a superuser or a trusted extension (pg_trgm is trusted).
"""

from django.db import migrations

INDEX = "publication_search_text_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON publication_reportpublication USING gin (search_text gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("publication", "0002_public_search_text")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]

"""On PostgreSQL, triggers refuse INSERT, UPDATE and DELETE of areas, groups and indicators of a
framework that returns were filed against (past draft, referenced by an annual return), from any
client: raw SQL, a shell, a bulk write. Through the ORM the same lock is `indicators.tree_lock`.

SQLite gets no triggers: Django alters SQLite tables by rebuilding them, which drops a table's
triggers, and fails while any trigger names a table being rebuilt — every later migration of
assessments_annualreturn would break. TRUNCATE (the test databases' flush) fires no row trigger.
"""

from django.db import migrations

MESSAGE = "已有单位按此指标体系填报，其一级、二级、三级指标不能修改；请复制为新版本后修改。"

# table → the framework id of a row, written for NEW or OLD
TABLES = {
    "indicators_area": "{row}.framework_id",
    "indicators_group": "(SELECT a.framework_id FROM indicators_area a WHERE a.id = {row}.area_id)",
    "indicators_indicator": "{row}.framework_id",
}

LOCKED = """EXISTS (
            SELECT 1 FROM indicators_indicatorframework f
            WHERE f.id = {framework_id} AND f.status <> 'draft'
              AND EXISTS (SELECT 1 FROM assessments_annualreturn r WHERE r.framework_id = f.id)
        )"""

FUNCTION = """
CREATE OR REPLACE FUNCTION {table}_filed_refuse() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        IF {old_locked} THEN
            RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    IF {new_locked} THEN
        RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {table}_filed_refuse BEFORE INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {table}_filed_refuse();
"""

DROP = """
DROP TRIGGER IF EXISTS {table}_filed_refuse ON {table};
DROP FUNCTION IF EXISTS {table}_filed_refuse();
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, framework_of in TABLES.items():
        schema_editor.execute(
            FUNCTION.format(
                table=table,
                message=MESSAGE,
                old_locked=LOCKED.format(framework_id=framework_of.format(row="OLD")),
                new_locked=LOCKED.format(framework_id=framework_of.format(row="NEW")),
            ),
            params=None,
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(DROP.format(table=table), params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_indicator_framework_tree"),
        ("assessments", "0001_returns_values_evidence_audit"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]

"""The documented backup procedure (scripts/backup.sh, scripts/restore.sh) round-trips the demo."""

import os
import subprocess
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SCRIPTS = Path(settings.BASE_DIR) / "scripts"


def _fingerprint(database_url: str) -> dict[str, str]:
    """Row count and a content hash of every table of ours in the database at that URL."""
    import psycopg

    ours = {"accounts", "indicators", "assessments", "reviews", "congress", "reports"}
    tables = sorted(m._meta.db_table for m in apps.get_models() if m._meta.app_label in ours)
    result = {}
    with psycopg.connect(database_url) as conn:
        existing = {row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
        for table in tables:
            if table in existing:
                digest, count = conn.execute(
                    f"SELECT md5(string_agg(t::text, '|' ORDER BY t::text)), count(*) FROM \"{table}\" t"  # noqa: S608
                ).fetchone()
                result[table] = f"{count}:{digest}"
    return result


def test_demo_database_survives_backup_and_restore(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the backup procedure is for PostgreSQL")
    call_command("seed_demo", verbosity=0)
    source = connection.settings_dict
    base = f"postgres://{source['USER']}@{source['HOST'] or '127.0.0.1'}:{source['PORT'] or 5432}"
    restored_name = f"lawgov_restore_{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": f"{base}/{source['NAME']}"}

    dump = subprocess.run(
        ["bash", str(SCRIPTS / "backup.sh"), str(tmp_path)], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    subprocess.run(["createdb", "-h", source["HOST"] or "127.0.0.1", "-U", source["USER"], restored_name], check=True)
    try:
        env["DATABASE_URL"] = f"{base}/{restored_name}"
        subprocess.run(["bash", str(SCRIPTS / "restore.sh"), dump], env=env, capture_output=True, check=True)
        original = _fingerprint(f"{base}/{source['NAME']}")
        restored = _fingerprint(f"{base}/{restored_name}")
        assert original == restored
        assert int(original["accounts_department"].split(":")[0]) > 0
    finally:
        subprocess.run(
            ["dropdb", "-h", source["HOST"] or "127.0.0.1", "-U", source["USER"], restored_name], check=False
        )

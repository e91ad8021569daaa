"""The documented backup procedure (scripts/backup.sh, scripts/restore.sh) round-trips the demo:
every table of ours — the audit tables included — comes back identical, every stored file (evidence,
appeal and adjustment evidence, generated reports) comes back with the same bytes, and the restored
audit log still refuses changes."""

import hashlib
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, models

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SCRIPTS = Path(settings.BASE_DIR) / "scripts"
# Our apps, the application-wide audit log and Django's admin log.
BACKED_UP_APPS = {"accounts", "indicators", "assessments", "reviews", "congress", "reports", "audit", "admin"}
# Tables the demo fills, so "identical" is not "both empty".
CHECKED_NOT_EMPTY = ("accounts_department", "assessments_annualreturn", "audit_auditevent", "reviews_reviewauditentry")


def _fingerprint(database_url: str) -> dict[str, str]:
    """Row count and a content hash of every table of ours in the database at that URL."""
    import psycopg

    tables = sorted(m._meta.db_table for m in apps.get_models() if m._meta.app_label in BACKED_UP_APPS)
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


def _stored_file_names(database_url: str) -> set[str]:
    """Every file name a FileField of ours holds in the database at that URL."""
    import psycopg

    names = set()
    with psycopg.connect(database_url) as conn:
        for model in apps.get_models():
            if model._meta.app_label not in BACKED_UP_APPS:
                continue
            for field in model._meta.concrete_fields:
                if isinstance(field, models.FileField):
                    rows = conn.execute(
                        f'SELECT "{field.column}" FROM "{model._meta.db_table}" WHERE "{field.column}" <> \'\''  # noqa: S608
                    )
                    names |= {row[0] for row in rows}
    return names


def _media_digest(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _database_base_url() -> tuple[str, dict]:
    source = connection.settings_dict
    return f"postgres://{source['USER']}@{source['HOST'] or '127.0.0.1'}:{source['PORT'] or 5432}", source


def test_demo_database_and_media_survive_backup_and_restore(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("the backup procedure is for PostgreSQL")
    call_command("seed_demo", verbosity=0)
    base, source = _database_base_url()
    original_url = f"{base}/{source['NAME']}"
    restored_name = f"lawgov_restore_{uuid.uuid4().hex[:8]}"
    restored_media = tmp_path / "restored-media"
    env = {**os.environ, "DATABASE_URL": original_url, "MEDIA_ROOT": str(settings.MEDIA_ROOT)}

    backup = subprocess.run(
        ["bash", str(SCRIPTS / "backup.sh"), str(tmp_path / "backups")], env=env, capture_output=True, text=True
    )
    assert backup.returncode == 0, backup.stderr
    dump, media = backup.stdout.split()
    subprocess.run(["createdb", "-h", source["HOST"] or "127.0.0.1", "-U", source["USER"], restored_name], check=True)
    try:
        env.update(DATABASE_URL=f"{base}/{restored_name}", MEDIA_ROOT=str(restored_media))
        restore = subprocess.run(
            ["bash", str(SCRIPTS / "restore.sh"), dump, media], env=env, capture_output=True, text=True
        )
        assert restore.returncode == 0, restore.stderr
        original = _fingerprint(original_url)
        restored = _fingerprint(f"{base}/{restored_name}")
        assert original == restored
        for table in CHECKED_NOT_EMPTY:
            assert int(original[table].split(":")[0]) > 0, f"the demo has no {table} rows to check"

        stored = _stored_file_names(f"{base}/{restored_name}")
        restored_files = _media_digest(restored_media)
        assert stored, "the demo stores no files to check"
        assert stored <= set(restored_files), sorted(stored - set(restored_files))[:5]
        assert restored_files == _media_digest(Path(settings.MEDIA_ROOT))

        _assert_restored_audit_log_is_append_only(f"{base}/{restored_name}")
    finally:
        subprocess.run(
            ["dropdb", "-h", source["HOST"] or "127.0.0.1", "-U", source["USER"], restored_name], check=False
        )


def _assert_restored_audit_log_is_append_only(database_url: str) -> None:
    import psycopg

    with psycopg.connect(database_url) as conn:
        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute("UPDATE audit_auditevent SET after = '{}'")
        conn.rollback()
        with pytest.raises(psycopg.Error, match="append-only"):
            conn.execute("DELETE FROM audit_auditevent")


def test_a_backup_without_the_media_directory_is_refused(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "MEDIA_ROOT"}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # never reached
    result = subprocess.run(
        ["bash", str(SCRIPTS / "backup.sh"), str(tmp_path)], env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "MEDIA_ROOT" in result.stderr
    assert list(tmp_path.iterdir()) == []

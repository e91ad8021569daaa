"""reports 0005: the congress survey report's edited sections (congress.ReportSectionText) become the
report's 报告稿 sections, text, version and author kept; the reverse brings them back."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("congress", "0002_report_section_texts"), ("reports", "0004_report_run_liveness")]
TEXT = "（一）问题一\n正文。"
EDITED_AT = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30))


def _migrate(targets=None):
    """To `targets`, or to the latest migration of every app (what the other tests expect)."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_texts(transactional_db):
    apps = _migrate(BEFORE)
    user = apps.get_model("accounts", "User").objects.create(username="congress_old", role="congress")
    year = apps.get_model("congress", "CongressYear").objects.create(year=2025, title="法治政府建设")
    texts = apps.get_model("congress", "ReportSectionText")
    texts.objects.create(congress_year=year, section="problems", text=TEXT, version=3, updated_by=user)
    texts.objects.filter(section="problems").update(updated_at=EDITED_AT)
    texts.objects.create(congress_year=year, section="basic_situation", text="", version=2, updated_by=user)
    yield user
    _migrate()  # leave the database as the other tests expect it


def test_an_edited_congress_section_becomes_the_reports_draft_section_with_its_version_and_time(old_texts):
    apps = _migrate()

    section = apps.get_model("reports", "ReportDraftSection").objects.get(key="存在的主要问题")
    assert (section.draft.kind, section.draft.year, section.draft.department_id) == ("congress_survey", 2025, None)
    assert (section.text, section.version, section.updated_by_id, section.updated_at) == (
        TEXT,
        3,
        old_texts.pk,
        EDITED_AT,
    )


def test_going_back_restores_the_congress_texts(old_texts):
    _migrate()
    apps = _migrate(BEFORE)

    texts = apps.get_model("congress", "ReportSectionText").objects.order_by("section")
    assert [(t.section, t.text, t.version) for t in texts] == [
        ("basic_situation", "", 2),
        ("problems", TEXT, 3),
    ]
    assert not apps.get_model("reports", "ReportDraftSection").objects.exists()

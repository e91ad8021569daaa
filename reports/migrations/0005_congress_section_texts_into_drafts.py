"""The congress survey report's edited sections move from congress.ReportSectionText to the report's
报告稿 (ReportDraftSection, keyed by the section's heading), so the report has one place for edits.
Every stored text is kept with its version, author and time; the reverse copies them back."""

from django.db import migrations

KIND = "congress_survey"
HEADINGS = {
    "basic_situation": "调研工作基本情况",
    "achievements": "主要做法和成效",
    "problems": "存在的主要问题",
}


def texts_into_drafts(apps, schema_editor):
    ReportSectionText = apps.get_model("congress", "ReportSectionText")
    ReportDraft = apps.get_model("reports", "ReportDraft")
    ReportDraftSection = apps.get_model("reports", "ReportDraftSection")
    for row in ReportSectionText.objects.select_related("congress_year").order_by("pk"):
        draft, _ = ReportDraft.objects.get_or_create(
            kind=KIND, year=row.congress_year.year, department=None, defaults={"updated_by_id": row.updated_by_id}
        )
        key = HEADINGS[row.section]
        section = ReportDraftSection.objects.filter(draft=draft, key=key).first()
        if section is not None and section.text.strip() and not row.text.strip():
            continue  # an edit already made on the 报告稿 page is not replaced by a reset congress row
        if section is None:
            section = ReportDraftSection.objects.create(
                draft=draft, key=key, text=row.text, version=row.version, updated_by_id=row.updated_by_id
            )
        # A queryset update, so the time of the congress edit survives auto_now.
        ReportDraftSection.objects.filter(pk=section.pk).update(
            text=row.text, version=row.version, updated_by_id=row.updated_by_id, updated_at=row.updated_at
        )


def drafts_into_texts(apps, schema_editor):
    ReportSectionText = apps.get_model("congress", "ReportSectionText")
    CongressYear = apps.get_model("congress", "CongressYear")
    ReportDraftSection = apps.get_model("reports", "ReportDraftSection")
    sections = {heading: section for section, heading in HEADINGS.items()}
    rows = ReportDraftSection.objects.filter(
        draft__kind=KIND, draft__department__isnull=True, key__in=list(sections)
    ).select_related("draft")
    for row in rows:
        congress_year = CongressYear.objects.filter(year=row.draft.year).first()
        if congress_year is None:
            continue
        ReportSectionText.objects.update_or_create(
            congress_year=congress_year,
            section=sections[row.key],
            defaults={"text": row.text, "version": row.version, "updated_by_id": row.updated_by_id},
        )
        ReportSectionText.objects.filter(congress_year=congress_year, section=sections[row.key]).update(
            updated_at=row.updated_at
        )
    rows.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0002_report_section_texts"),
        ("reports", "0004_report_run_liveness"),
    ]

    operations = [migrations.RunPython(texts_into_drafts, drafts_into_texts)]

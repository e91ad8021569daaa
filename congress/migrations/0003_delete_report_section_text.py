# The survey report's edited sections live in the report's 报告稿 now (reports 0005 copied them).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("congress", "0002_report_section_texts"),
        ("reports", "0005_congress_section_texts_into_drafts"),
    ]

    operations = [
        migrations.DeleteModel(
            name="ReportSectionText",
        ),
    ]

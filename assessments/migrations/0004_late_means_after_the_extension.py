from django.db import migrations, models
from django.utils import timezone


def late_only_after_the_due_date(apps, schema_editor):
    """Returns submitted within an approved extension were flagged 逾期 by the old rule (after the
    original deadline); one rule now: late only after the date in force (deadline or extension)."""
    AnnualReturn = apps.get_model("assessments", "AnnualReturn")
    flagged = AnnualReturn.objects.filter(is_late=True, extended_until__isnull=False, first_submitted_at__isnull=False)
    in_time = [
        pk
        for pk, first_submitted_at, extended_until in flagged.values_list("pk", "first_submitted_at", "extended_until")
        if timezone.localtime(first_submitted_at).date() <= extended_until
    ]
    AnnualReturn.objects.filter(pk__in=in_time).update(is_late=False)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0003_historical_return_without_deadline"),
    ]

    operations = [
        migrations.AlterField(
            model_name="annualreturn",
            name="is_late",
            field=models.BooleanField(
                default=False, help_text="首次提交晚于截止日期（批准延期的，晚于延期日期）。", verbose_name="逾期"
            ),
        ),
        # Not reversible into the old flags (which were the contradiction); going back leaves them as they are.
        migrations.RunPython(late_only_after_the_due_date, migrations.RunPython.noop),
    ]

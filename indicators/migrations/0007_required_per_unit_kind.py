"""Required-ness per kind of unit: `is_required` becomes required_for_government / _department /
_township, each taking the old flag's value, so every indicator stays exactly as required as it was."""

from django.db import migrations, models

from indicators.migrations_support import filed_triggers_disabled

KINDS = ("required_for_government", "required_for_department", "required_for_township")


def copy_forward(apps, schema_editor):
    indicator = apps.get_model("indicators", "Indicator")
    with filed_triggers_disabled(schema_editor):
        indicator.objects.filter(is_required=False).update(**dict.fromkeys(KINDS, False))


def copy_back(apps, schema_editor):
    indicator = apps.get_model("indicators", "Indicator")
    with filed_triggers_disabled(schema_editor):
        # Required anywhere was required: the old flag had no kinds.
        indicator.objects.update(is_required=False)
        any_kind = models.Q(required_for_government=True) | models.Q(required_for_department=True)
        indicator.objects.filter(any_kind | models.Q(required_for_township=True)).update(is_required=True)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0006_rate_part_units")]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="required_for_government",
            field=models.BooleanField(default=True, verbose_name="政府必填"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="required_for_department",
            field=models.BooleanField(default=True, verbose_name="政府工作部门必填"),
        ),
        migrations.AddField(
            model_name="indicator",
            name="required_for_township",
            field=models.BooleanField(default=True, verbose_name="乡镇街道必填"),
        ),
        migrations.RunPython(copy_forward, copy_back),
        migrations.RemoveField(model_name="indicator", name="is_required"),
    ]

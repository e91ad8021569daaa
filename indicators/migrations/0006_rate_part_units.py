"""The parts of a rate are figures: each has its own unit (量词), so 审结行政复议案件71件 can be said
without the rate. Existing rates get the unit their part's name implies (…人数 → 名, …件数 → 件);
a name that implies none is left blank for the administrator."""

from django.db import migrations, models

from indicators.migrations_support import filed_triggers_disabled

SUFFIX_UNITS = (
    ("（万元）", "万元"),
    ("金额", "万元"),
    ("人次", "人次"),
    ("人数", "名"),
    ("人员数", "名"),
    ("次数", "次"),
    ("期数", "期"),
    ("条数", "条"),
    ("案件数", "件"),
    ("件数", "件"),
    ("文件数", "件"),
    ("案卷数", "件"),
    ("事项数", "项"),
    ("决策数", "项"),
    ("问题数", "个"),
    ("申请数", "件"),
    ("建议数", "件"),
    ("提案数", "件"),
)


def unit_for(label: str) -> str:
    for suffix, unit in SUFFIX_UNITS:
        if label.endswith(suffix):
            return unit
    return ""


def fill_units(apps, schema_editor):
    indicator = apps.get_model("indicators", "Indicator")
    rows = list(indicator.objects.filter(value_type="rate"))
    with filed_triggers_disabled(schema_editor):
        for row in rows:
            row.numerator_unit = unit_for(row.numerator_label)
            row.denominator_unit = unit_for(row.denominator_label)
        indicator.objects.bulk_update(rows, ["numerator_unit", "denominator_unit"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0005_framework_is_historical")]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="numerator_unit",
            field=models.CharField(
                blank=True,
                help_text="分子作为一个数字时的量词或计量单位，如 件、条、名、人次、万元。",
                max_length=10,
                verbose_name="分子单位",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="denominator_unit",
            field=models.CharField(
                blank=True,
                help_text="分母作为一个数字时的量词或计量单位，如 件、条、名、人次、万元。",
                max_length=10,
                verbose_name="分母单位",
            ),
        ),
        migrations.RunPython(fill_units, migrations.RunPython.noop),
    ]

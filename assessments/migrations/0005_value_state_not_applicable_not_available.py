"""Values say what they are: a figure, 不适用 or 暂无数据. Every stored value was a figure (or nothing
yet), so every row starts as state "value" and keeps its meaning; a rate with one part stored was
already possible in a draft and now reads as that part with the rate 无法计算."""

from django.conf import settings
from django.db import migrations, models


def recount_completion(apps, schema_editor):
    """A rate with one part stored now counts as filled (the part is a figure): recount."""
    from assessments.services.completion import completion_counts

    annual_return = apps.get_model("assessments", "AnnualReturn")
    annual_return.objects.update(**completion_counts(apps.get_model("assessments", "IndicatorValue")))


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0004_late_means_after_the_extension'),
        ('indicators', '0009_validation_rule_is_relation'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='indicatorvalue',
            name='state',
            field=models.CharField(choices=[('value', '填报数值'), ('not_applicable', '不适用'), ('not_available', '暂无数据')], db_default='value', default='value', max_length=20, verbose_name='填报状态'),
        ),
        migrations.AddField(
            model_name='indicatorvalue',
            name='state_reason',
            field=models.TextField(blank=True, db_default='', verbose_name='不适用或暂无数据的原因'),
        ),
        migrations.AddConstraint(
            model_name='indicatorvalue',
            constraint=models.CheckConstraint(condition=models.Q(('state__in', ['value', 'not_applicable', 'not_available'])), name='value_state_known'),
        ),
        migrations.AddConstraint(
            model_name='indicatorvalue',
            constraint=models.CheckConstraint(condition=models.Q(('state', 'value'), models.Q(('denominator__isnull', True), ('numerator__isnull', True), ('value_boolean__isnull', True), ('value_choice', ''), ('value_date__isnull', True), ('value_decimal__isnull', True), ('value_integer__isnull', True), ('value_text', '')), _connector='OR'), name='value_state_without_figure'),
        ),
        migrations.RunPython(recount_completion, migrations.RunPython.noop),
    ]

from django import forms
from django.utils import timezone

from .models import ReportKind


def default_report_year() -> int:
    """Reports are written early in a year about the year before."""
    return timezone.localdate().year - 1


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label="报告类型", choices=ReportKind.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, initial=default_report_year)
    department = forms.IntegerField(label="单位", required=False, min_value=1)
    has_cover = forms.BooleanField(label="加封面", required=False)


class BatchRequestForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, initial=default_report_year)


class RunFilterForm(forms.Form):
    kind = forms.ChoiceField(label="报告类型", choices=[("", "全部类型"), *ReportKind.choices], required=False)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)
    department = forms.IntegerField(label="单位", required=False, min_value=1)


class HealthAcknowledgeForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput, max_length=200)
    reason = forms.CharField(
        label="说明理由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请说明理由，例如差异的原因或为何无需修改。"},
    )

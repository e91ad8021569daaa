from typing import Any

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


class ReportDraftForm(forms.Form):
    """成文日期, 发文字号 and 附件说明 of a report (报告稿); the services check them against the report."""

    signed_on = forms.DateField(
        label="成文日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "请填写正确的日期，如2025-03-01。"},
    )
    document_number = forms.CharField(
        label="发文字号", required=False, max_length=50, help_text="如“云法考办〔2025〕3号”；年份用六角括号〔〕。"
    )
    attachment_note = forms.CharField(
        label="附件说明",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一个附件名称，按附件顺序，名称后不加标点；留空时按附件标题列出。",
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, error_messages={"required": "页面已过期，请刷新后再提交。"}
    )

    def __init__(self, *args: Any, has_document_number: bool, has_attachments: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_document_number:
            del self.fields["document_number"]
        if not has_attachments:
            del self.fields["attachment_note"]


class DraftSectionForm(forms.Form):
    # Not required here: the service says what an empty text means (go back to the draft instead).
    text = forms.CharField(
        label="正文",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="每行为一个段落；以“（一）”“（二）”等开头的行为小标题，序号在生成报告时按顺序自动编排。"
        "保存后报告使用此处文字，不再随数据自动更新。",
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, error_messages={"required": "页面已过期，请刷新后再提交。"}
    )

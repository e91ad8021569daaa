from typing import Any, cast

from django import forms

from reports.forms import default_report_year


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)


class PartForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    text = forms.CharField(
        label="公开版正文",
        required=False,
        strip=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="每行一段；以（一）（二）开头的行为小标题。清空后保存即恢复定稿原文。",
    )


class ConfirmReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    confirmed = forms.BooleanField(
        label="我已逐项核对公开版，不含国家秘密、工作秘密、敏感信息和个人信息",
        error_messages={"required": "请勾选确认后再提交保密审查结论。"},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="撤回理由",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请说明撤回理由。"},
    )


class PublicSearchForm(forms.Form):
    """The public site's search: every field optional, bad values ignored rather than refused."""

    q = forms.CharField(label="关键词", required=False, max_length=50)
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label="单位", required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, years: list[int], units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.TypedChoiceField, self.fields["year"]).choices = [
            ("", "全部年度"),
            *((y, f"{y}年度") for y in years),
        ]
        cast(forms.TypedChoiceField, self.fields["unit"]).choices = [("", "全部单位"), *units]


class ComplianceYearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100, required=False)

    def year_or_default(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return default_report_year()

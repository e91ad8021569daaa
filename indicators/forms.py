from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet

from accounts.models import Department

from .models import IndicatorFramework


class DepartmentKindFilterForm(forms.Form):
    kind = forms.ChoiceField(label="适用单位类型", required=False, choices=[("", "全部"), *Department.Kind.choices])


class FrameworkChoiceField(forms.ModelChoiceField[IndicatorFramework]):
    def label_from_instance(self, obj: IndicatorFramework) -> str:
        return f"{obj.year}年 第{obj.version}版 · {obj.name}（{obj.get_status_display()}）"


class CompareForm(forms.Form):
    old = FrameworkChoiceField(label="原版本", queryset=IndicatorFramework.objects.none())
    new = FrameworkChoiceField(label="新版本", queryset=IndicatorFramework.objects.none())

    def __init__(self, *args: Any, frameworks: QuerySet[IndicatorFramework], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("old", "new"):
            field = self.fields[name]
            assert isinstance(field, FrameworkChoiceField)
            field.queryset = frameworks

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("old") and data.get("old") == data.get("new"):
            raise forms.ValidationError("请选择两个不同的版本进行比较。")
        return data


class FrameworkImportForm(forms.Form):
    file = forms.FileField(label="指标体系 Excel 文件（.xlsx）")
    year = forms.IntegerField(
        label="考核年度", required=False, min_value=2000, max_value=2100, help_text="留空则使用文件中的年度。"
    )

    MAX_SIZE = 5 * 1024 * 1024

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的文件。")
        if (upload.size or 0) > self.MAX_SIZE:
            raise forms.ValidationError("文件不能超过 5 MB。")
        return upload

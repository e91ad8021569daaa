from django import forms

from indicators.models import IndicatorFramework


class ExtensionForm(forms.Form):
    until = forms.DateField(label="延期至", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="延期理由", max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class YearOpenForm(forms.Form):
    """开启年度填报: the year's published framework and the submission deadline."""

    framework = forms.ModelChoiceField(
        label="指标体系",
        queryset=IndicatorFramework.objects.none(),
        empty_label=None,
        error_messages={
            "required": "请选择要开启填报的指标体系。",
            "invalid_choice": "所选指标体系不存在或尚未发布，请重新选择。",
        },
    )
    deadline = forms.DateField(
        label="提交截止日期",
        error_messages={"required": "请填写提交截止日期。", "invalid": "请按 2026-03-01 的格式填写日期。"},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, frameworks, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].queryset = frameworks
        self.fields["framework"].label_from_instance = lambda framework: f"{framework.year}年度 · {framework}"


class YearDeadlineForm(forms.Form):
    """调整截止日期 of a year's returns not submitted yet, with the reason kept in their logs."""

    deadline = forms.DateField(
        label="新的提交截止日期",
        error_messages={"required": "请填写新的提交截止日期。", "invalid": "请按 2026-03-01 的格式填写日期。"},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label="调整理由",
        max_length=300,
        error_messages={"required": "调整截止日期须填写理由。", "max_length": "理由不能超过 300 字。"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HistoricalYearForm(forms.Form):
    """开启历史数据年度, step one: the past year and the framework its edition is copied from."""

    year = forms.IntegerField(
        label="历史数据年度",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "请填写要补录数据的年度。",
            "invalid": "年度须为四位数字，如 2021。",
            "min_value": "年度不能早于 2000 年。",
            "max_value": "年度不能晚于 2100 年。",
        },
        widget=forms.NumberInput(attrs={"placeholder": "如 2021"}),
    )
    source = forms.ModelChoiceField(
        label="以哪个指标体系为底本",
        queryset=IndicatorFramework.objects.none(),
        empty_label=None,
        error_messages={
            "required": "请选择作为底本的指标体系。",
            "invalid_choice": "所选指标体系不存在或尚未发布，请重新选择。",
        },
    )

    def __init__(self, *args, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = sources
        self.fields["source"].label_from_instance = lambda framework: f"{framework}（{framework.get_status_display()}）"

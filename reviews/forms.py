"""Forms of review pages: parse and validate input only; the services decide what is allowed."""

from django import forms

from accounts.models import Department
from assessments.models import AnnualReturn
from assessments.services.evidence import MAX_FILE_BYTES
from files.kinds import ACCEPT_ATTRIBUTE, ALLOWED_TEXT
from indicators.models import AdjustmentItem

from .models import Appeal


class QueueFilterForm(forms.Form):
    year = forms.IntegerField(label="年度", required=False)
    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部状态"), *[c for c in AnnualReturn.Status.choices if c[0] != "not_started"]],
    )
    kind = forms.ChoiceField(label="单位类型", required=False, choices=[("", "全部类型"), *Department.Kind.choices])
    level = forms.ChoiceField(label="层级", required=False, choices=[("", "全部层级"), *Department.Level.choices])
    area = forms.CharField(label="一级指标", required=False, max_length=20)
    overdue = forms.BooleanField(label="仅看逾期", required=False)


class ReviewScoreForm(forms.Form):
    points = forms.DecimalField(label="审核分", required=False, min_value=0, max_digits=6, decimal_places=2)
    reason = forms.CharField(label="理由", required=False, max_length=2000)
    verified_value = forms.CharField(label="核定值", required=False, max_length=300)
    verified_numerator = forms.CharField(label="核定分子", required=False, max_length=50)
    verified_denominator = forms.CharField(label="核定分母", required=False, max_length=50)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def verified_raw(self) -> dict:
        data = self.cleaned_data
        if data["verified_numerator"] or data["verified_denominator"]:
            return {"numerator": data["verified_numerator"], "denominator": data["verified_denominator"]}
        if data["verified_value"]:
            return {"value": data["verified_value"], "choices": [c for c in data["verified_value"].split("、") if c]}
        return {}


class SendBackForm(forms.Form):
    compact = True

    comment = forms.CharField(label="退回意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    resubmit_deadline = forms.DateField(label="重新提交期限", widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def indicator_comments(self, data) -> dict[int, str]:
        """{indicator id: comment} from the ticked rows (`reopen` checkboxes + `comment_<id>` fields)."""
        comments = {}
        for value in data.getlist("reopen"):
            if value.isdigit():
                comments[int(value)] = data.get(f"comment_{value}", "")
        return comments


class ReasonForm(forms.Form):
    compact = True

    reason = forms.CharField(label="理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    resubmit_deadline = forms.DateField(
        label="重新提交期限", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class VersionForm(forms.Form):
    comment = forms.CharField(label="说明", required=False, max_length=2000)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


def _evidence_field() -> forms.FileField:
    """Size and content are checked by the service (the pipeline of a return's evidence); the
    browser is only told which kinds to offer."""
    return forms.FileField(
        label="佐证材料",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        help_text=f"可上传 {ALLOWED_TEXT}，单个文件不超过 {MAX_FILE_BYTES // (1024 * 1024)} MB。",
    )


class AdjustmentForm(forms.Form):
    compact = True

    department = forms.ModelChoiceField(label="单位", queryset=Department.objects.none())
    item = forms.ModelChoiceField(label="加减分项", queryset=AdjustmentItem.objects.none())
    occurrences = forms.IntegerField(label="次数（件数）", min_value=1, initial=1)
    points = forms.DecimalField(
        label="分值", required=False, min_value=0, max_digits=6, decimal_places=2, help_text="留空按每次分值计算。"
    )
    reason = forms.CharField(label="事由", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = _evidence_field()

    def __init__(self, *args, departments, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments
        self.fields["item"].queryset = items


class DecisionForm(forms.Form):
    compact = True

    note = forms.CharField(label="审批意见", required=False, max_length=300)


class PublishForm(forms.Form):
    compact = True

    appeal_deadline = forms.DateField(label="异议截止日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_ranking_public = forms.BooleanField(label="向各单位公开排名", required=False)
    note = forms.CharField(label="说明", required=False, max_length=300)


class AppealForm(forms.Form):
    compact = True

    subject = forms.CharField(label="有异议的扣分", max_length=40)  # "score:<id>" or "adjustment:<id>"
    statement = forms.CharField(label="异议理由", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = _evidence_field()

    def subject_parts(self) -> tuple[str, int] | None:
        kind, _, pk = self.cleaned_data["subject"].partition(":")
        return (kind, int(pk)) if kind in ("score", "adjustment") and pk.isdigit() else None


class AppealDecisionForm(forms.Form):
    compact = True

    decision = forms.ChoiceField(
        label="复核结论", choices=[c for c in Appeal.Status.choices if c[0] != Appeal.Status.PENDING]
    )
    points = forms.DecimalField(
        label="复核后分值", required=False, min_value=0, max_digits=6, decimal_places=2, help_text="部分成立时填写。"
    )
    reason = forms.CharField(label="复核意见", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ProviderDeadlineForm(forms.Form):
    """A 数据提供单位's own deadline for the year (the service checks it is not past, nor too late)."""

    deadline = forms.DateField(
        label="提交截止日期",
        error_messages={"required": "请填写截止日期。", "invalid": "日期格式不对，请按 2026-03-01 的格式填写。"},
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

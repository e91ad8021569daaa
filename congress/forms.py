import re

from django import forms
from django.utils import timezone

from accounts.models import Department

from .models import DeliberationOpinion, HandlingStatus, Question, RespondentGroup, SurveyActivity
from .scales import SCALE_PRESETS, OptionSpec

LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CongressYearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    title = forms.CharField(label="调研主题", max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class CongressYearTitleForm(forms.Form):
    title = forms.CharField(label="调研主题", max_length=200, required=False)


class SurveyForm(forms.Form):
    title = forms.CharField(label="调查名称", max_length=200)
    method = forms.CharField(
        label="调查方式", max_length=200, required=False, help_text="如：委托社情民意调查中心电话访谈、现场发放问卷。"
    )
    started_on = forms.DateField(label="开始日期", required=False, widget=DateInput())
    ended_on = forms.DateField(label="结束日期", required=False, widget=DateInput())


class RespondentGroupForm(forms.Form):
    name = forms.CharField(label="类别名称", max_length=50)


def _labels(text: str) -> list[str]:
    return [label.strip() for label in LIST_SEPARATORS.split(text or "") if label.strip()]


class QuestionForm(forms.Form):
    """A question with its options; for a rating scale, which options count as satisfied."""

    number = forms.IntegerField(label="题号", min_value=1, max_value=999)
    text = forms.CharField(label="题目", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    kind = forms.ChoiceField(label="题型", choices=Question.Kind.choices)
    preset = forms.ChoiceField(
        label="常用量表",
        required=False,
        choices=[("", "（自定义，按下方填写）"), *((key, label) for key, (label, _) in SCALE_PRESETS.items())],
        help_text="单选题可直接选用常用量表；选用后下方三项留空即可。",
    )
    options_text = forms.CharField(
        label="选项",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一个选项，按显示顺序填写。开放式问题留空。",
    )
    satisfied_text = forms.CharField(
        label="计入满意的选项", required=False, max_length=500, help_text="单选题填写，用顿号分隔，如：好、较好。"
    )
    excluded_text = forms.CharField(
        label="不计入有效回答的选项", required=False, max_length=500, help_text="如：说不清。留空表示全部计入。"
    )

    def __init__(self, *args, is_update: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if is_update:
            for name in ("number", "kind", "preset"):
                self.fields[name].disabled = True
                self.fields[name].required = False

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        preset = data.get("preset")
        if preset and kind == Question.Kind.SINGLE and not data.get("options_text"):
            self.option_specs = list(SCALE_PRESETS[preset][1])
            return data
        labels = _labels(data.get("options_text", "").replace("\r", ""))
        satisfied, excluded = set(_labels(data.get("satisfied_text", ""))), set(_labels(data.get("excluded_text", "")))
        unknown = (satisfied | excluded) - set(labels)
        if unknown:
            self.add_error("satisfied_text", f"以下选项不在选项列表中：{'、'.join(sorted(unknown))}")
        if kind == Question.Kind.OPEN:
            labels = []
        self.option_specs = [OptionSpec(label, label in satisfied, label in excluded) for label in labels]
        return data

    @staticmethod
    def initial_for(question: Question) -> dict:
        options = list(question.options.all())
        return {
            "number": question.number,
            "text": question.text,
            "kind": question.kind,
            "options_text": "\n".join(o.label for o in options),
            "satisfied_text": "、".join(o.label for o in options if o.counts_as_satisfied),
            "excluded_text": "、".join(o.label for o in options if o.is_excluded_from_base),
        }


class ResponseForm(forms.Form):
    """One questionnaire, with a field per question of the survey."""

    group = forms.ModelChoiceField(label="调查对象类别", queryset=RespondentGroup.objects.none(), empty_label="请选择")
    reference = forms.CharField(label="问卷编号", max_length=50, required=False)
    valid = forms.BooleanField(label="有效问卷", required=False, initial=True)

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = survey.groups.all()
        self.questions = list(survey.questions.prefetch_related("options"))
        for question in self.questions:
            label = f"{question.number}. {question.text}"
            choices = [(str(o.pk), o.label) for o in question.options.all()]
            if question.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(label=label, choices=choices, required=False, widget=forms.RadioSelect)
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
                )
            else:
                field = forms.CharField(
                    label=label,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> tuple[dict, dict]:
        """Chosen options and open texts keyed by question id, from cleaned data."""
        choices, texts = {}, {}
        for question in self.questions:
            value = self.cleaned_data.get(f"q{question.pk}")
            if not value:
                continue
            if question.kind == Question.Kind.OPEN:
                texts[question.pk] = value
                continue
            options = {str(o.pk): o for o in question.options.all()}
            ids = [value] if isinstance(value, str) else value
            choices[question.pk] = tuple(options[i] for i in ids)
        return choices, texts


class ResponseImportForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件（.xlsx）",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ),
    )


class GroupTallyForm(forms.Form):
    """Aggregate counts of one respondent group: sample sizes and, per option, how many chose it."""

    returned_count = forms.IntegerField(label="回收问卷数", min_value=0)
    valid_count = forms.IntegerField(label="有效问卷数", min_value=0)
    note = forms.CharField(label="数据来源说明", max_length=200, required=False)

    def __init__(self, *args, survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.question_fields: list[tuple[Question, list[str]]] = []
        for question in survey.questions.prefetch_related("options"):
            if not question.has_options:
                continue
            names = []
            for option in question.options.all():
                name = f"o{option.pk}"
                self.fields[name] = forms.IntegerField(
                    label=option.label,
                    min_value=0,
                    initial=0,
                    widget=forms.NumberInput(),
                )
                names.append(name)
            self.question_fields.append((question, names))

    def counts(self) -> dict[int, int]:
        return {int(name[1:]): value or 0 for name, value in self.cleaned_data.items() if name.startswith("o")}

    def sample_fields(self):
        return [self[name] for name in ("returned_count", "valid_count", "note")]

    def bound_question_fields(self):
        return [(question, [self[name] for name in names]) for question, names in self.question_fields]


class OpinionForm(forms.ModelForm):
    class Meta:
        model = DeliberationOpinion
        fields = ["kind", "number", "title", "content", "proposer", "received_on"]
        widgets = {"content": forms.Textarea(attrs={"rows": 5}), "received_on": DateInput()}


def department_choices():
    return Department.objects.filter(is_active=True).order_by("sort_order", "code")


class AssignmentCreateForm(forms.Form):
    departments = forms.ModelMultipleChoiceField(
        label="承办单位",
        queryset=Department.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text="可多选（按住 Ctrl 键）。",
    )
    deadline = forms.DateField(label="办理期限", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = department_choices()


class AssignmentAnswerForm(forms.Form):
    status = forms.ChoiceField(label="办理结果", choices=[("", "请选择"), *HandlingStatus.choices])
    answer = forms.CharField(
        label="办理情况",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="说明采取的措施、取得的成效和下一步计划。",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReviewForm(forms.Form):
    note = forms.CharField(
        label="回头看情况", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActivityForm(forms.ModelForm):
    class Meta:
        model = SurveyActivity
        fields = ["kind", "subject", "held_on", "ended_on", "place", "departments", "other_participants", "notes"]
        widgets = {
            "held_on": DateInput(),
            "ended_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "departments": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {"departments": "可多选（按住 Ctrl 键）。"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["departments"].queryset = department_choices()


class RecommendationForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    content = forms.CharField(label="内容", widget=forms.Textarea(attrs={"rows": 6}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

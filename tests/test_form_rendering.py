"""Every form renders through one renderer (lawgov.forms): Bootstrap classes on each control, the
label and the Chinese error beside the field; dense pages' forms ask for the small controls."""

from django import forms

from congress.forms import ActivityForm, CongressYearForm
from lawgov.forms import BootstrapBoundField
from reviews.forms import ReasonForm


class ExampleForm(forms.Form):
    name = forms.CharField(label="名称")
    kind = forms.ChoiceField(label="类型", choices=[("a", "甲"), ("b", "乙")])
    is_public = forms.BooleanField(label="公开", required=False)
    channel = forms.ChoiceField(label="渠道", choices=[("x", "网上"), ("y", "线下")], widget=forms.RadioSelect)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "lg-note"}))


def test_every_form_gets_the_projects_bound_field():
    assert isinstance(ExampleForm()["name"], BootstrapBoundField)


def test_each_control_gets_its_bootstrap_class():
    form = ExampleForm()

    assert 'class="form-control"' in str(form["name"])
    assert 'class="form-select"' in str(form["kind"])
    assert 'class="form-check-input"' in str(form["is_public"])
    assert [option.tag().count('class="form-check-input"') for option in form["channel"]] == [1, 1]
    assert '<div id="id_channel">' in str(form["channel"])  # the box around the options is not a check


def test_a_class_the_form_sets_is_kept_beside_the_bootstrap_one():
    assert 'class="lg-note form-control"' in str(ExampleForm()["note"])


def test_a_compact_form_gets_the_small_controls():
    html = str(ReasonForm()["reason"])

    assert 'class="form-control form-control-sm"' in html


def test_the_whole_form_renders_label_required_mark_and_control():
    html = str(CongressYearForm())

    assert (
        '<label class="form-label" for="id_year">年度 <span class="text-danger" aria-hidden="true">*</span></label>'
        in html
    )
    assert 'class="form-control"' in html


def test_an_invalid_field_is_marked_and_its_chinese_error_shown_beside_it():
    form = CongressYearForm(data={"year": "1900"})
    assert not form.is_valid()

    html = str(form)

    assert 'aria-invalid="true"' in html
    assert "is-invalid" in html
    assert '<div class="invalid-feedback d-block">' in html
    assert "确保该值大于或等于2000" in html


def test_errors_of_no_field_are_shown_above_the_fields(db):
    form = ActivityForm(data={})
    form.add_error(None, "结束日期不能早于开始日期。")

    html = str(form)

    assert html.index("结束日期不能早于开始日期。") < html.index("<label")

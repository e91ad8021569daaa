"""How every form renders (settings.FORM_RENDERER): Django's form renderer templates, once.

`{{ form }}` renders `templates/forms/form.html` (errors that belong to no field, then each field),
`{{ field.as_field_group }}` renders `templates/forms/field.html` (label, control, help, errors in
Chinese beside the control), and `{{ field }}` alone gives the control with its Bootstrap class, so
a page laid out by hand (a row of filters, a form in a table cell) still renders each control the
same way. A form with `compact = True` gets the small controls of dense pages (the review pages).
"""

from django import forms
from django.forms.boundfield import BoundField
from django.forms.renderers import TemplatesSetting
from django.utils.functional import cached_property

CHOICE_LISTS = (forms.RadioSelect, forms.CheckboxSelectMultiple)


def control_class(widget: forms.Widget, *, is_compact: bool = False, is_option: bool = False) -> str:
    """The Bootstrap class of a control: "" for a hidden input, and for the box around a list of
    radios or checkboxes, whose options (`is_option`) are checks."""
    if widget.is_hidden:
        return ""
    if isinstance(widget, CHOICE_LISTS):
        return "form-check-input" if is_option else ""
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select | forms.SelectMultiple):
        return "form-select form-select-sm" if is_compact else "form-select"
    return "form-control form-control-sm" if is_compact else "form-control"


class BootstrapBoundField(BoundField):
    _is_building_options = False

    @cached_property
    def subwidgets(self):
        # Django builds each radio's or checkbox's attrs through build_widget_attrs too.
        self._is_building_options = True
        try:
            return super().subwidgets
        finally:
            self._is_building_options = False

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        is_compact = getattr(self.form, "compact", False)
        classes = [
            *widget.attrs.get("class", "").split(),
            *attrs.get("class", "").split(),
            *control_class(widget, is_compact=is_compact, is_option=self._is_building_options).split(),
        ]
        if self.errors and not widget.is_hidden:
            classes.append("is-invalid")
            attrs["aria-invalid"] = "true"
        if classes:
            attrs["class"] = " ".join(dict.fromkeys(classes))
        return attrs


class FormRenderer(TemplatesSetting):
    """The project's templates first (templates/forms/), Django's widget templates under them."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
    bound_field_class = BootstrapBoundField

"""Every date widget renders its value as ISO (2026-12-13): a browser's <input type="date"> shows
nothing for 2026/12/13, so a form opened with a value (异议截止日期, 延期至, …) looked empty."""

import datetime

import pytest
from django import forms
from django.urls import get_resolver

PROJECT_APPS = ("accounts", "audit", "indicators", "assessments", "reviews", "congress", "reports")


def _project_form_classes() -> list[type[forms.BaseForm]]:
    get_resolver().url_patterns  # importing every view imports every form  # noqa: B018
    found, stack = [], [forms.BaseForm]
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in PROJECT_APPS:
            found.append(cls)
    return found


DATE_FIELDS = sorted(
    {
        (f"{cls.__module__}.{cls.__name__}.{name}", cls, name)
        for cls in _project_form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.DateField)
    },
    key=lambda item: item[0],
)


def test_the_project_has_date_widgets_to_check():
    assert len(DATE_FIELDS) >= 8


@pytest.mark.parametrize(("label", "form_class", "name"), DATE_FIELDS, ids=[label for label, *_ in DATE_FIELDS])
def test_a_date_widget_renders_its_value_as_iso(label, form_class, name):
    widget = form_class.base_fields[name].widget
    html = widget.render(name, datetime.date(2026, 12, 13))
    assert 'value="2026-12-13"' in html, html

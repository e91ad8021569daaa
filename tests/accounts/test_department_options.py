"""{% department_options %} (accounts/templatetags/department_options.py): the same text as the
template loop it replaced on the reports page, for every way a selection arrives."""

import pytest
from django.template import Context, Template

from accounts.models import Department
from tests.factories import DepartmentFactory

LOOP = Template(
    "{% load l10n %}{% localize off %}{% with chosen=selected|stringformat:'s' %}{% for department in departments %}"
    '<option value="{{ department.pk }}"{% if chosen == department.pk|stringformat:"s" %} selected{% endif %}>'
    "{{ department.name }}</option>{% endfor %}{% endwith %}{% endlocalize %}"
)
TAG = Template("{% load department_options %}{% department_options departments selected %}")


@pytest.fixture
def units(db) -> list[Department]:
    names = ["市公安局", 'A&B <"局">', "O'Brien 镇"]
    return [DepartmentFactory(code=f"U{number:03d}", name=name) for number, name in enumerate(names)]


@pytest.mark.parametrize("how", ["id", "text", "none", "empty", "unknown"])
def test_the_options_read_as_the_template_loop_wrote_them(units, how):
    selected = {"id": units[1].pk, "text": str(units[2].pk), "none": None, "empty": "", "unknown": "x"}[how]
    context = {"departments": units, "selected": selected}
    assert TAG.render(Context(context)) == LOOP.render(Context(context))


def test_names_are_escaped_and_only_the_chosen_unit_is_selected(units):
    text = TAG.render(Context({"departments": units, "selected": units[1].pk}))
    assert f'<option value="{units[1].pk}" selected>A&amp;B &lt;&quot;局&quot;&gt;</option>' in text
    assert text.count(" selected") == 1
    assert "O&#x27;Brien 镇" in text


def test_no_units_no_options():
    assert TAG.render(Context({"departments": [], "selected": 1})) == ""

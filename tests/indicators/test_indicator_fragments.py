"""`{% indicator_fragment %}`: an indicator's fixed parts rendered once per indicator instance."""

import datetime
import re
from decimal import Decimal

import pytest
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.template import Context, RequestContext, Template, TemplateSyntaxError
from django.utils.safestring import mark_safe

from indicators.models import Indicator

from .factories import IndicatorFactory

PAGE = Template(
    "{% load indicator_fragments %}"
    '{% indicator_fragment indicator "head" %}{{ indicator.name }}{% endindicator_fragment %}'
)


@pytest.mark.django_db
def test_a_fragment_renders_what_it_encloses():
    indicator = IndicatorFactory(name="行政复议案件数")
    assert PAGE.render(Context({"indicator": indicator})) == "行政复议案件数"


@pytest.mark.django_db
def test_a_fragment_is_rendered_once_for_an_indicator_instance():
    indicator = IndicatorFactory(name="行政复议案件数")
    PAGE.render(Context({"indicator": indicator}))
    indicator.name = "改过的名称"  # the same instance: what was rendered first is kept
    assert PAGE.render(Context({"indicator": indicator})) == "行政复议案件数"


@pytest.mark.django_db
def test_a_fresh_instance_of_the_indicator_renders_afresh():
    indicator = IndicatorFactory(name="行政复议案件数")
    PAGE.render(Context({"indicator": indicator}))
    Indicator.objects.filter(pk=indicator.pk).update(name="改过的名称")
    assert PAGE.render(Context({"indicator": Indicator.objects.get(pk=indicator.pk)})) == "改过的名称"


@pytest.mark.django_db
def test_two_fragments_of_one_indicator_are_kept_apart():
    indicator = IndicatorFactory(name="行政复议案件数", code="K1")
    page = Template(
        "{% load indicator_fragments %}"
        '{% indicator_fragment indicator "a" %}{{ indicator.code }}{% endindicator_fragment %}/'
        '{% indicator_fragment indicator "b" %}{{ indicator.name }}{% endindicator_fragment %}'
    )
    assert page.render(Context({"indicator": indicator})) == "K1/行政复议案件数"


@pytest.mark.django_db
def test_a_fragment_is_rendered_once_for_each_combination_of_the_values_it_varies_with():
    indicator = IndicatorFactory(name="行政复议案件数")
    page = Template(
        "{% load indicator_fragments %}"
        '{% indicator_fragment indicator "input" editable %}{{ indicator.name }}'
        "{% if not editable %} disabled{% endif %}{% endindicator_fragment %}"
    )
    assert page.render(Context({"indicator": indicator, "editable": True})) == "行政复议案件数"
    assert page.render(Context({"indicator": indicator, "editable": False})) == "行政复议案件数 disabled"
    assert page.render(Context({"indicator": indicator, "editable": True})) == "行政复议案件数"


def test_a_fragment_without_a_quoted_name_is_refused():
    with pytest.raises(TemplateSyntaxError):
        Template("{% load indicator_fragments %}{% indicator_fragment indicator head %}x{% endindicator_fragment %}")


FORM = Template(
    "{% load indicator_fragments %}"
    '{% indicator_fragment indicator "form" editable %}<b>{{ indicator.name }}</b>'
    '<input value="{% fresh %}{{ typed }}{% endfresh %}"{% if not editable %} disabled{% endif %}>'
    "{% fresh %}{% if saved %}已保存{% endif %}{% endfresh %}{% endindicator_fragment %}"
)


@pytest.mark.django_db
def test_a_fresh_part_is_rendered_anew_each_time_and_the_rest_kept():
    indicator = IndicatorFactory(name="行政复议案件数")
    first = FORM.render(Context({"indicator": indicator, "editable": True, "typed": "12", "saved": True}))
    indicator.name = "改过的名称"  # kept: the fixed text is not rendered again
    second = FORM.render(Context({"indicator": indicator, "editable": True, "typed": "<13>", "saved": False}))
    assert first == '<b>行政复议案件数</b><input value="12">已保存'
    assert second == '<b>行政复议案件数</b><input value="&lt;13&gt;">'


@pytest.mark.django_db
def test_fresh_parts_follow_the_combination_of_values_their_fragment_varies_with():
    indicator = IndicatorFactory(name="行政复议案件数")
    FORM.render(Context({"indicator": indicator, "editable": True, "typed": "12", "saved": True}))
    locked = FORM.render(Context({"indicator": indicator, "editable": False, "typed": "7", "saved": False}))
    assert locked == '<b>行政复议案件数</b><input value="7" disabled>'


def test_a_fresh_part_inside_a_loop_of_its_fragment_is_refused():
    """Replayed outside the loop, it would not see the loop's variable."""
    with pytest.raises(TemplateSyntaxError):
        Template(
            '{% load indicator_fragments %}{% indicator_fragment indicator "x" %}'
            "{% for word in words %}{% fresh %}{{ word }}{% endfresh %}{% endfor %}{% endindicator_fragment %}"
        )


class _Row:
    """Stands for a model row or a dataclass: attributes only, one of them a method."""

    version = 3
    note = "<b>粗体</b> & “引号”"

    def label(self):
        return "由方法给出"


_AWARE = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("expression", "context"),
    [
        ("typed", {"typed": "<script>&'\""}),
        ("typed", {"typed": mark_safe("<i>已转义</i>")}),
        ("typed", {"typed": 1234}),
        ("typed", {"typed": Decimal("12.50")}),
        ("typed", {"typed": None}),
        ("typed", {"typed": True}),
        ("typed", {"typed": datetime.date(2026, 3, 1)}),
        ("typed", {"typed": _AWARE}),
        ("missing", {}),
        ("row.version", {"row": _Row()}),
        ("row.note", {"row": _Row()}),
        ("row.label", {"row": _Row()}),
        ("row.absent", {"row": _Row()}),
        ("inputs.value", {"inputs": {"value": "12<"}}),
        ("inputs.value", {"inputs": {}}),
        ("inputs.0", {"inputs": ["第一项"]}),
        ('typed|default:"—"', {"typed": ""}),
        ('typed|default:"—"', {"typed": "7"}),
        ('typed|default:"—"', {"typed": 0}),
    ],
)
@pytest.mark.django_db
def test_a_lone_variable_in_a_fresh_part_renders_as_the_engine_renders_it(expression, context):
    """The shortcut for `{% fresh %}{{ … }}{% endfresh %}` gives the engine's text, escaping and
    all, or hands the case to the engine."""
    body = "{{ " + expression + " }}"
    fragment = Template(
        '{% load indicator_fragments %}{% indicator_fragment indicator "x" %}<p>{% fresh %}'
        + body
        + "{% endfresh %}</p>{% endindicator_fragment %}"
    )
    engine = Template("<p>" + body + "</p>")
    indicator = IndicatorFactory()
    for autoescape in (True, False):
        expected = engine.render(Context(context, autoescape=autoescape))
        assert fragment.render(Context({**context, "indicator": indicator}, autoescape=autoescape)) == expected


TWO_FIELDS = Template(
    "{% load indicator_fragments %}"
    '{% for indicator in indicators %}{% indicator_fragment indicator "form" %}'
    "<form>{% fresh %}{% csrf_token %}{% endfresh %}</form>{% endindicator_fragment %}{% endfor %}"
)


def _csrf_values(html: str) -> list[str]:
    return re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)


@pytest.mark.django_db
def test_every_fragment_of_a_page_carries_that_pages_csrf_token(rf):
    indicators = IndicatorFactory.create_batch(2)
    request = rf.get("/")
    page = TWO_FIELDS.render(RequestContext(request, {"indicators": indicators}))
    token = _csrf_values(page)[0]
    assert _csrf_values(page) == [token, token]
    assert _unmask_cipher_token(token) == _unmask_cipher_token(get_token(request))


@pytest.mark.django_db
def test_a_csrf_token_rendered_once_per_page_is_not_kept_for_the_next_page(rf):
    indicators = IndicatorFactory.create_batch(2)
    first, second = rf.get("/"), rf.get("/")
    first_page = TWO_FIELDS.render(RequestContext(first, {"indicators": indicators}))
    second_page = TWO_FIELDS.render(RequestContext(second, {"indicators": indicators}))
    assert _unmask_cipher_token(_csrf_values(second_page)[0]) == _unmask_cipher_token(get_token(second))
    assert _unmask_cipher_token(_csrf_values(first_page)[0]) != _unmask_cipher_token(get_token(second))

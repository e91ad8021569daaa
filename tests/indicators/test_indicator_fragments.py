"""`{% indicator_fragment %}`: an indicator's fixed parts rendered once per indicator instance."""

import pytest
from django.template import Context, Template, TemplateSyntaxError

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

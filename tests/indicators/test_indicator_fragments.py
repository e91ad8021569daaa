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

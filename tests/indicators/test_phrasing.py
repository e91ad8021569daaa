import datetime
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.models import ValueType
from indicators.phrasing import (
    PHRASE_FIELDS,
    PhraseSpec,
    render_phrase,
    template_problems,
)
from indicators.readings import IndicatorReading

D = Decimal
RATE = PhraseSpec(
    name="行政机关负责人出庭应诉率",
    value_type=ValueType.RATE,
    phrase_template="行政机关负责人出庭应诉率{rate}%（{num}/{den}）",
    yoy_phrase_template="较上年提高{delta}个百分点",
    empty_phrase="全年无行政诉讼开庭审理案件",
)
COUNT = PhraseSpec(
    name="行政复议案件",
    value_type=ValueType.COUNT,
    phrase_template="全年办理行政复议案件{value}件",
    yoy_phrase_template="较上年{direction}{delta}件（{direction}{percent}%）",
    unit="件",
)


def rate(num, den):
    return IndicatorReading(numerator=D(num), denominator=D(den))


def test_a_count_becomes_a_sentence():
    assert render_phrase(COUNT, IndicatorReading(value=D(128))) == "全年办理行政复议案件128件"


def test_a_rate_shows_percentage_numerator_and_denominator():
    assert render_phrase(RATE, rate(19, 20)) == "行政机关负责人出庭应诉率95%（19/20）"


def test_a_rate_is_rounded_half_up_to_two_decimals():
    assert render_phrase(RATE, rate(2, 3)) == "行政机关负责人出庭应诉率66.67%（2/3）"


def test_a_zero_denominator_says_there_were_no_cases_never_zero_percent():
    phrase = render_phrase(RATE, rate(0, 0), previous=rate(9, 10))
    assert phrase == "全年无行政诉讼开庭审理案件"
    assert "0%" not in phrase


def test_without_an_empty_phrase_the_name_is_used():
    spec = PhraseSpec(name="报备率", value_type=ValueType.RATE, phrase_template="报备率{rate}%")
    assert render_phrase(spec, rate(0, 0)) == "报备率：无此类事项"


def test_a_rise_in_a_rate_is_said_in_percentage_points():
    phrase = render_phrase(RATE, rate(19, 20), rate(17, 20))
    assert phrase == "行政机关负责人出庭应诉率95%（19/20），较上年提高10个百分点"


def test_a_fall_is_not_called_a_rise_even_if_the_template_says_so():
    assert render_phrase(RATE, rate(17, 20), rate(19, 20)).endswith("较上年下降10个百分点")


def test_no_change_is_said_as_level_with_last_year():
    assert render_phrase(RATE, rate(19, 20), rate(38, 40)).endswith("，与上年持平")


def test_a_count_change_uses_increase_words_and_a_relative_percentage():
    phrase = render_phrase(COUNT, IndicatorReading(value=D(120)), IndicatorReading(value=D(100)))
    assert phrase == "全年办理行政复议案件120件，较上年增加20件（增加20%）"


def test_a_relative_change_from_zero_is_left_out_rather_than_infinite():
    assert render_phrase(COUNT, IndicatorReading(value=D(5)), IndicatorReading(value=D(0))) == "全年办理行政复议案件5件"


def test_last_year_without_cases_gives_no_comparison():
    assert render_phrase(RATE, rate(19, 20), rate(0, 0)) == "行政机关负责人出庭应诉率95%（19/20）"


def test_without_a_yoy_template_there_is_no_clause():
    spec = PhraseSpec(name="x", value_type=ValueType.COUNT, phrase_template="共{value}件")
    assert render_phrase(spec, IndicatorReading(value=D(3)), IndicatorReading(value=D(1))) == "共3件"


def test_nothing_reported_gives_no_phrase():
    assert render_phrase(COUNT, None) == ""
    assert render_phrase(COUNT, IndicatorReading()) == ""


def test_dates_and_yes_no_are_written_the_chinese_way():
    spec = PhraseSpec(name="报送", value_type=ValueType.DATE, phrase_template="年度报告于{value}报送")
    assert render_phrase(spec, IndicatorReading(value=datetime.date(2026, 2, 27))) == "年度报告于2026年2月27日报送"
    spec = PhraseSpec(name="清单", value_type=ValueType.BOOLEAN, phrase_template="已制定清单：{value}")
    assert render_phrase(spec, IndicatorReading(value=True)) == "已制定清单：是"


YES_NO = PhraseSpec(name="裁量权基准", value_type=ValueType.BOOLEAN, phrase_template="制定行政裁量权基准并向社会公布")


def test_a_yes_answer_is_said_as_the_affirmative_sentence():
    assert render_phrase(YES_NO, IndicatorReading(value=True)) == "制定行政裁量权基准并向社会公布"


def test_a_no_answer_is_not_reported_as_an_achievement():
    assert render_phrase(YES_NO, IndicatorReading(value=False)) == ""


def test_a_no_answer_is_said_when_the_template_shows_the_answer():
    spec = PhraseSpec(name="清单", value_type=ValueType.BOOLEAN, phrase_template="已制定清单：{value}")
    assert render_phrase(spec, IndicatorReading(value=False)) == "已制定清单：否"


def test_attribute_access_in_a_template_is_not_evaluated():
    spec = PhraseSpec(name="x", value_type=ValueType.COUNT, phrase_template="{value.__class__}{value}")
    assert render_phrase(spec, IndicatorReading(value=D(1))) == "{value.__class__}1"


def test_template_problems_name_unknown_placeholders():
    assert "占位符 {total} 无效" in template_problems("共{total}件", allowed=PHRASE_FIELDS)[0]
    assert template_problems("共{value件", allowed=PHRASE_FIELDS) == ["表述模板中的花括号不成对"]
    assert template_problems("共{value}件", allowed=PHRASE_FIELDS) == []


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6))
def test_a_rate_phrase_never_shows_more_than_two_decimals(numerator, denominator):
    phrase = render_phrase(RATE, rate(numerator, denominator))
    percentage = phrase.removeprefix("行政机关负责人出庭应诉率").split("%")[0]
    assert len(percentage.partition(".")[2]) <= 2

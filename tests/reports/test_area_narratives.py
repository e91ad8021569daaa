from types import SimpleNamespace

import pytest

from indicators.models import Indicator, ValueType
from indicators.readings import IndicatorReading
from reports.area_narratives import split_by_area, text_indicator_paragraphs

AREAS = ("组织领导与法治保障", "依法行政制度体系（规范性文件）", "行政执法", "行政执法监督")


def test_paragraphs_under_an_area_heading_belong_to_that_area():
    text = (
        "本年度我局扎实推进依法行政。\n（一）行政执法\n全面推行三项制度。\n案卷评查合格率提升。\n"
        "（二）组织领导与法治保障\n专题研究4次。"
    )

    narratives = split_by_area(text, AREAS)

    assert narratives.lead == ("本年度我局扎实推进依法行政。",)
    assert narratives.of("行政执法") == ("全面推行三项制度。", "案卷评查合格率提升。")
    assert narratives.of("组织领导与法治保障") == ("专题研究4次。",)


@pytest.mark.parametrize(
    "heading",
    [
        "（三）行政执法",
        "(三)行政执法",
        "三、行政执法",
        "3.行政执法",
        "3、行政执法",
        "行政执法",
        "行政执法方面：",
        "（三）行政执法。",
    ],
)
def test_the_usual_ways_of_writing_a_heading_are_recognised(heading):
    assert split_by_area(f"{heading}\n全面推行三项制度。", AREAS).of("行政执法") == ("全面推行三项制度。",)


def test_text_on_the_heading_line_after_a_colon_is_the_areas_first_paragraph():
    narratives = split_by_area("行政执法方面：全面推行三项制度。\n案卷评查合格率提升。", AREAS)

    assert narratives.of("行政执法") == ("全面推行三项制度。", "案卷评查合格率提升。")


def test_a_sentence_that_merely_starts_with_an_area_name_is_not_a_heading():
    narratives = split_by_area("行政执法，是政府履职的主要方式。", AREAS)

    assert narratives.lead == ("行政执法，是政府履职的主要方式。",)
    assert narratives.by_area == {}


def test_the_longer_of_two_names_that_begin_alike_wins():
    assert split_by_area("（四）行政执法监督\n开展专项检查。", AREAS).of("行政执法监督") == ("开展专项检查。",)


def test_an_area_name_may_be_written_without_its_bracketed_note():
    narratives = split_by_area("（二）依法行政制度体系\n规范性文件全部审核。", AREAS)

    assert narratives.of("依法行政制度体系（规范性文件）") == ("规范性文件全部审核。",)


def test_a_heading_that_names_no_area_stays_part_of_the_text():
    narratives = split_by_area("（一）深入学习贯彻习近平法治思想\n组织专题学习。", AREAS)

    assert narratives.lead == ("（一）深入学习贯彻习近平法治思想", "组织专题学习。")


def test_without_areas_everything_is_lead():
    assert split_by_area("一段。\n二段。", ()).lead == ("一段。", "二段。")


def _text_figure(name, text, *, phrase_template=""):
    indicator = Indicator(name=name, value_type=ValueType.TEXT, phrase_template=phrase_template)
    return SimpleNamespace(indicator=indicator, current=IndicatorReading(value=text) if text is not None else None)


def test_free_text_answers_are_led_by_the_indicators_short_name():
    figures = [
        _text_figure("涉企行政检查规范（检查计划公开、频次控制、无随意检查）", "检查计划已公开。\n全年无随意检查。")
    ]

    assert text_indicator_paragraphs(figures) == ("涉企行政检查规范：检查计划已公开。", "全年无随意检查。")


def test_empty_and_phrased_free_text_answers_are_not_repeated_as_narrative():
    figures = [
        _text_figure("甲", ""),
        _text_figure("乙", None),
        _text_figure("丙", "已落实。", phrase_template="丙：{value}"),
    ]

    assert text_indicator_paragraphs(figures) == ()

import pytest
from django.core.exceptions import ValidationError

from reports.section_text import MAX_LENGTH, Part, SectionText, compose_section_text, parse_section_text


def test_lines_starting_with_a_second_level_number_start_a_part():
    parsed = parse_section_text(
        "对照纲要要求，还存在以下问题。\n（一）法治意识有待强化\n一是重视不够。\n二是落实不力。"
    )

    assert parsed.intro == ("对照纲要要求，还存在以下问题。",)
    assert parsed.parts == (Part("法治意识有待强化", ("一是重视不够。", "二是落实不力。")),)


def test_a_heading_run_into_its_paragraph_ends_at_the_first_full_stop():
    parsed = parse_section_text("（一）法治意识有待进一步强化。一是各部门重视程度不平衡。")

    assert parsed.parts == (Part("法治意识有待进一步强化", ("一是各部门重视程度不平衡。",)),)


def test_half_width_brackets_and_blank_lines_are_accepted():
    parsed = parse_section_text("(二)执法检查有待改进\r\n\r\n  多头检查。  \n")

    assert parsed.parts == (Part("执法检查有待改进", ("多头检查。",)),)


def test_an_empty_text_is_refused_with_the_way_back_to_the_draft():
    with pytest.raises(ValidationError) as error:
        parse_section_text(" \n ")

    assert error.value.message_dict["text"] == ["请填写内容；如需使用系统生成稿，请点击“恢复系统生成稿”。"]


def test_a_heading_without_a_title_is_refused_naming_its_line():
    with pytest.raises(ValidationError) as error:
        parse_section_text("第一段。\n\n（二）\n正文。")

    assert error.value.message_dict["text"] == ["第3行的小标题“（二）”后面没有标题文字。"]


def test_a_text_past_the_limit_is_refused_with_both_lengths():
    with pytest.raises(ValidationError) as error:
        parse_section_text("字" * (MAX_LENGTH + 1))

    assert error.value.message_dict["text"] == [f"内容过长：最多{MAX_LENGTH}字，现有{MAX_LENGTH + 1}字。"]


def test_composing_numbers_the_headings_in_order_and_parses_back_to_the_same_section():
    section = SectionText(("引言。",), (Part("甲", ("一段。",)), Part("乙", ()), Part("丙", ("二段。", "三段。"))))

    text = compose_section_text(section)

    assert text == "引言。\n（一）甲\n一段。\n（二）乙\n（三）丙\n二段。\n三段。"
    assert parse_section_text(text) == section

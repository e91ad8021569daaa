import pytest

from reports import wording
from reports.document import chinese_number, first_level_heading, second_level_heading


@pytest.mark.parametrize(("n", "text"), [(1, "一"), (5, "五"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一")])
def test_chinese_numbers_for_headings(n, text):
    assert chinese_number(n) == text


def test_headings_are_numbered_the_official_way():
    assert first_level_heading(2, "存在的不足和原因") == "二、存在的不足和原因"
    assert second_level_heading(3, "严格执法") == "（三）严格执法"


def test_clauses_are_joined_with_semicolons_and_end_with_a_full_stop():
    assert (
        wording.sentence(["全年办理行政复议案件71件", "", "出庭应诉率99.13%。"])
        == "全年办理行政复议案件71件；出庭应诉率99.13%。"
    )

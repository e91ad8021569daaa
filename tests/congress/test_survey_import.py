import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from congress.models import Answer, Response
from congress.selectors.survey_results import survey_results
from congress.services.imports import responses_import
from congress.statistics import Interval
from congress.survey_import import import_template
from spreadsheets.xlsx_safety import MAX_UPLOAD_BYTES
from spreadsheets.zip_safety import UnsafeFile

from .conftest import HEADER, xlsx_upload

GOOD_ROWS = [
    HEADER,
    ("D001", "人大代表", "是", "好", "多头多重执法、效率不高", "建议减少检查"),
    ("D002", "人大代表", "", "好", "多头多重执法", None),
    ("D003", "人大代表", "是", "较好", None, None),
    ("D004", "人大代表", "是", "差", "执法“一刀切”", None),
    ("D005", "人大代表", "是", "说不清", None, None),
    ("P001", "普通群众", "是", "好", "多头多重执法", None),
    ("P002", "普通群众", "是", "一般", None, '=HYPERLINK("http://x")'),
    ("P003", "普通群众", "是", None, None, None),
    ("P004", "普通群众", "否", "差", None, None),
]


def test_imported_survey_gives_per_group_satisfaction_and_interval_matching_a_hand_calculation(survey, cast):
    result = responses_import(survey=survey, uploaded=xlsx_upload(GOOD_ROWS), user=cast.congress)

    assert result.is_valid
    question = survey_results(survey=survey).satisfaction[0]
    deputies, public = question.by_group
    # 人大代表: 好 2 + 较好 1 = 3 satisfied; valid answers 好, 好, 较好, 差 = 4 (说不清 is not a valid answer).
    # Wilson, n = 4, p = 0.75: 30.06% … 95.44% (worked out in test_statistics).
    assert (deputies.satisfied, deputies.base, deputies.rate) == (3, 4, Decimal("75.00"))
    assert deputies.interval == Interval(Decimal("30.06"), Decimal("95.44"))
    # 普通群众: 好 1 of 好, 一般 = 2 valid answers (P003 left it blank, P004 is an invalid questionnaire).
    # Wilson, n = 2, p = 0.5: centre 0.5, half = 1.96·√(0.125 + 0.2401)/2.9208 = 0.405471 → 9.45% … 90.55%.
    assert (public.satisfied, public.base, public.rate) == (1, 2, Decimal("50.00"))
    assert public.interval == Interval(Decimal("9.45"), Decimal("90.55"))
    # Overall pools counts, never averages rates: 4 / 6 = 66.67%, Wilson 30.00% … 90.32%.
    assert (question.overall.satisfied, question.overall.base, question.overall.rate) == (4, 6, Decimal("66.67"))
    assert question.overall.interval == Interval(Decimal("30.00"), Decimal("90.32"))


def test_imported_rows_become_responses_marked_as_imported_with_their_answers(survey, cast):
    responses_import(survey=survey, uploaded=xlsx_upload(GOOD_ROWS), user=cast.congress)

    assert survey.responses.filter(source=Response.Source.IMPORT).count() == 9
    assert survey.responses.filter(is_valid=False).get().reference == "P004"
    first = survey.responses.get(reference="D001")
    assert sorted(a.option.label for a in first.answers.filter(question__number=2)) == ["多头多重执法", "效率不高"]
    assert first.answers.get(question__number=3).text == "建议减少检查"


def test_a_bad_row_is_reported_in_chinese_with_its_row_number_and_nothing_is_imported(survey, cast):
    rows = [*GOOD_ROWS, ("X001", "政协委员", "是", "很好", "乱收费", None)]

    result = responses_import(survey=survey, uploaded=xlsx_upload(rows), user=cast.congress)

    assert not result.is_valid
    assert result.errors == (
        "第11行：调查对象类别“政协委员”无效，应为：人大代表、普通群众；"
        "第1题的选项“很好”无效，应为：好、较好、一般、差、说不清；"
        "第2题的选项“乱收费”无效，应为：多头多重执法、执法“一刀切”、效率不高。",
    )
    assert not Response.objects.exists()
    assert not Answer.objects.exists()


def test_every_bad_row_is_listed_not_only_the_first(survey, cast):
    rows = [HEADER, ("A1", "人大代表", "也许", "好", None, None), ("A2", "", "是", "好", None, None)]

    result = responses_import(survey=survey, uploaded=xlsx_upload(rows), user=cast.congress)

    assert result.errors == ("第2行：是否有效“也许”无效，应填“是”或“否”。", "第3行：调查对象类别不能为空。")


def test_a_reference_repeated_in_the_file_or_already_stored_is_refused(survey, cast):
    responses_import(survey=survey, uploaded=xlsx_upload(GOOD_ROWS[:2]), user=cast.congress)
    rows = [HEADER, ("D001", "人大代表", "是", "好", None, None), ("N1", "人大代表", "是", "好", None, None)]
    rows.append(("N1", "人大代表", "是", "好", None, None))

    result = responses_import(survey=survey, uploaded=xlsx_upload(rows), user=cast.congress)

    assert result.errors == ("第2行：问卷编号“D001”已存在。", "第4行：问卷编号“N1”与第3行重复。")
    assert Response.objects.count() == 1


def test_unknown_and_missing_columns_are_reported_against_the_header_row(survey, cast):
    rows = [("调查对象类别", "1. 总体评价", "9. 不存在的题"), ("人大代表", "好", "x")]

    result = responses_import(survey=survey, uploaded=xlsx_upload(rows), user=cast.congress)

    assert result.errors == (
        "第1行：表头“9. 不存在的题”无法识别，应为“问卷编号”“调查对象类别”“是否有效”或“题号. 题目”。",
        "第1行：缺少第2题的列。",
        "第1行：缺少第3题的列。",
    )


def test_a_file_with_only_a_header_is_refused(survey, cast):
    result = responses_import(survey=survey, uploaded=xlsx_upload([HEADER]), user=cast.congress)

    assert result.errors == ("文件中没有问卷数据。",)


def test_the_downloaded_template_imports_back_once_filled(survey, cast):
    workbook = load_workbook(io.BytesIO(import_template(survey=survey)))
    sheet = workbook["问卷数据"]
    sheet.append(["T1", "普通群众", "是", "较好", "效率不高", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("filled.xlsx", buffer.getvalue())

    result = responses_import(survey=survey, uploaded=upload, user=cast.congress)

    assert result.is_valid
    assert survey.responses.get().reference == "T1"


@pytest.mark.parametrize("role", ["staff_a", "reviewer"])
def test_only_congress_staff_may_import(survey, cast, role):
    with pytest.raises(PermissionDenied):
        responses_import(survey=survey, uploaded=xlsx_upload(GOOD_ROWS), user=getattr(cast, role))
    assert not Response.objects.exists()


# --- hostile uploads: refused before openpyxl parses anything


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(survey, cast):
    upload = SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"0" * MAX_UPLOAD_BYTES)

    with pytest.raises(UnsafeFile, match="文件过大"):
        responses_import(survey=survey, uploaded=upload, user=cast.congress)


def test_a_file_that_is_not_a_zip_package_is_refused(survey, cast):
    upload = SimpleUploadedFile("fake.xlsx", "问卷编号,调查对象类别\n".encode())

    with pytest.raises(UnsafeFile, match="不是 Excel"):
        responses_import(survey=survey, uploaded=upload, user=cast.congress)


def _zip(members: dict[str, bytes]) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return SimpleUploadedFile("bomb.xlsx", buffer.getvalue())


def test_a_zip_bomb_is_refused_by_its_compression_ratio(survey, cast):
    upload = _zip({"xl/worksheets/sheet1.xml": b"\0" * (20 * 1024 * 1024)})

    with pytest.raises(UnsafeFile, match="压缩"):
        responses_import(survey=survey, uploaded=upload, user=cast.congress)


def test_a_package_with_too_many_members_is_refused(survey, cast):
    upload = _zip({f"x/{i}.xml": b"<a/>" for i in range(600)})

    with pytest.raises(UnsafeFile, match="内部结构异常"):
        responses_import(survey=survey, uploaded=upload, user=cast.congress)


def test_a_zip_that_is_not_a_workbook_is_refused_with_a_message(survey, cast):
    upload = _zip({"hello.txt": b"hello"})

    with pytest.raises(UnsafeFile, match="不是 Excel 工作簿"):
        responses_import(survey=survey, uploaded=upload, user=cast.congress)


# --- multiple-choice cells: whole options first (issue 18 §4) -------------------------------------


def _shipped_option_labels() -> list[str]:
    from congress.demo import PROBLEMS
    from congress.scales import SCALE_PRESETS

    labels = list(PROBLEMS)
    for _, options in SCALE_PRESETS.values():
        labels += [option.label for option in options]
    return list(dict.fromkeys(labels))


SHIPPED_LABELS = _shipped_option_labels()


@pytest.mark.parametrize("label", SHIPPED_LABELS)
def test_every_shipped_option_text_is_read_back_whole(label):
    from congress.survey_import import split_choices

    assert split_choices(label, SHIPPED_LABELS) == [label]


def test_options_containing_the_separator_are_read_back_when_several_are_chosen():
    from congress.demo import PROBLEMS
    from congress.survey_import import split_choices

    assert split_choices("、".join(PROBLEMS), PROBLEMS) == list(PROBLEMS)
    assert split_choices(f"{PROBLEMS[1]}；{PROBLEMS[0]}\n", PROBLEMS) == [PROBLEMS[1], PROBLEMS[0]]


def test_an_unknown_part_is_cut_at_the_next_separator_and_named():
    from congress.demo import PROBLEMS
    from congress.survey_import import split_choices

    assert split_choices(f"{PROBLEMS[0]}、乱收费、{PROBLEMS[2]}", PROBLEMS) == [PROBLEMS[0], "乱收费", PROBLEMS[2]]


def test_the_default_problem_options_import_through_the_page(survey, cast):
    from congress.demo import PROBLEMS
    from congress.models import Answer
    from tests.congress.factories import problem_question

    question = problem_question(survey, number=4, labels=PROBLEMS)
    header = (*HEADER, "4. 突出问题")
    rows = [header, ("Q001", "人大代表", "是", "好", None, None, "、".join(PROBLEMS[:2]))]

    result = responses_import(survey=survey, uploaded=xlsx_upload(rows), user=cast.congress)

    assert result.is_valid, result.errors
    chosen = Answer.objects.filter(question=question).values_list("option__label", flat=True)
    assert sorted(chosen) == sorted(PROBLEMS[:2])

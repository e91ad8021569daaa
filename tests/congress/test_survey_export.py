import io

from openpyxl import load_workbook

from congress.models import Option
from congress.selectors.survey_results import survey_results
from congress.survey_export import results_workbook
from spreadsheets.xlsx_safety import escape_formula

from .factories import respond


def _workbook(survey):
    return load_workbook(io.BytesIO(results_workbook(survey_results(survey=survey))))


def test_export_has_a_sheet_for_samples_satisfaction_problems_open_answers_and_method(survey):
    assert _workbook(survey).sheetnames == ["样本情况", "满意率", "问题占比", "开放回答", "口径说明"]


def test_export_lists_satisfaction_per_group_with_its_interval(survey):
    deputies, _ = survey.groups.all()
    good = Option.objects.get(question__survey=survey, label="好")
    bad = Option.objects.get(question__survey=survey, label="差")
    for option in (good, good, good, bad):
        respond(deputies, option)

    rows = list(_workbook(survey)["满意率"].iter_rows(min_row=2, values_only=True))

    assert rows[0][3:] == ("人大代表", 3, 4, 75.0, 30.06, 95.44)
    assert rows[-1][3] == "全部"


def test_open_answers_that_look_like_formulas_are_exported_as_text(survey):
    deputies, _ = survey.groups.all()
    open_question = survey.questions.get(number=3)
    respond(deputies, text_answers={open_question: '=HYPERLINK("http://evil.example","点击")'})
    respond(deputies, text_answers={open_question: "@SUM(1+1)"})

    sheet = _workbook(survey)["开放回答"]

    cells = [sheet.cell(row=row, column=5) for row in (2, 3)]
    assert [c.value for c in cells] == ['\'=HYPERLINK("http://evil.example","点击")', "'@SUM(1+1)"]
    assert all(c.data_type == "s" for c in cells)


def test_escape_formula_prefixes_every_dangerous_leading_character():
    for dangerous in ("=1", "+1", "-1", "@x", "\tx", "\rx"):
        assert escape_formula(dangerous) == "'" + dangerous
    assert escape_formula("好") == "好"
    assert escape_formula(-1) == -1

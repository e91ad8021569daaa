"""The survey results as an .xlsx workbook: samples, satisfaction, problem shares, open answers.

Built with openpyxl from `SurveyResults` (no queries here). Every text cell passes through
escape_formula, because open answers and labels are typed by people outside the office.
"""

import io

from openpyxl.styles import Font

from spreadsheets.xlsx_safety import escape_formula, new_workbook

from .selectors.survey_results import SurveyResults


def _append(sheet, values) -> None:
    sheet.append([escape_formula(value) for value in values])


def _bold_header(sheet) -> None:
    for cell in sheet[1]:
        cell.font = Font(bold=True)


def _number(value):
    """Percentages stay exact Decimals as printed (2 decimals); Excel receives them as numbers."""
    return None if value is None else float(value)


def results_workbook(results: SurveyResults) -> bytes:
    workbook, samples = new_workbook("样本情况")
    _append(samples, ["调查对象类别", "回收问卷", "有效问卷", "有效率(%)"])
    for sample in (*results.samples, results.total):
        _append(samples, [sample.group_name, sample.returned, sample.valid, _number(sample.valid_rate)])
    _bold_header(samples)

    satisfaction = workbook.create_sheet("满意率")
    _append(
        satisfaction,
        [
            "题号",
            "题目",
            "计算口径",
            "调查对象类别",
            "满意人数",
            "有效回答",
            "满意率(%)",
            "95%置信区间下限(%)",
            "95%置信区间上限(%)",
        ],
    )
    for question in results.satisfaction:
        for satisfied in (*question.by_group, question.overall):
            interval = satisfied.interval
            _append(
                satisfaction,
                [
                    question.number,
                    question.text,
                    question.rule,
                    satisfied.group_name,
                    satisfied.satisfied,
                    satisfied.base,
                    _number(satisfied.rate),
                    _number(interval.low) if interval else None,
                    _number(interval.high) if interval else None,
                ],
            )
    _bold_header(satisfaction)

    problems = workbook.create_sheet("问题占比")
    group_names = [sample.group_name for sample in results.samples]
    _append(
        problems,
        ["题号", "题目", "排序", "问题", "选择人数", "有效样本", "占比(%)", *(f"{n}占比(%)" for n in group_names)],
    )
    for ranking in results.problems:
        for ranked in ranking.problems:
            by_group = [_number(share.share) for share in ranked.by_group]
            _append(
                problems,
                [
                    ranking.number,
                    ranking.text,
                    ranked.rank,
                    ranked.label,
                    ranked.count,
                    ranked.base,
                    _number(ranked.share),
                    *by_group,
                ],
            )
    _bold_header(problems)

    answers = workbook.create_sheet("开放回答")
    _append(answers, ["题号", "题目", "调查对象类别", "问卷编号", "回答"])
    for open_question in results.open_questions:
        for answer in open_question.answers:
            _append(
                answers, [open_question.number, open_question.text, answer.group_name, answer.reference, answer.text]
            )
    _bold_header(answers)

    notes = workbook.create_sheet("口径说明")
    _append(notes, ["置信区间", results.interval_method])
    _append(
        notes,
        ["满意率", "计入满意的回答数 ÷ 有效回答数（空白和不计入有效回答的选项不在分母内），保留两位小数，四舍五入。"],
    )
    _append(notes, ["问题占比", "选择该项的有效问卷数 ÷ 有效问卷总数；多选题各项占比之和可超过100%。"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()

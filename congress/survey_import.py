"""Survey responses from a spreadsheet: one row per respondent, checked row by row.

Columns: 问卷编号 (optional), 调查对象类别, 是否有效 (optional, 是/否, blank = 是), then one column
per question headed "<题号>. <题目>". Single choice: the option as written; multiple choice: the
options separated by 、 , ; or line breaks (whole options matched first, so an option may itself
contain 、); open questions: any text. Every problem is reported
as "第N行：…" and nothing is stored unless the whole file is clean.

django-import-export maps one row to one model instance; a respondent is one Response plus many
Answers with cross-column rules, so this module reads the cells with openpyxl directly.
"""

import io
import re
from dataclasses import dataclass

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from spreadsheets.xlsx_safety import SheetLimits, escape_formula, new_workbook

from .models import Question, Survey
from .services.surveys import ResponseInput

MAX_ROWS = 10_000
MAX_COLUMNS = 200
MAX_ERRORS_LISTED = 200
MAX_TEXT_LENGTH = 2000
# Every row read counts, blank or not (issue 18 §1): the header and MAX_ROWS responses, no more; the
# reader refuses the first row past that. Cells: 10,000 respondents × (3 fixed columns + 37 questions).
SHEET_LIMITS = SheetLimits(max_rows=MAX_ROWS + 1, max_columns=MAX_COLUMNS, max_cells=400_000)

REFERENCE, GROUP, VALID = "问卷编号", "调查对象类别", "是否有效"
QUESTION_HEADER = re.compile(r"^\s*第?(\d+)题?\s*[\.．、:：\s]")
MULTI_SEPARATORS = re.compile(r"[、,，;；\n/]+")
YES, NO = {"是", "有效", "1", ""}, {"否", "无效", "0"}


@dataclass(frozen=True)
class ImportResult:
    inputs: tuple[ResponseInput, ...]
    errors: tuple[str, ...]
    error_count: int

    @property
    def is_valid(self) -> bool:
        return not self.error_count


def question_header(question: Question) -> str:
    return f"{question.number}. {question.text}"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def split_choices(value: str, options) -> list[str]:
    """The options named in a multiple-choice cell, in order. Whole options are matched first,
    longest first, so an option that itself contains a separator (“多头多重执法、监管检查过于频繁”)
    is read as one; what matches no option is cut at the next separator and reported as unknown."""
    by_length = sorted(options, key=len, reverse=True)
    labels, rest = [], value
    while rest := rest.lstrip("、,，;；\n/ \t"):
        label = next(
            (
                option
                for option in by_length
                if rest.startswith(option) and (len(rest) == len(option) or MULTI_SEPARATORS.match(rest, len(option)))
            ),
            None,
        )
        if label is None:
            label = MULTI_SEPARATORS.split(rest, maxsplit=1)[0]
        labels.append(label)
        rest = rest[len(label) :]
    return labels


class _Parser:
    def __init__(self, survey: Survey):
        self.groups = {g.name: g for g in survey.groups.all()}
        self.questions = {q.number: q for q in survey.questions.prefetch_related("options")}
        self.options = {q.pk: {o.label: o for o in q.options.all()} for q in self.questions.values()}
        self.existing_references = set(survey.responses.exclude(reference="").values_list("reference", flat=True))
        self.seen_references: dict[str, int] = {}

    def columns(self, header: list[str]) -> tuple[dict[str, int], dict[int, int], list[str]]:
        fixed, by_question, errors = {}, {}, []
        for index, title in enumerate(header):
            if not title:
                continue
            if title in (REFERENCE, GROUP, VALID):
                fixed[title] = index
                continue
            match = QUESTION_HEADER.match(title + " ")
            number = int(match.group(1)) if match else None
            if number not in self.questions:
                errors.append(f"第1行：表头“{title}”无法识别，应为“{REFERENCE}”“{GROUP}”“{VALID}”或“题号. 题目”。")
            elif number in by_question:
                errors.append(f"第1行：第{number}题的列重复。")
            else:
                by_question[number] = index
        if GROUP not in fixed:
            errors.append(f"第1行：缺少“{GROUP}”列。")
        errors.extend(f"第1行：缺少第{n}题的列。" for n in sorted(set(self.questions) - set(by_question)))
        return fixed, by_question, errors

    def row(self, line: int, cells: list[str], fixed: dict[str, int], by_question: dict[int, int]):
        errors: list[str] = []

        def cell(index: int | None) -> str:
            return cells[index] if index is not None and index < len(cells) else ""

        reference = cell(fixed.get(REFERENCE))
        if len(reference) > 50:
            errors.append("问卷编号不能超过50个字符")
        elif reference in self.existing_references:
            errors.append(f"问卷编号“{reference}”已存在")
        elif reference in self.seen_references:
            errors.append(f"问卷编号“{reference}”与第{self.seen_references[reference]}行重复")
        elif reference:
            self.seen_references[reference] = line
        group_name = cell(fixed.get(GROUP))
        group = self.groups.get(group_name)
        if group is None:
            allowed = "、".join(self.groups)
            errors.append(f"调查对象类别“{group_name}”无效，应为：{allowed}" if group_name else "调查对象类别不能为空")
        valid_text = cell(fixed.get(VALID))
        if valid_text not in YES | NO:
            errors.append(f"是否有效“{valid_text}”无效，应填“是”或“否”")
        choices, texts = {}, {}
        for number, index in by_question.items():
            question, value = self.questions[number], cell(index)
            if not value:
                continue
            if question.kind == Question.Kind.OPEN:
                if len(value) > MAX_TEXT_LENGTH:
                    errors.append(f"第{number}题回答超过{MAX_TEXT_LENGTH}字")
                texts[question.pk] = value
                continue
            options = self.options[question.pk]
            labels = [value] if question.kind == Question.Kind.SINGLE else split_choices(value, options)
            labels = list(dict.fromkeys(label.strip() for label in labels if label.strip()))
            unknown = [label for label in labels if label not in options]
            if unknown:
                errors.append(f"第{number}题的选项“{'、'.join(unknown)}”无效，应为：{'、'.join(options)}")
            else:
                choices[question.pk] = tuple(options[label] for label in labels)
        if errors or group is None:
            return None, [f"第{line}行：{'；'.join(errors)}。"]
        return ResponseInput(group, reference, valid_text not in NO, choices, texts), []


def parse_responses(*, survey: Survey, rows) -> ImportResult:
    """Reads the rows of the first sheet (xlsx_safety.iter_sheet_rows) into response inputs, or
    row-by-row errors. The reader raises UnsafeFile at its caps, before a row past them is read."""
    parser = _Parser(survey)
    rows = iter(rows)
    header = [_text(value) for value in next(rows, ())]
    fixed, by_question, errors = parser.columns(header)
    if errors:
        return ImportResult((), tuple(errors), len(errors))
    inputs: list[ResponseInput] = []
    for line, values in enumerate(rows, start=2):
        cells = [_text(value) for value in values]
        if not any(cells):
            continue
        data, row_errors = parser.row(line, cells, fixed, by_question)
        errors.extend(row_errors)
        if data is not None:
            inputs.append(data)
    if not inputs and not errors:
        errors.append("文件中没有问卷数据。")
    return ImportResult(tuple(inputs), tuple(errors[:MAX_ERRORS_LISTED]), len(errors))


def import_template(*, survey: Survey) -> bytes:
    """An empty sheet with the headers, and drop-down lists for single-choice questions."""
    workbook, sheet = new_workbook("问卷数据")
    questions = list(survey.questions.prefetch_related("options"))
    sheet.append([REFERENCE, GROUP, VALID, *(escape_formula(question_header(q)) for q in questions)])
    group_list = ",".join(g.name for g in survey.groups.all())
    if group_list and len(group_list) < 250:
        validation = DataValidation(type="list", formula1=f'"{group_list}"', allow_blank=False)
        sheet.add_data_validation(validation)
        validation.add(f"B2:B{MAX_ROWS + 1}")
    for column, question in enumerate(questions, start=4):
        option_list = ",".join(o.label for o in question.options.all())
        if question.kind == Question.Kind.SINGLE and 0 < len(option_list) < 250 and '"' not in option_list:
            validation = DataValidation(type="list", formula1=f'"{option_list}"', allow_blank=True)
            sheet.add_data_validation(validation)
            letter = get_column_letter(column)
            validation.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
    notes = workbook.create_sheet("填写说明")
    notes.append(["题号", "题目", "题型", "可填选项"])
    for question in questions:
        options = "、".join(o.label for o in question.options.all())
        notes.append(
            [question.number, escape_formula(question.text), question.get_kind_display(), escape_formula(options)]
        )
    notes.append([])
    notes.append(
        ["说明", "每行一份问卷；多选题的多个选项用顿号“、”分隔；是否有效留空视为“是”；问卷编号可留空，填写时不能重复。"]
    )
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()

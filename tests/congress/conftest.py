import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from congress.models import RespondentGroup

from .factories import SurveyFactory, open_question, problem_question, rating_question


@pytest.fixture
def survey(db):
    """A survey with two respondent groups and a rating, a problem-list and an open question."""
    survey = SurveyFactory()
    RespondentGroup.objects.create(survey=survey, name="人大代表", sort_order=1)
    RespondentGroup.objects.create(survey=survey, name="普通群众", sort_order=2)
    rating_question(survey, number=1)
    problem_question(survey, number=2)
    open_question(survey, number=3)
    return survey


def xlsx_upload(rows, name="responses.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


HEADER = ("问卷编号", "调查对象类别", "是否有效", "1. 总体评价", "2. 突出问题（可多选）", "3. 意见和建议")

"""Survey responses imported from an uploaded spreadsheet, all or nothing."""

from accounts.models import User
from spreadsheets.xlsx_safety import iter_sheet_rows, read_upload

from ..models import Response, Survey
from ..survey_import import SHEET_LIMITS, ImportResult, parse_responses
from .common import require_manager
from .surveys import responses_create


def responses_import(*, survey: Survey, uploaded, user: User) -> ImportResult:
    """Stores every row of the file, or none when any row is wrong (the errors say which and why).

    Raises UnsafeFile for files we refuse to open.
    """
    require_manager(user)
    rows = iter_sheet_rows(read_upload(uploaded), limits=SHEET_LIMITS)
    result = parse_responses(survey=survey, rows=rows)
    if result.is_valid:
        responses_create(survey=survey, inputs=result.inputs, source=Response.Source.IMPORT, user=user)
    return result

"""How dates read on every page, message, export and report: 2025年4月10日 (14:30 for a moment).

One place, through Django's localisation (the zh-hans DATE_FORMAT and DATETIME_FORMAT, see
lawgov/formats/zh_Hans/formats.py), so no caller types a date format by hand. Templates use the
same formats through `|date` and `|date:"DATETIME_FORMAT"`.
"""

import datetime

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.formats import get_format


def _format(value, format_type: str) -> str:
    # The project's language, not the active one: messages are also written by Celery tasks and
    # management commands, where no request activated a language.
    return dateformat.format(value, get_format(format_type, lang=settings.LANGUAGE_CODE))


def date_text(value: datetime.date | datetime.datetime | None) -> str:
    """2025年4月10日; a datetime is read in local time; None is the empty string."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    return _format(value, "DATE_FORMAT")


def datetime_text(value: datetime.datetime | None) -> str:
    """2025年4月10日 14:30 in local time; None is the empty string."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return _format(value, "DATETIME_FORMAT")

"""Simplified Chinese formats: Django's own (dates written 2025年4月10日), with ISO first among the
input formats. A date widget renders its value in the first input format, and a browser's
<input type="date"> shows nothing unless that value is ISO (2026-12-13, not 2026/12/13)."""

from django.conf.locale.zh_Hans.formats import *  # noqa: F403
from django.conf.locale.zh_Hans.formats import DATE_INPUT_FORMATS as _DJANGO_DATE_INPUT_FORMATS
from django.conf.locale.zh_Hans.formats import DATETIME_INPUT_FORMATS as _DJANGO_DATETIME_INPUT_FORMATS

MONTH_DAY_FORMAT = "n月j日"  # 4月10日, like the year-month-day form (Django's own pads the month)

DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in _DJANGO_DATE_INPUT_FORMATS if f != "%Y-%m-%d")]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%dT%H:%M",  # <input type="datetime-local">
    "%Y-%m-%d %H:%M",
    *(f for f in _DJANGO_DATETIME_INPUT_FORMATS if f != "%Y-%m-%d %H:%M"),
]

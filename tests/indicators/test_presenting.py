"""Dates are written one way everywhere (2025年4月10日), through Django's localisation."""

import datetime
import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

from indicators.presenting import date_text, datetime_text

BASE_DIR = Path(settings.BASE_DIR)
APPS = ("accounts", "audit", "indicators", "assessments", "reviews", "congress", "reports", "spreadsheets", "lawgov")


def test_a_date_reads_year_month_day_without_leading_zeros():
    assert date_text(datetime.date(2025, 4, 10)) == "2025年4月10日"


def test_a_date_reads_the_same_where_no_language_is_active():
    """Celery tasks and management commands write messages too, with no request to pick a language."""
    with translation.override(None):
        assert date_text(datetime.date(2026, 12, 27)) == "2026年12月27日"


def test_an_aware_datetime_is_read_in_local_time():
    late_evening_utc = datetime.datetime(2025, 4, 9, 17, 30, tzinfo=datetime.UTC)  # 01:30 on the 10th in Beijing
    assert date_text(late_evening_utc) == "2025年4月10日"
    assert datetime_text(late_evening_utc) == "2025年4月10日 01:30"


def test_nothing_reads_as_the_empty_string():
    assert date_text(None) == "" and datetime_text(None) == ""


def test_templates_use_the_localised_formats_not_hand_typed_ones():
    """`|date` (DATE_FORMAT), `|date:"DATETIME_FORMAT"`, …: a literal like "Y-m-d" or "Y年n月j日"
    is how three spellings of a date crept in."""
    literal = re.compile(r"""\|date:["'](?![A-Z_]+["'])(?!H:i["'])[^"']*["']""")
    offenders = [
        f"{path.relative_to(BASE_DIR)}: {match.group(0)}"
        for path in (BASE_DIR / "templates").rglob("*.html")
        for match in literal.finditer(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_python_code_does_not_spell_dates_by_hand():
    hand_typed = re.compile(r"%Y年|%Y-%m-%d\}|\.month\}月|年\{[a-z_.]*month\}|\"Y年n月j日")
    offenders = [
        f"{path.relative_to(BASE_DIR)}:{number}"
        for app in APPS
        for path in (BASE_DIR / app).rglob("*.py")
        if "migrations" not in path.parts and path.name != "formats.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if hand_typed.search(line)
    ]
    assert offenders == []

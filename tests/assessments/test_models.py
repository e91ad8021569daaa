import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from assessments.models import AnnualReturn, Evidence, IndicatorValue, NarrativeSection, ValueChange, default_deadline

from .factories import FrameworkFactory, value_row


def violates(action) -> bool:
    try:
        with transaction.atomic():
            action()
    except IntegrityError:
        return True
    return False


def test_the_default_deadline_is_1_march_of_the_following_year():
    assert default_deadline(2025) == datetime.date(2026, 3, 1)


def test_a_department_has_one_return_per_year_even_across_framework_versions(cast, return_a):
    other_version = FrameworkFactory(year=2025, status="draft")
    assert violates(
        lambda: AnnualReturn.objects.create(
            department=cast.dept_a, framework=other_version, year=2025, deadline=return_a.deadline
        )
    )


def test_the_database_refuses_a_numerator_above_the_denominator(return_a):
    row = value_row(return_a, "K2")
    assert violates(lambda: IndicatorValue.objects.filter(pk=row.pk).update(numerator=5, denominator=4))


@pytest.mark.parametrize("column", ["value_integer", "value_decimal", "numerator", "denominator"])
def test_the_database_refuses_negative_figures(return_a, column):
    row = value_row(return_a, "K1")
    assert violates(lambda: IndicatorValue.objects.filter(pk=row.pk).update(**{column: Decimal("-1")}))


def test_the_database_refuses_an_overlong_narrative(return_a):
    assert violates(lambda: NarrativeSection.objects.filter(annual_return=return_a).update(text="字" * 20001))


def test_an_extension_needs_a_reason_and_a_later_date(return_a):
    queryset = AnnualReturn.objects.filter(pk=return_a.pk)
    assert violates(lambda: queryset.update(extended_until=datetime.date(2026, 3, 10), extension_reason=""))
    assert violates(lambda: queryset.update(extended_until=datetime.date(2026, 2, 1), extension_reason="x"))


def test_a_submitted_return_must_have_a_submission_time(return_a):
    assert violates(lambda: AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted"))


def test_an_audit_row_names_exactly_one_subject(cast, return_a):
    k1 = value_row(return_a, "K1")
    assert violates(
        lambda: ValueChange.objects.create(
            annual_return=return_a, indicator=k1.indicator, narrative_kind="measures", field="value"
        )
    )


def test_evidence_must_have_a_hex_sha256_and_content(cast, return_a):
    fields = {
        "annual_return": return_a,
        "file": "evidence/x.pdf",
        "original_name": "报告.pdf",
        "content_type": "application/pdf",
        "uploaded_by": cast.staff_a,
    }
    assert violates(lambda: Evidence.objects.create(size=10, sha256="z" * 64, **fields))
    assert violates(lambda: Evidence.objects.create(size=0, sha256="0" * 64, **fields))

"""A dispute's file is read by the parties to the dispute, not by congress staff, who read the
evidence of submitted returns otherwise."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from assessments.models import AnnualReturn, ProvidedValue
from assessments.services.provided import ProvidedInput, provided_value_dispute_raise, provided_values_save

from . import hostile_files as hostile
from .factories import value_row


@pytest.fixture
def dispute_file(cast, court, court_user, provided_return_a):
    """dept_a disputes the court's K1 with a file; the return is then submitted (congress reads it)."""
    item = ProvidedInput(provided_return_a.pk, value_row(provided_return_a, "K1").indicator_id, "value", "12", 0)
    provided_values_save(provider=court, inputs=[item], user=court_user)
    value = ProvidedValue.objects.get(annual_return=provided_return_a)
    upload = SimpleUploadedFile("判决书清单.pdf", hostile.PDF_BYTES, content_type="application/pdf")
    dispute = provided_value_dispute_raise(value=value, reason="实际 10 件", user=cast.staff_a, uploaded_file=upload)
    AnnualReturn.objects.filter(pk=provided_return_a.pk).update(
        status=AnnualReturn.Status.SUBMITTED, first_submitted_at=timezone.now()
    )
    return dispute.evidence


@pytest.mark.parametrize("role", ["staff_a", "reviewer", "admin"])
def test_the_parties_and_administrators_see_a_disputes_file(client, cast, dispute_file, role):
    client.force_login(getattr(cast, role))
    page = client.get(reverse("assessments:evidence_list", args=[dispute_file.annual_return_id]))
    assert "判决书清单.pdf" in page.content.decode()
    assert client.get(reverse("assessments:evidence_download", args=[dispute_file.pk])).status_code == 200


def test_congress_staff_do_not_see_a_disputes_file_in_the_evidence_list(client, cast, dispute_file):
    client.force_login(cast.congress)
    page = client.get(reverse("assessments:evidence_list", args=[dispute_file.annual_return_id]))
    assert page.status_code == 200 and "判决书清单.pdf" not in page.content.decode()


def test_congress_staff_cannot_download_a_disputes_file(client, cast, dispute_file):
    client.force_login(cast.congress)
    assert client.get(reverse("assessments:evidence_download", args=[dispute_file.pk])).status_code == 404

"""Nothing unpublished is reachable anonymously (issue 21 §2): markers planted in a report under
review, in a withdrawn one, in the words a review redacted away, in the internal (final) edition's
file and in the units' returns never show on any public URL — pages, searches for them, PDFs."""

from django.core.files.base import ContentFile
from django.urls import reverse

from publication.documents import document_to_json
from publication.models import PublicationRedaction, ReportPublication
from tests.security.leaks import leaked_markers, plant_markers, response_text

from .factories import document, publication

Status = ReportPublication.Status
MARKERS = {
    "in_review": "ZQXINREVIEW8801",
    "withdrawn": "ZQXWITHDRAWN8802",
    "redacted": "ZQXREDACTED8803",
    "internal_file": "ZQXINTERNAL8804",
}


def _plant(cast):
    publication(
        cast.dept_a,
        user=cast.admin,
        status=Status.REVIEWING,
        source_document=document_to_json(document(cast.dept_a, words=MARKERS["in_review"])),
        title=f"甲局 {MARKERS['in_review']}",
    )
    withdrawn = publication(cast.dept_b, user=cast.admin, status=Status.WITHDRAWN, text=MARKERS["withdrawn"])
    withdrawn.html = f"<p>{MARKERS['withdrawn']}</p>"
    withdrawn.pdf_file.save("withdrawn.pdf", ContentFile(f"%PDF-1.7 {MARKERS['withdrawn']}".encode()), save=False)
    withdrawn.save()
    published = publication(
        cast.county,
        user=cast.admin,
        source_document=document_to_json(document(cast.county, words=MARKERS["redacted"])),
    )
    PublicationRedaction.objects.create(
        publication=published, key="主要举措和成效", text="已删改。", updated_by=cast.admin
    )
    published.run.file.save("internal.pdf", ContentFile(f"%PDF-1.7 {MARKERS['internal_file']}".encode()), save=True)
    plant_markers(cast.dept_a, cast.staff_a)
    return [item.pk for item in ReportPublication.objects.all()]


def _public_urls(pks):
    yield reverse("public:index"), {}
    yield reverse("public:compliance"), {"year": 2025}
    for marker in MARKERS.values():  # a marker's stem: the page echoes the words searched for
        yield reverse("public:index"), {"q": marker[:-4]}
    yield reverse("public:index"), {"q": "ZQX"}
    for pk in pks:
        yield reverse("public:report", args=[pk]), {}
        yield reverse("public:report_pdf", args=[pk]), {}


def _leaks(text: str) -> set[str]:
    return {m for m in MARKERS.values() if m in text} | leaked_markers(text)


def test_no_public_url_shows_anything_unpublished(cast, client):
    pks = _plant(cast)
    for url, params in _public_urls(pks):
        response = client.get(url, params)
        assert response.status_code in (200, 404), url
        assert not _leaks(response_text(response)), (url, params)


def test_the_markers_are_really_there_for_the_signed_in_publisher(cast, client):
    """The guard of the test above: the review page shows the text under review to its unit."""
    _plant(cast)
    client.force_login(cast.staff_a)
    item = ReportPublication.objects.get(department=cast.dept_a)
    assert MARKERS["in_review"] in client.get(reverse("publication:review", args=[item.pk])).content.decode()

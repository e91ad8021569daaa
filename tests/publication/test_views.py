"""The signed-in pages: the list of final reports to publish and the 保密审查 page; refused input is
explained on the page with what was typed kept."""

from django.urls import reverse
from django.utils import timezone

from publication.models import ReportPublication
from reports.models import ReportKind
from tests.reports.builders import done_run

from .factories import publication

Status = ReportPublication.Status


def _final(department, user, kind=ReportKind.DEPARTMENT_ANNUAL):
    return done_run(department, user=user, kind=kind, is_final=True, finalized_at=timezone.now())


def test_the_list_offers_each_final_report_the_user_may_publish(cast, client):
    _final(cast.dept_a, cast.admin)
    _final(cast.dept_b, cast.admin)
    client.force_login(cast.staff_a)
    page = client.get(reverse("publication:manage"), {"year": 2025}).content.decode()
    assert cast.dept_a.name in page and cast.dept_b.name not in page and "开始保密审查" in page


def test_a_units_staff_is_not_offered_its_governments_report(cast, client):
    _final(cast.county, cast.admin, kind=ReportKind.GOVERNMENT_ANNUAL)
    client.force_login(cast.reviewer_scoped)
    assert cast.county.name in client.get(reverse("publication:manage"), {"year": 2025}).content.decode()
    staff = cast.staff_b
    staff.department = cast.county
    staff.save(update_fields=["department"])
    client.force_login(staff)
    assert "开始保密审查" not in client.get(reverse("publication:manage"), {"year": 2025}).content.decode()


def test_the_list_reads_in_a_fixed_number_of_queries(cast, client, django_assert_max_num_queries):
    for department in (cast.dept_a, cast.dept_b, cast.county):
        _final(department, cast.admin)
    publication(cast.city, user=cast.admin)
    client.force_login(cast.reviewer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("publication:manage"), {"year": 2025}).status_code == 200


def test_a_sub_heading_without_title_is_refused_on_the_page_with_the_text_kept(cast, client):
    item = publication(cast.dept_a, user=cast.admin, status=Status.REVIEWING)
    client.force_login(cast.staff_a)
    typed = "第一段保留。\n（一）"
    response = client.post(reverse("publication:redact", args=[item.pk, 2]), {"version": item.version, "text": typed})
    page = response.content.decode()
    assert response.status_code == 422
    assert "第2行的小标题" in page and "第一段保留。\n（一）</textarea>" in page


def test_confirming_without_the_box_ticked_is_refused_on_the_page(cast, client):
    item = publication(cast.dept_a, user=cast.admin, status=Status.REVIEWING)
    client.force_login(cast.staff_a)
    response = client.post(reverse("publication:confirm", args=[item.pk]), {"version": item.version})
    assert response.status_code == 422 and "请勾选确认后再提交保密审查结论。" in response.content.decode()
    item.refresh_from_db()
    assert not item.is_review_confirmed


def test_withdrawing_without_a_reason_is_refused_on_the_page(cast, client):
    item = publication(cast.dept_a, user=cast.admin)
    client.force_login(cast.staff_a)
    response = client.post(reverse("publication:withdraw", args=[item.pk]), {"reason": "错"})
    assert response.status_code == 422 and "请说明撤回理由（至少4个字）。" in response.content.decode()
    item.refresh_from_db()
    assert item.is_published

"""The public site answers without a login, from published editions only, with caching headers."""

import datetime

from django.urls import reverse
from django.utils import timezone

from publication.models import ReportPublication

from .factories import publication

Status = ReportPublication.Status


def test_the_index_lists_published_reports_with_their_date_without_login(cast, client):
    item = publication(
        cast.dept_a, user=cast.admin, published_at=timezone.make_aware(datetime.datetime(2026, 3, 20, 9, 0))
    )
    page = client.get(reverse("public:index")).content.decode()
    assert item.title in page and "2026年3月20日" in page


def test_search_by_words_finds_the_text_of_a_report(cast, client):
    publication(cast.dept_a, user=cast.admin, text="全面推行行政执法三项制度")
    publication(cast.dept_b, user=cast.admin, text="乡镇综合执法改革")
    page = client.get(reverse("public:index"), {"q": "三项制度"}).content.decode()
    assert f"{cast.dept_a.name}关于" in page and f"{cast.dept_b.name}关于" not in page  # titles (the units are options)


def test_search_by_year_and_unit(cast, client):
    publication(cast.dept_a, user=cast.admin, year=2024)
    publication(cast.dept_b, user=cast.admin, year=2025)
    by_year = client.get(reverse("public:index"), {"year": 2024}).content.decode()
    assert "测试市甲局关于2024" in by_year and "乙镇人民政府关于2025" not in by_year
    by_unit = client.get(reverse("public:index"), {"unit": cast.dept_b.pk}).content.decode()
    assert "乙镇人民政府关于2025" in by_unit and "测试市甲局关于2024" not in by_unit


def test_a_bad_search_value_is_explained_on_the_page_and_the_words_kept(cast, client):
    publication(cast.dept_a, user=cast.admin)
    page = client.get(reverse("public:index"), {"year": "二〇二五", "q": "复议"}).content.decode()
    assert "查询条件有误" in page and 'value="复议"' in page


def test_public_pages_may_be_cached_for_five_minutes_and_answer_304_when_unchanged(cast, client):
    item = publication(cast.dept_a, user=cast.admin)
    for url in (reverse("public:index"), reverse("public:report", args=[item.pk]), reverse("public:compliance")):
        response = client.get(url)
        assert response["Cache-Control"] == "public, max-age=300", url
        assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304, url


def test_the_public_pdf_is_the_public_edition_shown_inline_and_cacheable(cast, client):
    item = publication(cast.dept_a, user=cast.admin)
    response = client.get(reverse("public:report_pdf", args=[item.pk]))
    assert b"".join(response.streaming_content) == b"%PDF-1.7 public"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"] == f'"{item.pdf_sha256}"'


def test_a_signed_in_visitor_gets_the_same_cacheable_page(cast, client):
    publication(cast.dept_a, user=cast.admin)
    client.force_login(cast.staff_b)
    response = client.get(reverse("public:index"))
    assert response["Cache-Control"] == "public, max-age=300"
    assert "staff_b" not in response.content.decode()


def test_a_withdrawn_report_is_gone_and_its_404_is_not_cached(cast, client):
    item = publication(cast.dept_a, user=cast.admin, status=Status.WITHDRAWN)
    for name in ("public:report", "public:report_pdf"):
        response = client.get(reverse(name, args=[item.pk]))
        assert response.status_code == 404 and response["Cache-Control"] == "no-cache"
    assert item.title not in client.get(reverse("public:index")).content.decode()


def test_the_compliance_table_is_public_and_refuses_a_bad_year_on_the_page(cast, client):
    page = client.get(reverse("public:compliance"), {"year": "abc"}).content.decode()
    assert "年度应为2000至2100之间的整数" in page and cast.dept_a.name in page

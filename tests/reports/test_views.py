from urllib.parse import quote

import pytest
from django.urls import reverse

from reports.models import ReportKind, ReportRun

from .builders import HOSTILE, done_run, two_years_for

pytestmark = pytest.mark.django_db


def test_requesting_a_report_generates_it_in_process_and_shows_the_run(
    cast, client, django_capture_on_commit_callbacks
):
    two_years_for(cast.dept_a)
    client.force_login(cast.staff_a)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reports:request_run"), {"kind": "department_annual", "year": 2025, "department": cast.dept_a.pk}
        )

    run = ReportRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:run_detail", args=[run.pk]) + "?download=1"
    assert run.status == ReportRun.Status.DONE


def test_requesting_another_departments_report_is_404(cast, client):
    client.force_login(cast.staff_a)

    response = client.post(
        reverse("reports:request_run"), {"kind": "department_annual", "year": 2025, "department": cast.dept_b.pk}
    )

    assert response.status_code == 404
    assert not ReportRun.objects.exists()


def test_the_status_endpoint_reports_progress_as_json(cast, client):
    run = done_run(cast.dept_a, user=cast.staff_a)
    client.force_login(cast.staff_a)

    data = client.get(reverse("reports:run_status", args=[run.pk])).json()

    assert data["status"] == "done"
    assert data["progress"] == 100
    assert data["is_finished"] is True
    assert data["download_url"] == reverse("reports:run_download", args=[run.pk])


def test_the_run_page_polls_with_a_static_script_not_inline_javascript(cast, client):
    run = ReportRun.objects.create(
        kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, requested_by=cast.staff_a
    )
    client.force_login(cast.staff_a)

    html = client.get(reverse("reports:run_detail", args=[run.pk])).content.decode()

    assert 'src="/static/js/reports-progress.js"' in html
    assert f'data-progress-url="{reverse("reports:run_status", args=[run.pk])}"' in html
    assert "<script>" not in html


def test_the_status_payload_carries_what_the_page_updates_when_the_run_finishes(cast, client):
    run = done_run(cast.dept_a, user=cast.staff_a, edition=3)
    client.force_login(cast.staff_a)

    data = client.get(reverse("reports:run_status", args=[run.pk])).json()

    assert data["edition_label"] == "· 第3版"
    assert data["edition_number"] == "第3版"
    assert data["summary"].startswith("共 1 页")
    assert data["docx_url"] == reverse("reports:run_download_docx", args=[run.pk])


def test_a_pending_run_page_has_the_places_polling_fills_in(cast, client):
    run = ReportRun.objects.create(
        kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, requested_by=cast.staff_a
    )
    client.force_login(cast.staff_a)

    html = client.get(reverse("reports:run_detail", args=[run.pk])).content.decode()

    for field in ("edition_label", "edition_number", "status_label", "finished_at", "summary"):
        assert f'data-field="{field}"' in html
    assert reverse("reports:run_download_docx", args=[run.pk]) in html  # hidden until done


def test_older_editions_offer_word_as_well_as_pdf(cast, client):
    first = done_run(cast.dept_a, user=cast.staff_a, edition=1)
    second = done_run(cast.dept_a, user=cast.staff_a, edition=2)
    client.force_login(cast.staff_a)

    html = client.get(reverse("reports:run_detail", args=[second.pk])).content.decode()

    assert reverse("reports:run_download", args=[first.pk]) in html
    assert reverse("reports:run_download_docx", args=[first.pk]) in html


def test_an_edition_stored_without_a_word_file_offers_only_pdf(cast, client):
    """Government reports and notices generated before they had a Word version."""
    first = done_run(cast.city, user=cast.admin, kind=ReportKind.GOVERNMENT_ANNUAL, edition=1)
    ReportRun.objects.filter(pk=first.pk).update(docx_file="")
    second = done_run(cast.city, user=cast.admin, kind=ReportKind.GOVERNMENT_ANNUAL, edition=2)
    client.force_login(cast.admin)

    html = client.get(reverse("reports:run_detail", args=[second.pk])).content.decode()

    assert reverse("reports:run_download", args=[first.pk]) in html
    assert reverse("reports:run_download_docx", args=[first.pk]) not in html
    assert reverse("reports:run_download_docx", args=[second.pk]) in html


def test_download_is_an_attachment_with_the_chinese_file_name(cast, client):
    run = done_run(cast.dept_a, user=cast.staff_a, edition=2)
    client.force_login(cast.staff_a)

    response = client.get(reverse("reports:run_download", args=[run.pk]))

    name = "测试市甲局关于2025年度法治政府建设情况的报告（第2版）.pdf"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(name)}"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"


def test_a_final_report_downloads_as_the_final_edition(cast, client):
    run = done_run(None, user=cast.congress, kind=ReportKind.CONGRESS_SURVEY, is_final=True)
    client.force_login(cast.congress)

    response = client.get(reverse("reports:run_download", args=[run.pk]))

    assert quote("关于2025年度法治政府建设情况的调研报告（定稿）.pdf", safe="") in response["Content-Disposition"]


def test_an_unfinished_run_has_nothing_to_download(cast, client):
    run = ReportRun.objects.create(
        kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_a, requested_by=cast.staff_a
    )
    client.force_login(cast.staff_a)

    assert client.get(reverse("reports:run_download", args=[run.pk])).status_code == 404


def test_preview_shows_the_report_html_with_user_text_escaped(cast, client):
    from assessments.models import NarrativeSection

    two_years_for(cast.dept_a, narratives={NarrativeSection.Kind.MEASURES: HOSTILE})
    client.force_login(cast.staff_a)

    response = client.get(
        reverse("reports:preview"), {"kind": "department_annual", "year": 2025, "department": cast.dept_a.pk}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "测试市甲局关于2025年度法治政府建设情况的报告" in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html


def test_preview_of_another_departments_report_is_404(cast, client):
    client.force_login(cast.staff_b)

    response = client.get(
        reverse("reports:preview"), {"kind": "department_annual", "year": 2025, "department": cast.dept_a.pk}
    )

    assert response.status_code == 404


def test_the_runs_list_shows_only_visible_runs_in_a_bounded_number_of_queries(
    cast, client, django_assert_max_num_queries
):
    for edition in range(1, 6):
        done_run(cast.dept_a, user=cast.staff_a, edition=edition)
        done_run(cast.dept_b, user=cast.staff_b, edition=edition)
    client.force_login(cast.staff_a)

    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:index"))

    assert len(response.context["runs"]) == 5
    assert "测试县乙镇人民政府" not in response.content.decode().split("<tbody>")[-1]


def test_the_batch_zip_holds_each_finished_report_under_its_chinese_name(cast, client):
    import io
    import zipfile

    from reports.models import ReportBatch

    batch = ReportBatch.objects.create(kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, requested_by=cast.reviewer)
    done_run(cast.dept_a, user=cast.reviewer, batch=batch)
    done_run(cast.dept_b, user=cast.reviewer, batch=batch)
    client.force_login(cast.reviewer)

    response = client.get(reverse("reports:batch_download", args=[batch.pk]))

    names = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    assert sorted(names) == sorted(
        [
            "测试市甲局关于2025年度法治政府建设情况的报告（第1版）.pdf",
            "测试县乙镇人民政府关于2025年度法治政府建设情况的报告（第1版）.pdf",
        ]
    )


def test_the_reports_menu_entry_is_shown_to_every_role(cast, client):
    client.force_login(cast.staff_a)

    assert 'href="/reports/"' in client.get(reverse("accounts:home")).content.decode()


def test_department_staff_are_offered_only_the_report_of_their_own_kind_of_unit(cast, client):
    client.force_login(cast.staff_a)

    kinds = [value for value, _ in client.get(reverse("reports:index")).context["kinds"]]

    assert kinds == ["department_annual"]


def test_congress_staff_are_offered_every_kind(cast, client):
    client.force_login(cast.congress)

    kinds = [value for value, _ in client.get(reverse("reports:index")).context["kinds"]]

    assert kinds == ["department_annual", "government_annual", "congress_survey", "results_notice"]


def test_the_runs_list_filters_by_scope(cast, client):
    done_run(cast.dept_a, user=cast.reviewer)
    done_run(cast.dept_b, user=cast.reviewer)
    client.force_login(cast.reviewer)

    runs = client.get(reverse("reports:index"), {"department": cast.dept_b.pk}).context["runs"]

    assert [run.department for run in runs] == [cast.dept_b]


def test_batch_progress_counts_finished_runs(cast, client):
    from reports.models import ReportBatch

    batch = ReportBatch.objects.create(kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, requested_by=cast.reviewer)
    done_run(cast.dept_a, user=cast.reviewer, batch=batch)
    ReportRun.objects.create(
        kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_b, requested_by=cast.reviewer, batch=batch
    )
    client.force_login(cast.reviewer)

    data = client.get(reverse("reports:batch_status", args=[batch.pk])).json()

    assert (data["total"], data["done"], data["failed"], data["progress"], data["is_finished"]) == (2, 1, 0, 50, False)


def test_batch_status_carries_each_units_row_as_it_is_now(cast, client):
    """The rows stayed 排队中 while the counter said 已完成 2/17: the page updates them from this."""
    from reports.models import ReportBatch

    batch = ReportBatch.objects.create(kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, requested_by=cast.reviewer)
    done = done_run(cast.dept_a, user=cast.reviewer, batch=batch)
    waiting = ReportRun.objects.create(
        kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_b, requested_by=cast.reviewer, batch=batch,
        stage="排队等待生成",
    )  # fmt: skip
    client.force_login(cast.reviewer)

    rows = {row["id"]: row for row in client.get(reverse("reports:batch_status", args=[batch.pk])).json()["runs"]}

    assert rows[done.pk]["status_label"] == "已完成"
    assert rows[done.pk]["download_url"] == reverse("reports:run_download", args=[done.pk])
    assert rows[waiting.pk]["status_label"] == "排队中" and rows[waiting.pk]["stage"] == "排队等待生成"
    assert rows[waiting.pk]["download_url"] == ""


def test_the_batch_page_marks_each_row_for_live_updates(cast, client):
    from reports.models import ReportBatch

    batch = ReportBatch.objects.create(kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, requested_by=cast.reviewer)
    run = ReportRun.objects.create(
        kind=ReportKind.DEPARTMENT_ANNUAL, year=2025, department=cast.dept_b, requested_by=cast.reviewer, batch=batch
    )
    client.force_login(cast.reviewer)

    html = client.get(reverse("reports:batch_detail", args=[batch.pk])).content.decode()

    assert f'data-run-id="{run.pk}"' in html
    assert html.index("data-progress-url") < html.index(f'data-run-id="{run.pk}"')


def test_the_files_hash_is_not_body_text_but_shown_on_demand(cast, client):
    run = done_run(cast.dept_a, user=cast.staff_a)
    ReportRun.objects.filter(pk=run.pk).update(sha256="21e4" + "0" * 60)
    client.force_login(cast.staff_a)

    html = client.get(reverse("reports:run_detail", args=[run.pk])).content.decode()
    data = client.get(reverse("reports:run_status", args=[run.pk])).json()

    assert "SHA-256 21e4" not in html and "SHA-256" not in data["summary"]
    details = html[html.index("<details>") : html.index("</details>")]
    assert "文件校验值" in details and "21e4" + "0" * 60 in details

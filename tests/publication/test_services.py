import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments.models import IndicatorValue
from audit.models import AuditEvent
from publication import services
from publication.documents import OPENING, document_from_json, parts_of
from publication.models import ReportPublication
from reports.models import ReportKind
from tests.reports.builders import done_run

from .builders import final_report
from .factories import publication

Status = ReportPublication.Status
NARRATIVES = {
    "measures": "本年度我局扎实推进依法行政。\n办案民警张某某（身份证号110101199001011234）获评先进。",
    "shortcomings": "执法人员法治培训仍需加强。",
    "leadership": "主要负责人带头学法，专题研究法治建设4次。",
    "next_year": "持续深化行政执法规范化建设。",
}


def _events(item):
    return list(
        AuditEvent.objects.filter(object_type="publication.ReportPublication", object_id=str(item.pk)).order_by("id")
    )


def _measures_part(item):
    return next(p for p in parts_of(document_from_json(item.source_document), {}) if "举措" in p.key)


@pytest.fixture
def final_run(cast):
    return final_report(cast.dept_a, cast.staff_a, narratives=NARRATIVES)


def test_a_final_report_starts_its_review_with_the_final_editions_text(cast, final_run):
    item = services.publication_start(run=final_run, user=cast.staff_a)
    assert item.is_reviewing and item.department == cast.dept_a and item.year == 2025
    assert "张某某" in _measures_part(item).original
    assert item.figures == final_run.figure_snapshot


def test_a_report_not_yet_final_cannot_be_reviewed(cast):
    run = done_run(cast.dept_a, user=cast.staff_a)
    with pytest.raises(ValidationError, match="定稿后"):
        services.publication_start(run=run, user=cast.staff_a)


def test_a_congress_report_is_not_published_here(cast):
    run = done_run(None, user=cast.congress, kind=ReportKind.CONGRESS_SURVEY, is_final=True)
    with pytest.raises(PermissionDenied):
        services.publication_start(run=run, user=cast.admin)


def test_another_units_staff_and_congress_staff_may_not_start(cast, final_run):
    for user in (cast.staff_b, cast.reviewer_scoped, cast.congress):
        with pytest.raises(PermissionDenied):
            services.publication_start(run=final_run, user=user)


def test_the_bureau_may_start_a_units_review(cast, final_run):
    assert services.publication_start(run=final_run, user=cast.reviewer).started_by == cast.reviewer


def test_a_report_under_review_cannot_be_started_twice(cast, final_run):
    services.publication_start(run=final_run, user=cast.staff_a)
    with pytest.raises(ValidationError, match="已在保密审查中或已发布"):
        services.publication_start(run=final_run, user=cast.reviewer)


def test_figures_changed_after_final_refuse_the_review(cast, final_run):
    IndicatorValue.objects.filter(
        annual_return__department=cast.dept_a, annual_return__framework__year=2025, indicator__code="G2.2"
    ).update(numerator=100)
    with pytest.raises(ValidationError, match="定稿后报告数据有变化"):
        services.publication_start(run=final_run, user=cast.staff_a)


def test_redacting_changes_the_public_edition_and_not_the_final_one(cast, final_run):
    item = services.publication_start(run=final_run, user=cast.staff_a)
    part = _measures_part(item)
    internal_sha = hashlib.sha256(final_run.file.open("rb").read()).hexdigest()
    text = part.original.replace("办案民警张某某（身份证号110101199001011234）获评先进。", "办案民警获评先进。")
    item = services.publication_redact(
        publication=item, number=part.number, text=text, version=item.version, user=cast.staff_a
    )
    public = next(
        p
        for p in parts_of(document_from_json(item.source_document), dict(item.redactions.values_list("key", "text")))
        if p.number == part.number
    )
    assert public.is_redacted and "张某某" not in public.public
    final_run.refresh_from_db()
    assert hashlib.sha256(final_run.file.open("rb").read()).hexdigest() == internal_sha == final_run.sha256


def test_a_redaction_from_a_stale_page_is_refused(cast, final_run):
    item = services.publication_start(run=final_run, user=cast.staff_a)
    services.publication_redact(publication=item, number=1, text="开头改写。", version=item.version, user=cast.staff_a)
    with pytest.raises(services.StalePublicationError):
        services.publication_redact(publication=item, number=1, text="另一种改写。", version=0, user=cast.reviewer)


def test_an_untitled_sub_heading_in_a_redaction_is_refused_naming_the_line(cast, final_run):
    item = services.publication_start(run=final_run, user=cast.staff_a)
    part = _measures_part(item)
    with pytest.raises(ValidationError, match="第2行"):
        services.publication_redact(
            publication=item, number=part.number, text="第一段。\n（一）", version=item.version, user=cast.staff_a
        )


def test_an_empty_redaction_restores_the_final_wording(cast, final_run):
    item = services.publication_start(run=final_run, user=cast.staff_a)
    item = services.publication_redact(
        publication=item, number=1, text="开头改写。", version=item.version, user=cast.staff_a
    )
    item = services.publication_redact(publication=item, number=1, text="", version=item.version, user=cast.staff_a)
    opening = parts_of(document_from_json(item.source_document), dict(item.redactions.values_list("key", "text")))[0]
    assert opening.key == OPENING and not opening.is_redacted


def test_publishing_needs_the_review_confirmed(cast, final_run):
    item = services.publication_start(run=final_run, user=cast.staff_a)
    with pytest.raises(ValidationError, match="保密审查确认"):
        services.publication_publish(publication=item, user=cast.staff_a)


def test_a_redaction_after_the_confirmation_voids_it(cast, final_run):
    item = services.publication_start(run=final_run, user=cast.staff_a)
    item = services.publication_confirm_review(publication=item, version=item.version, user=cast.staff_a)
    assert item.is_review_confirmed
    item = services.publication_redact(
        publication=item, number=1, text="开头改写。", version=item.version, user=cast.staff_a
    )
    assert not item.is_review_confirmed
    with pytest.raises(ValidationError, match="重新确认"):
        services.publication_publish(publication=item, user=cast.staff_a)


def test_publishing_freezes_the_redacted_public_edition_in_files_of_its_own(cast, final_run):
    item = services.publication_start(run=final_run, user=cast.staff_a)
    part = _measures_part(item)
    text = part.original.replace("办案民警张某某（身份证号110101199001011234）获评先进。", "办案民警获评先进。")
    item = services.publication_redact(
        publication=item, number=part.number, text=text, version=item.version, user=cast.staff_a
    )
    item = services.publication_confirm_review(publication=item, version=item.version, user=cast.staff_a)
    item = services.publication_publish(publication=item, user=cast.staff_a)
    assert item.is_published and item.published_at and item.published_by == cast.staff_a
    pdf = item.pdf_file.open("rb").read()
    assert hashlib.sha256(pdf).hexdigest() == item.pdf_sha256 != final_run.sha256
    assert item.pdf_file.name != final_run.file.name
    for frozen in (item.html, item.text, pdf.decode("latin-1")):
        assert "110101199001011234" not in frozen
    assert "办案民警获评先进" in item.html and "办案民警获评先进" in item.text
    assert [e.after.get("status") or e.after.get("保密审查") or e.after.get("部分") for e in _events(item)] == [
        "开始",
        part.heading,
        "确认公开版不含涉密和个人信息",
        "published",
    ]


def test_withdrawing_needs_a_reason(cast):
    item = publication(cast.dept_a, user=cast.admin)
    with pytest.raises(ValidationError, match="撤回理由"):
        services.publication_withdraw(publication=item, reason=" 有误 ", user=cast.staff_a)
    item.refresh_from_db()
    assert item.is_published


def test_withdrawing_takes_the_report_off_and_is_audited_with_its_reason(cast):
    item = publication(cast.dept_a, user=cast.admin)
    item = services.publication_withdraw(publication=item, reason="数据口径有误，修改后重新发布", user=cast.staff_a)
    assert item.is_withdrawn and item.withdrawal_reason == "数据口径有误，修改后重新发布"
    assert _events(item)[-1].after == {"status": "withdrawn", "撤回理由": "数据口径有误，修改后重新发布"}


def test_a_withdrawn_report_may_be_reviewed_again(cast, final_run):
    item = services.publication_start(run=final_run, user=cast.staff_a)
    services.publication_withdraw(publication=item, reason="公开版需重新审查", user=cast.staff_a)
    again = services.publication_start(run=final_run, user=cast.staff_a)
    assert again.pk != item.pk and again.is_reviewing


def test_another_units_staff_may_not_withdraw(cast):
    item = publication(cast.dept_a, user=cast.admin)
    with pytest.raises(PermissionDenied):
        services.publication_withdraw(publication=item, reason="数据口径有误", user=cast.staff_b)

"""佐证材料 services: what is accepted (by content), how it is stored, who may change it, and
the required-evidence check that blocks submission."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.models import AnnualReturn, Evidence
from assessments.services import evidence as evidence_service
from assessments.services.errors import ReturnNotEditable, SubmissionBlocked
from assessments.services.evidence import (
    EvidenceRefused,
    clean_original_name,
    evidence_delete,
    evidence_upload,
    missing_required_evidence,
)
from assessments.services.submission import annual_return_submit
from assessments.services.workflow import annual_return_send_back
from indicators.models import Indicator

from .conftest import COMPLETE, fill_narratives
from .factories import value_row
from .hostile_files import (
    EXE_BYTES,
    HTML_BYTES,
    JPEG_BYTES,
    PDF_BYTES,
    PNG_BYTES,
    SVG_BYTES,
    docx_bytes,
    encrypted,
    ofd_bytes,
    rezip,
    xlsx_bytes,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(annual_return, user, name, content, *, indicator=None, description=""):
    return evidence_upload(
        annual_return=annual_return,
        uploaded_file=SimpleUploadedFile(name, content),
        user=user,
        indicator=indicator,
        description=description,
    )


def k1(framework) -> Indicator:
    return framework.indicators.get(code="K1")


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("决定书.pdf", PDF_BYTES, "application/pdf"),
        ("现场照片.png", PNG_BYTES, "image/png"),
        ("现场照片.JPG", JPEG_BYTES, "image/jpeg"),
        ("会议纪要.docx", docx_bytes(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("台账.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("公文.ofd", ofd_bytes(), "application/ofd"),
    ],
)
def test_each_allowed_kind_is_accepted_with_the_type_found_in_its_content(
    cast, return_a, framework, name, content, content_type
):
    evidence = upload(return_a, cast.staff_a, name, content, indicator=k1(framework))
    assert evidence.content_type == content_type
    assert evidence.original_name == name


def test_the_file_is_stored_under_a_generated_name_never_the_users(cast, return_a, media):
    evidence = upload(return_a, cast.staff_a, "../../etc/passwd 行政复议决定书.pdf", PDF_BYTES)
    assert re.fullmatch(r"evidence/2025/[0-9a-f]{32}\.pdf", evidence.file.name)
    assert (media / evidence.file.name).read_bytes() == PDF_BYTES
    assert evidence.original_name == "passwd 行政复议决定书.pdf"


def test_size_and_checksum_are_recorded(cast, return_a):
    evidence = upload(return_a, cast.staff_a, "a.pdf", PDF_BYTES)
    assert evidence.size == len(PDF_BYTES)
    assert len(evidence.sha256) == 64


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("决定书.pdf", HTML_BYTES, "网页"),
        ("照片.png", EXE_BYTES, "可执行程序"),
        ("图.svg", SVG_BYTES, "SVG"),
        ("照片.pdf", PNG_BYTES, "PNG 图片，与扩展名"),
        ("脚本.exe", EXE_BYTES, "不支持"),
        ("无扩展名", PDF_BYTES, "无扩展名"),
        ("空文件.pdf", b"", "0 字节"),
        ("加密.docx", encrypted(docx_bytes()), "密码"),
        ("宏.docx", rezip(docx_bytes(), add={"word/vbaProject.bin": b"x"}), "宏"),
        ("压缩包.docx", rezip(ofd_bytes(), add={"readme.txt": b"x"}).replace(b"OFD.xml", b"ABC.xml"), "不符"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",  # encrypted bytes differ per collection
)
def test_hostile_or_mislabelled_files_are_refused_with_a_specific_message_and_nothing_stored(
    cast, return_a, media, name, content, message
):
    with pytest.raises(EvidenceRefused, match=message):
        upload(return_a, cast.staff_a, name, content)
    assert not Evidence.objects.exists()
    assert not list(media.rglob("*.*"))


def test_an_xml_entity_inside_a_docx_is_refused(cast, return_a):
    bomb = rezip(
        docx_bytes(),
        replace={"word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>'},
    )
    with pytest.raises(EvidenceRefused, match="实体"):
        upload(return_a, cast.staff_a, "bomb.docx", bomb)


def test_a_file_over_the_size_limit_is_refused(cast, return_a, monkeypatch):
    monkeypatch.setattr(evidence_service, "MAX_FILE_BYTES", len(PDF_BYTES) - 1)
    with pytest.raises(EvidenceRefused, match="过大"):
        upload(return_a, cast.staff_a, "大文件.pdf", PDF_BYTES)


def test_a_file_at_the_size_limit_is_accepted(cast, return_a, monkeypatch):
    monkeypatch.setattr(evidence_service, "MAX_FILE_BYTES", len(PDF_BYTES))
    assert upload(return_a, cast.staff_a, "刚好.pdf", PDF_BYTES).pk


def test_the_same_file_twice_on_one_indicator_is_refused(cast, return_a, framework):
    upload(return_a, cast.staff_a, "a.pdf", PDF_BYTES, indicator=k1(framework))
    with pytest.raises(EvidenceRefused, match="重复"):
        upload(return_a, cast.staff_a, "b.pdf", PDF_BYTES, indicator=k1(framework))


def test_the_return_quota_is_enforced(cast, return_a, monkeypatch):
    monkeypatch.setattr(evidence_service, "MAX_BYTES_PER_RETURN", len(PDF_BYTES) + 10)
    upload(return_a, cast.staff_a, "a.pdf", PDF_BYTES)
    with pytest.raises(EvidenceRefused, match="总大小"):
        upload(return_a, cast.staff_a, "b.png", PNG_BYTES)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("C:\\Users\\张三\\决定书.pdf", "决定书.pdf"),
        ("a\r\nX-Injected: 1.pdf", "aX-Injected: 1.pdf"),
        ("报告\u202egpj.pdf", "报告gpj.pdf"),
        ("x" * 300 + ".pdf", "x" * 251 + ".pdf"),
        ("", "佐证材料"),
    ],
)
def test_original_names_lose_paths_control_characters_and_excess_length(given, kept):
    assert clean_original_name(given) == kept


def test_uploading_starts_a_return_not_yet_started(cast, return_a):
    upload(return_a, cast.staff_a, "a.pdf", PDF_BYTES)
    return_a.refresh_from_db()
    assert return_a.status == AnnualReturn.Status.IN_PROGRESS


def test_staff_of_another_department_cannot_upload(cast, return_a):
    with pytest.raises(ReturnNotEditable):
        upload(return_a, cast.staff_b, "a.pdf", PDF_BYTES)


def test_a_reviewer_cannot_upload(cast, return_a):
    with pytest.raises(ReturnNotEditable):
        upload(return_a, cast.reviewer, "a.pdf", PDF_BYTES)


def test_a_submitted_return_takes_no_new_files(cast, return_a):
    AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted", first_submitted_at="2026-01-01T00:00Z")
    with pytest.raises(ReturnNotEditable, match="已提交"):
        upload(return_a, cast.staff_a, "a.pdf", PDF_BYTES)


def test_an_indicator_outside_the_return_is_refused(cast, return_a, framework):
    from tests.indicators.factories import IndicatorFactory

    stranger = IndicatorFactory(code="Z9")
    with pytest.raises(ReturnNotEditable, match="不在"):
        upload(return_a, cast.staff_a, "a.pdf", PDF_BYTES, indicator=stranger)


def test_after_a_targeted_return_only_reopened_indicators_take_files(cast, return_a, framework):
    AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted", first_submitted_at="2026-01-01T00:00Z")
    k2 = framework.indicators.get(code="K2")
    annual_return_send_back(
        annual_return=return_a, user=cast.reviewer, comment="请补充", indicator_comments={k2.pk: "补充佐证"}
    )
    assert upload(return_a, cast.staff_a, "a.pdf", PDF_BYTES, indicator=k2).pk
    with pytest.raises(ReturnNotEditable, match="部分指标"):
        upload(return_a, cast.staff_a, "b.pdf", PNG_BYTES[:0] + PDF_BYTES + b"1", indicator=k1(framework))


def test_deleting_is_soft_and_recorded(cast, return_a, media):
    evidence = upload(return_a, cast.staff_a, "a.pdf", PDF_BYTES)
    evidence_delete(evidence=evidence, user=cast.staff_a)
    evidence.refresh_from_db()
    assert evidence.deleted_at is not None and evidence.deleted_by == cast.staff_a
    assert (media / evidence.file.name).exists()


def test_deleting_twice_is_refused(cast, return_a):
    evidence = upload(return_a, cast.staff_a, "a.pdf", PDF_BYTES)
    evidence_delete(evidence=evidence, user=cast.staff_a)
    with pytest.raises(EvidenceRefused, match="已被删除"):
        evidence_delete(evidence=evidence, user=cast.staff_a)


def test_a_deleted_file_can_be_uploaded_again(cast, return_a):
    evidence = upload(return_a, cast.staff_a, "a.pdf", PDF_BYTES)
    evidence_delete(evidence=evidence, user=cast.staff_a)
    assert upload(return_a, cast.staff_a, "a.pdf", PDF_BYTES).pk != evidence.pk


def test_deleting_after_submission_is_refused(cast, return_a):
    evidence = upload(return_a, cast.staff_a, "a.pdf", PDF_BYTES)
    AnnualReturn.objects.filter(pk=return_a.pk).update(status="submitted", first_submitted_at="2026-01-01T00:00Z")
    with pytest.raises(ReturnNotEditable):
        evidence_delete(evidence=evidence, user=cast.staff_a)


@pytest.mark.parametrize("evidence_codes", [("K1", "K2")], ids=["K1+K2"])
def test_missing_required_evidence_lists_required_indicators_without_files(cast, return_a, framework):
    assert [indicator.code for indicator in missing_required_evidence(return_a)] == ["K1", "K2"]
    upload(return_a, cast.staff_a, "a.pdf", PDF_BYTES, indicator=k1(framework))
    assert [indicator.code for indicator in missing_required_evidence(return_a)] == ["K2"]


@pytest.mark.parametrize("evidence_codes", [("K1",)], ids=["K1"])
def test_a_deleted_file_does_not_count_as_evidence(cast, return_a, framework):
    evidence = upload(return_a, cast.staff_a, "a.pdf", PDF_BYTES, indicator=k1(framework))
    evidence_delete(evidence=evidence, user=cast.staff_a)
    assert [indicator.code for indicator in missing_required_evidence(return_a)] == ["K1"]


@pytest.mark.parametrize("evidence_codes", [("K1",)], ids=["K1"])
def test_return_level_files_do_not_satisfy_an_indicator(cast, return_a):
    upload(return_a, cast.staff_a, "a.pdf", PDF_BYTES)
    assert [indicator.code for indicator in missing_required_evidence(return_a)] == ["K1"]


def test_missing_required_evidence_takes_one_query(cast, return_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        missing_required_evidence(return_a)


def _fill(annual_return, user):
    from assessments.services.entry import ValueInput, indicator_values_save

    inputs = [
        ValueInput(indicator_id=value_row(annual_return, code).indicator_id, raw=raw, expected_version=1)
        for code, raw in COMPLETE.items()
    ]
    indicator_values_save(annual_return=annual_return, inputs=inputs, user=user)
    fill_narratives(annual_return)


@pytest.mark.parametrize("evidence_codes", [("K1",)], ids=["K1"])
def test_submission_is_blocked_without_required_evidence_and_passes_with_it(cast, return_a, framework):
    _fill(return_a, cast.staff_a)
    with pytest.raises(SubmissionBlocked):
        annual_return_submit(annual_return=return_a, user=cast.staff_a, now=_before_deadline())
    upload(return_a, cast.staff_a, "a.pdf", PDF_BYTES, indicator=k1(framework))
    submitted = annual_return_submit(annual_return=return_a, user=cast.staff_a, now=_before_deadline())
    assert submitted.status == AnnualReturn.Status.SUBMITTED


def _before_deadline():
    import datetime

    return datetime.datetime(2026, 1, 15, 10, tzinfo=datetime.UTC)

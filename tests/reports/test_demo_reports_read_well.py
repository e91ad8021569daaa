"""The demo city's four reports, as the signing office reads them (pdftotext of the real PDFs),
carry none of the faults quoted in issue 17 (../shared/REPORT-STYLE.md)."""

import re

import pytest
from django.core.management import call_command

from reports import editorial
from reports.models import ReportKind, ReportRun

from .pdf_text import pdf_to_text

pytestmark = pytest.mark.django_db

QUOTED = (
    re.compile(r"全年无[^，。；]{1,20}?人(?=[，。；]|$)"),  # "全年无应述法领导干部人"
    re.compile(r"（共1个）"),
    re.compile(r"合计\d+(?:\.\d+)?分"),  # a mean score called a total
    re.compile(r"达到目标的单位\d+个（共\d+个）"),
    re.compile(r"为0件"),  # "政府机关被列为失信被执行人为0件" as an achievement
)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def body_and_achievements(text: str) -> tuple[str, str]:
    """The prose before the 附件 (appendix tables), and its section 一 (成效)."""
    # The appendices follow the body: the last "附件1" (or "附件") is the first appendix's label;
    # earlier ones are the body's references to it.
    body = text.rsplit("附件1", 1)[0] if "附件1" in text else text.rsplit("附件", 1)[0]
    first = body.find("一、")
    second = body.find("二、", first + 1)
    return body, body[first:second] if first >= 0 and second > first else ""


@pytest.fixture
def demo_pdfs(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    texts = {}
    for run in ReportRun.objects.filter(status=ReportRun.Status.DONE):
        with run.file.open("rb") as stored:
            texts[run.kind] = squeeze(pdf_to_text(stored.read()))
    assert set(texts) == set(ReportKind.values)
    return texts


def test_the_demo_citys_four_reports_carry_none_of_the_quoted_faults(demo_pdfs):
    found = {}
    for kind, text in demo_pdfs.items():
        body, achievements = body_and_achievements(text)
        assert len(body) > 500 and "二、" in body, kind  # the prose itself, not an empty cut
        faults = [f"{f.kind}: {f.excerpt}" for f in editorial.text_faults(body, achievements=achievements)]
        faults += [m.group(0) for pattern in QUOTED for m in pattern.finditer(body)]
        if faults:
            found[kind] = faults
    assert found == {}

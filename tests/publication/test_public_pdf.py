"""The published PDF is archival and accessible (issue 21 §3): WeasyPrint's PDF/A-2a, which is tagged.
No PDF/A validator can be installed from the registries this project uses (veraPDF is not on PyPI,
npm or Debian), so these are the structural checks pikepdf and poppler can make: the PDF/A
identification and output intent, the structure tree with headings, paragraphs and table cells, the
document language and title, every font embedded with a Unicode map, no encryption and no script."""

import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import pikepdf
import pytest

from accounts.models import Department
from reports.kinds import spec_for
from reports.models import ReportKind
from reports.pdf import render_pdf_document

from .factories import document


@pytest.fixture(scope="module")
def public_pdf() -> bytes:
    unit = Department(name="测试市甲局", code="T1", kind=Department.Kind.WORKING_DEPARTMENT)
    template = spec_for(ReportKind.DEPARTMENT_ANNUAL).template_name
    return render_pdf_document(template, {"document": document(unit)}, archival=True).content


def _structure_types(node, found: set[str]) -> set[str]:
    if isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            found.add(str(node.S))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            _structure_types(kid, found)
    return found


def test_the_public_pdf_declares_pdf_a_2a_with_an_srgb_output_intent(public_pdf):
    pdf = pikepdf.open(io.BytesIO(public_pdf))
    metadata = pdf.open_metadata()
    assert (metadata.get("pdfaid:part"), metadata.get("pdfaid:conformance")) == ("2", "A")
    assert [str(intent.S) for intent in pdf.Root.OutputIntents] == ["/GTS_PDFA1"]


def test_the_public_pdf_is_tagged_with_headings_paragraphs_and_table_cells(public_pdf):
    pdf = pikepdf.open(io.BytesIO(public_pdf))
    assert pdf.Root.MarkInfo.Marked is True
    assert {"/H1", "/H2", "/P", "/Table", "/TH", "/TD", "/Caption"} <= _structure_types(pdf.Root.StructTreeRoot, set())


def test_the_public_pdf_names_its_language_and_shows_its_title(public_pdf):
    pdf = pikepdf.open(io.BytesIO(public_pdf))
    assert str(pdf.Root.Lang) == "zh-CN"
    assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
    assert str(pdf.docinfo.Title) == "测试市甲局关于2025年度法治政府建设情况的报告"


def test_the_public_pdf_embeds_every_font_with_a_unicode_map_and_has_no_script_or_encryption(public_pdf):
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is missing")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "public.pdf"
        path.write_bytes(public_pdf)
        rows = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()[
            2:
        ]
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert rows and all(row.split()[-5:-2] == ["yes", "yes", "yes"] for row in rows), rows  # emb sub uni
    assert "JavaScript:      no" in info and "Encrypted:       no" in info
    assert not pikepdf.open(io.BytesIO(public_pdf)).is_encrypted

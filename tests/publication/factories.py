"""Publications in a given state, written directly (the services' own tests go through the services)."""

from django.core.files.base import ContentFile
from django.utils import timezone

from publication.documents import document_to_json
from publication.models import ReportPublication
from reports.document import Column, Paragraph, ReportDocument, Section, Table
from reports.models import ReportKind
from tests.reports.builders import done_run


def document(department, year=2025, *, words: str = "全年办理行政复议案件71件。") -> ReportDocument:
    return ReportDocument(
        title=f"{department.name}关于{year}年度法治政府建设情况的报告",
        addressee="测试市人民政府：",
        opening=(Paragraph(f"{year}年，{department.name}认真落实法治政府建设各项任务。"),),
        sections=(
            Section(
                "一、主要举措和成效",
                (
                    Paragraph(words),
                    Table(
                        "表1 主要指标",
                        (Column("指标"), Column("本年", is_number=True)),
                        (("办理行政复议案件数", "71件"),),
                    ),
                ),
            ),
            Section("二、存在的不足和原因", (Paragraph("行政执法规范化水平有待提高。"),)),
        ),
        issuer=department.name,
        date_text=f"{year + 1}年3月1日",
    )


def publication(
    department, *, user, status=ReportPublication.Status.PUBLISHED, year=2025, **extra
) -> ReportPublication:
    run = done_run(department, user=user, year=year, is_final=True, finalized_at=timezone.now(), finalized_by=user)
    now = timezone.now()
    fields = {
        "run": run,
        "kind": ReportKind.DEPARTMENT_ANNUAL,
        "year": year,
        "department": department,
        "title": f"{department.name}关于{year}年度法治政府建设工作情况的报告",
        "status": status,
        "started_by": user,
        "source_document": document_to_json(document(department, year)),
    }
    if status != ReportPublication.Status.REVIEWING:
        fields.update(
            published_at=now, published_by=user, pdf_sha256="0" * 64, page_count=1, text="正文", html="<p>正文</p>"
        )
    if status == ReportPublication.Status.WITHDRAWN:
        fields.update(withdrawn_at=now, withdrawn_by=user, withdrawal_reason="内容有误")
    item = ReportPublication(**fields | extra)
    if status != ReportPublication.Status.REVIEWING:
        item.pdf_file.save(f"public-{department.code}-{year}.pdf", ContentFile(b"%PDF-1.7 public"), save=False)
    item.save()
    return item

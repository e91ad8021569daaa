"""Publications in a given state, written directly (the services' own tests go through the services)."""

from django.core.files.base import ContentFile
from django.utils import timezone

from publication.models import ReportPublication
from reports.models import ReportKind
from tests.reports.builders import done_run


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
    }
    if status != ReportPublication.Status.REVIEWING:
        fields.update(published_at=now, published_by=user, pdf_sha256="0" * 64, page_count=1, text="正文")
    if status == ReportPublication.Status.WITHDRAWN:
        fields.update(withdrawn_at=now, withdrawn_by=user, withdrawal_reason="内容有误")
    item = ReportPublication(**fields | extra)
    if status != ReportPublication.Status.REVIEWING:
        item.pdf_file.save(f"public-{department.code}-{year}.pdf", ContentFile(b"%PDF-1.7 public"), save=False)
    item.save()
    return item

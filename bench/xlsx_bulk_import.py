"""Time and memory of the justice bureau's wide Excel import on a large city.

    DEBUG=1 DATABASE_URL=… .venv/bin/python -m bench.xlsx_bulk_import [--departments 300]

On a database with the demo seeded (it is seeded if there are no returns), adds working departments
until the demo city has `--departments` of them with an open 2025 return, then: builds the wide
template as reviewer `reviewer` sees it, fills every open cell with a new figure, and times the
preview (all checks, the diff) and the all-or-nothing apply. Prints seconds, the file size and the
process's peak RSS. The added departments (codes BENCH…) stay: run it on a scratch database.
"""

import argparse
import io
import os
import resource
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawgov.settings.base")
    import django

    django.setup()
    from django.core.management import call_command
    from openpyxl import load_workbook

    from accounts.models import Department, User
    from assessments.excel.bulk import OPEN_STATUSES, bulk_preview, bulk_template, import_columns
    from assessments.excel.common import preview_token, read_preview_token
    from assessments.models import AnnualReturn
    from assessments.services.excel_import import bulk_import_apply
    from assessments.services.opening import returns_open_for_framework

    parser = argparse.ArgumentParser()
    parser.add_argument("--departments", type=int, default=300)
    arguments = parser.parse_args()

    if not AnnualReturn.objects.exists():
        call_command("seed_demo")
    framework = AnnualReturn.objects.filter(year=2025).first().framework
    city = Department.objects.filter(parent__isnull=True).first()
    missing = arguments.departments - AnnualReturn.objects.filter(year=2025).count()
    start = Department.objects.filter(code__startswith="BENCH").count()
    Department.objects.bulk_create(
        Department(
            code=f"BENCH{start + n:04d}",
            name=f"基准测试局{start + n}",
            kind=Department.Kind.WORKING_DEPARTMENT,
            level=Department.Level.CITY,
            parent=city,
        )
        for n in range(max(missing, 0))
    )
    returns_open_for_framework(framework=framework)
    reviewer = User.objects.get(username="reviewer")

    started = time.monotonic()
    template = bulk_template(reviewer, 2025)
    template_seconds = time.monotonic() - started
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.active
    headers = [sheet.cell(1, column).value for column in range(1, sheet.max_column + 1)]
    open_labels = {AnnualReturn.Status(status).label for status in OPEN_STATUSES}
    kinds = {header: (indicator, part) for header, indicator, part in import_columns(framework)}
    cells = 0
    for row in sheet.iter_rows(min_row=3):
        if row[3].value not in open_labels:
            continue
        for cell, header in zip(row[4:], headers[4:], strict=False):
            if cell.fill.fgColor.rgb[-6:] != "FFF2CC":
                continue  # not applicable, or locked after a targeted return
            cell.value = _figure(*kinds[header], seed=cells)
            cells += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    content = buffer.getvalue()

    started = time.monotonic()
    preview = bulk_preview(reviewer, 2025, content)
    preview_seconds = time.monotonic() - started
    if preview.errors:
        print("errors:", [str(error) for error in preview.errors[:5]])
        return
    token = preview_token(preview.changes, user_id=reviewer.pk, scope="bulk:2025")
    started = time.monotonic()
    result = bulk_import_apply(
        year=2025, changes=read_preview_token(token, user_id=reviewer.pk, scope="bulk:2025"), user=reviewer
    )
    apply_seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"rows {sheet.max_row - 2}, columns {len(headers)}, file {len(content) / 1024:.0f} KB, cells changed {cells}\n"
        f"template {template_seconds:.2f} s; preview {preview_seconds:.2f} s ({len(preview.changes)} changes); "
        f"apply {apply_seconds:.2f} s ({result.returns} returns, {result.values} values); "
        f"token {len(token) / 1024:.0f} KB; peak RSS {peak:.0f} MB"
    )


def _figure(indicator, part: str, *, seed: int):
    """A plausible new input for one cell of the wide file."""
    value_type = indicator.value_type
    if part == "numerator":
        return 40 + seed % 10
    if part == "denominator":
        return 50 + seed % 10
    if value_type in ("count", "amount"):
        return 5 + seed % 97
    if value_type == "boolean":
        return "是"
    if value_type == "date":
        return "2025-06-30"
    if value_type in ("single_choice", "multiple_choice"):
        return indicator.options[seed % len(indicator.options)]
    return f"已按要求完成（{seed}）"


if __name__ == "__main__":
    main()

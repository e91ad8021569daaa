"""The justice bureau's wide Excel import of the whole last year: one row per unit, one column per
indicator (a rate in two), every cell changed. Template download, preview (parse + all checks +
diff), the signed preview token, and the all-or-nothing apply, timed with the process's peak RSS.

Runs inside a transaction that is rolled back: every return of the year is first set to 填报中 (and
reopen marks cleared) so that every row may change — a submitted return refuses imports — and all of
it is put back afterwards.

    python -m bench.measure.xlsx_import
"""

import io
import time

from .common import Result, log, peak_rss_mib, setup_django

INPUT_COLOUR = "FFF2CC"  # the template's fill of a cell that takes input


class Rollback(Exception):
    pass


def _typed_text(indicator, number: int) -> str:
    """A valid new figure for one cell, as a person would type it."""
    value_type = indicator.value_type
    if value_type == "count":
        return str(number % 50 + 1)
    if value_type == "amount":
        return f"{number % 400 + 0.5:.1f}"
    if value_type == "boolean":
        return "是" if number % 5 else "否"
    if value_type == "date":
        return f"{indicator.framework.year}-06-{number % 28 + 1:02d}"
    if value_type in ("single_choice", "multiple_choice"):
        return (indicator.options or [""])[number % max(1, len(indicator.options or []))]
    return f"已按要求完成（{number}）"


def _fill(template: bytes, indicators: dict, max_rows: int) -> tuple[bytes, int, int]:
    """Every input cell of the template (every applicable indicator of every unit) with a new, valid
    figure; a rate's numerator and denominator together. Units beyond the importer's row limit are
    cut off (and counted), so the largest file it accepts is measured."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.active
    dropped = max(0, sheet.max_row - max_rows)
    if dropped:
        sheet.delete_rows(max_rows + 1, dropped)
    headers = [cell.value or "" for cell in next(sheet.iter_rows(min_row=1, max_row=1))]
    changed = 0
    for number, row in enumerate(sheet.iter_rows(min_row=3)):
        for cell, header in zip(row[4:], headers[4:], strict=False):
            if not str(cell.fill.fgColor.rgb or "").endswith(INPUT_COLOUR):
                continue  # not applicable to this unit
            if header.endswith(".num"):
                cell.value = str(number % 9 + 1)
            elif header.endswith(".den"):
                cell.value = str(number % 9 + 11)
            elif header in indicators:
                cell.value = _typed_text(indicators[header], number)
            else:
                continue
            changed += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), changed, dropped


def main() -> None:
    setup_django()
    from django.db import transaction

    from accounts.models import User
    from assessments.excel.bulk import LIMITS, bulk_preview, bulk_template
    from assessments.excel.common import preview_token, read_preview_token
    from assessments.models import AnnualReturn, IndicatorValue, NarrativeSection
    from assessments.services.excel_import import bulk_import_apply
    from indicators.models import Indicator

    admin = User.objects.get(username="bench_admin")
    year = AnnualReturn.objects.order_by("-year").values_list("year", flat=True).first()
    phases, facts = {}, {}
    try:
        with transaction.atomic():
            AnnualReturn.objects.filter(year=year).update(status=AnnualReturn.Status.IN_PROGRESS)
            IndicatorValue.objects.filter(annual_return__year=year, is_reopened=True).update(is_reopened=False)
            NarrativeSection.objects.filter(annual_return__year=year, is_reopened=True).update(is_reopened=False)
            started = time.perf_counter()
            template = bulk_template(admin, year)
            phases["template"] = time.perf_counter() - started
            indicators = {
                indicator.code: indicator
                for indicator in Indicator.objects.filter(
                    framework__year=year, framework__status="published"
                ).select_related("framework")
            }
            content, cells, dropped = _fill(template, indicators, LIMITS.max_rows)
            facts.update(file_kib=len(content) // 1024, cells_changed=cells, units_cut=dropped)
            log(f"xlsx: {cells} cells changed, {len(content) // 1024} KiB")
            started = time.perf_counter()
            preview = bulk_preview(admin, year, content)
            phases["preview"] = time.perf_counter() - started
            if preview.errors:
                facts["errors"] = [str(error) for error in preview.errors[:3]]
                raise Rollback
            started = time.perf_counter()
            token = preview_token(preview.changes, user_id=admin.pk, scope=f"bulk:{year}")
            changes = read_preview_token(token, user_id=admin.pk, scope=f"bulk:{year}")
            phases["token"] = time.perf_counter() - started
            facts["token_kib"] = len(token) // 1024
            started = time.perf_counter()
            result = bulk_import_apply(year=year, changes=changes, user=admin)
            phases["apply"] = time.perf_counter() - started
            facts.update(returns=result.returns, values=result.values)
            raise Rollback
    except Rollback:
        pass
    peak = peak_rss_mib()
    if "errors" in facts:
        Result(
            "import",
            "xlsx wide import",
            None,
            "s",
            "≤ 60 s, ≤ 1 GB",
            False,
            note=f"refused: {facts['errors']}",
            extra={**facts, "peak_rss_mib": peak},
        ).emit()
        return
    upload = phases["preview"] + phases["token"] + phases["apply"]
    from django.conf import settings

    note = (
        f"{facts['returns']} units, {facts['values']} values, file {facts['file_kib']} KiB; "
        f"preview {phases['preview']:.1f} s, apply {phases['apply']:.1f} s, template {phases['template']:.1f} s; "
        f"signed preview token {facts['token_kib']} KiB"
    )
    if facts["units_cut"]:
        note += f"; {facts['units_cut']} units cut: the importer takes at most {LIMITS.max_rows} rows, headers included"
    if facts["token_kib"] * 1024 > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        note += f" (> DATA_UPLOAD_MAX_MEMORY_SIZE {limit} KiB: the confirming POST is refused)"
    Result(
        "import",
        "xlsx wide import (preview + apply)",
        round(upload, 1),
        "s",
        "≤ 60 s, ≤ 1 GB peak RSS",
        upload <= 60 and peak <= 1024,
        note=note,
        extra={**facts, **{k: round(v, 2) for k, v in phases.items()}, "peak_rss_mib": peak},
    ).emit()
    Result(
        "import",
        "xlsx wide import peak RSS",
        peak,
        "MiB",
        "≤ 1024 MiB",
        peak <= 1024,
        note="whole process: template, fill with openpyxl, preview and apply",
    ).emit()


if __name__ == "__main__":
    main()

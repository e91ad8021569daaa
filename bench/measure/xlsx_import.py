"""The justice bureau's wide Excel import of the whole last year: one row per unit, one column per
indicator (a rate in two), every cell changed. Template download, preview (parse + all checks +
diff), the signed preview token, and the all-or-nothing apply, timed with the process's peak RSS.

Each phase is reported with its wall time, this process's CPU and the PostgreSQL backend's CPU (a
shared machine stretches the wall time), the peak RSS of preview + token + apply on their own (the
template is downloaded and filled with openpyxl by a process of its own) and the machine's load.

Runs inside a transaction that is rolled back: every return of the year is first set to 填报中 (and
reopen marks cleared) so that every row may change — a submitted return refuses imports — and all of
it is put back afterwards.

    python -m bench.measure.xlsx_import
"""

import argparse
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from .common import Result, database_cpu_seconds, log, peak_rss_mib, setup_django

INPUT_COLOUR = "FFF2CC"  # the template's fill of a cell that takes input


class Rollback(Exception):
    pass


def _typed_text(indicator, number: int) -> str:
    """A valid new figure for one cell, as a person would type it."""
    value_type = indicator.value_type
    if value_type == "count":
        return str(_within_scale(indicator, Decimal(number % 50 + 1)))
    if value_type == "amount":
        return f"{_within_scale(indicator, Decimal(number % 400) + Decimal('0.5')):.1f}"
    if value_type == "boolean":
        return "是" if number % 5 else "否"
    if value_type == "date":
        return f"{indicator.framework.year}-06-{number % 28 + 1:02d}"
    if value_type in ("single_choice", "multiple_choice"):
        return (indicator.options or [""])[number % max(1, len(indicator.options or []))]
    return f"已按要求完成（{number}）"


def _within_scale(indicator, figure: Decimal) -> Decimal:
    """The figure folded into the indicator's 取值范围 (a 满意度 of 0–100 分), which the import checks."""
    low, high = indicator.scale_min, indicator.scale_max
    if high is None:
        return figure if low is None else max(figure, low)
    low = low if low is not None else Decimal(0)
    return low + figure % (high - low) if high > low else low


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


@dataclass
class Phases:
    """Wall seconds, this process's CPU seconds and the PostgreSQL backend's CPU seconds per phase:
    on a shared machine the wall time is mostly waiting, the CPU is what the import costs."""

    database_cpu: Callable[[], float | None]
    wall: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)
    db_cpu: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def timed(self, name: str) -> Iterator[None]:
        started, started_cpu, started_db = time.perf_counter(), time.process_time(), self.database_cpu()
        yield
        self.wall[name] = time.perf_counter() - started
        self.cpu[name] = time.process_time() - started_cpu
        ended_db = self.database_cpu()
        if started_db is not None and ended_db is not None:
            self.db_cpu[name] = ended_db - started_db

    def text(self, name: str) -> str:
        db = f", PostgreSQL {self.db_cpu[name]:.1f} s" if name in self.db_cpu else ""
        return f"{name} {self.wall[name]:.1f} s (CPU {self.cpu[name]:.1f} s{db})"


def _open_every_return(year: int) -> None:
    """Inside the caller's transaction: every return of the year 填报中 with nothing reopened, so
    every row of the file may change."""
    from assessments.models import AnnualReturn, IndicatorValue, NarrativeSection

    AnnualReturn.objects.filter(year=year).update(status=AnnualReturn.Status.IN_PROGRESS)
    IndicatorValue.objects.filter(annual_return__year=year, is_reopened=True).update(is_reopened=False)
    NarrativeSection.objects.filter(annual_return__year=year, is_reopened=True).update(is_reopened=False)


def write_filled_file(path: Path) -> None:
    """The template downloaded and every input cell filled (openpyxl: hundreds of MB for a province),
    written to `path` with the template's timing beside it; run in a process of its own, so that
    the measuring process's peak RSS is the import's."""
    setup_django()
    from django.db import transaction

    from accounts.models import User
    from assessments.excel.bulk import LIMITS, bulk_template
    from assessments.models import AnnualReturn
    from indicators.models import Indicator

    admin = User.objects.get(username="bench_admin")
    year = AnnualReturn.objects.order_by("-year").values_list("year", flat=True).first()
    phases = Phases(database_cpu_seconds())
    try:
        with transaction.atomic():
            _open_every_return(year)
            with phases.timed("template"):
                template = bulk_template(admin, year)
            indicators = {
                indicator.code: indicator
                for indicator in Indicator.objects.filter(
                    framework__year=year, framework__status="published"
                ).select_related("framework")
            }
            content, cells, dropped = _fill(template, indicators, LIMITS.max_rows)
            raise Rollback
    except Rollback:
        pass
    path.write_bytes(content)
    facts = {"file_kib": len(content) // 1024, "cells_changed": cells, "units_cut": dropped}
    facts["template_text"] = phases.text("template")
    facts["template"] = round(phases.wall["template"], 2)
    path.with_suffix(".json").write_text(json.dumps(facts), encoding="utf-8")


def _filled_file() -> tuple[bytes, dict]:
    with tempfile.TemporaryDirectory(prefix="lawgov-bench-import-") as folder:
        path = Path(folder) / "filled.xlsx"
        subprocess.run([sys.executable, "-m", "bench.measure.xlsx_import", "--write-file", str(path)], check=True)
        return path.read_bytes(), json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--write-file", type=Path, help="only write the filled template there (a child process)")
    arguments = parser.parse_args()
    if arguments.write_file:
        write_filled_file(arguments.write_file)
        return
    content, facts = _filled_file()
    log(f"xlsx: {facts['cells_changed']} cells changed, {facts['file_kib']} KiB")
    setup_django()
    from django.conf import settings
    from django.db import transaction

    from accounts.models import User
    from assessments.excel.bulk import LIMITS, bulk_preview
    from assessments.excel.common import preview_token, read_preview_token
    from assessments.models import AnnualReturn
    from assessments.services.excel_import import bulk_import_apply

    admin = User.objects.get(username="bench_admin")
    year = AnnualReturn.objects.order_by("-year").values_list("year", flat=True).first()
    phases = Phases(database_cpu_seconds())
    load_before = os.getloadavg()
    try:
        with transaction.atomic():
            _open_every_return(year)
            with phases.timed("preview"):
                preview = bulk_preview(admin, year, content)
            if preview.errors:
                facts["errors"] = [str(error) for error in preview.errors[:3]]
                raise Rollback
            with phases.timed("token"):
                token = preview_token(preview.changes, user_id=admin.pk, scope=f"bulk:{year}")
                del preview
                changes = read_preview_token(token, user_id=admin.pk, scope=f"bulk:{year}")
            facts["token_kib"] = len(token) // 1024
            with phases.timed("apply"):
                result = bulk_import_apply(year=year, changes=changes, user=admin)
            facts.update(returns=result.returns, values=result.values)
            raise Rollback
    except Rollback:
        pass
    peak = peak_rss_mib()
    load = f"load average {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after (2 cores: above 2 is waiting)"
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
    upload = sum(phases.wall[name] for name in ("preview", "token", "apply"))
    upload_cpu = sum(phases.cpu[name] + phases.db_cpu.get(name, 0) for name in ("preview", "token", "apply"))
    note = (
        f"{facts['returns']} units, {facts['values']} values, file {facts['file_kib']} KiB; "
        f"{phases.text('preview')}, {phases.text('token')}, {phases.text('apply')}; {facts['template_text']}; "
        f"signed preview token {facts['token_kib']} KiB; {load}"
    )
    if facts["units_cut"]:
        note += f"; {facts['units_cut']} units cut: the importer takes at most {LIMITS.max_rows} rows, headers included"
    if facts["token_kib"] * 1024 > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
        note += f" (> DATA_UPLOAD_MAX_MEMORY_SIZE {limit} KiB: the confirming POST is refused)"
    extra = {
        **facts,
        **{name: round(seconds, 2) for name, seconds in phases.wall.items()},
        **{f"{name}_cpu": round(seconds, 2) for name, seconds in phases.cpu.items()},
        **{f"{name}_db_cpu": round(seconds, 2) for name, seconds in phases.db_cpu.items()},
        "cpu_app_and_db": round(upload_cpu, 1),
        "peak_rss_mib": peak,
        "load_before": load_before,
    }
    Result(
        "import",
        "xlsx wide import (preview + apply)",
        round(upload, 1),
        "s",
        "≤ 60 s, ≤ 1 GB peak RSS",
        upload <= 60 and peak <= 1024,
        note=note + f"; CPU of the app and PostgreSQL together {upload_cpu:.1f} s",
        extra=extra,
    ).emit()
    Result(
        "import",
        "xlsx wide import preview (parse + checks + diff)",
        round(phases.wall["preview"], 1),
        "s",
        "≤ 15 s",
        phases.wall["preview"] <= 15,
        note=f"{phases.text('preview')}; {load}",
    ).emit()
    Result(
        "import",
        "xlsx wide import peak RSS",
        peak,
        "MiB",
        "≤ 1024 MiB",
        peak <= 1024,
        note="the measuring process: Django, preview, token and apply (the template is filled by a process of its own)",
    ).emit()


if __name__ == "__main__":
    main()

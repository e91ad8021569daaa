from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from indicators.services import framework_load_default


class Command(BaseCommand):
    help = (
        "载入系统内置的《法治政府建设年度考核指标体系》（indicators/data/default_framework.json）。"
        "可重复执行：同名同年度的指标体系已存在时不作改动。"
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--year", type=int, help="考核年度，默认取数据文件中的年度")
        parser.add_argument("--publish", action="store_true", help="载入后立即发布")

    def handle(self, *args: Any, year: int | None = None, publish: bool = False, **options: Any) -> None:
        framework, created = framework_load_default(year=year, publish=publish)
        count = framework.indicators.count()
        if created:
            self.stdout.write(self.style.SUCCESS(f"已载入“{framework}”，三级指标 {count} 个。"))
        else:
            status = framework.get_status_display()
            self.stdout.write(f"“{framework}”已存在（{status}，三级指标 {count} 个），未作改动。")

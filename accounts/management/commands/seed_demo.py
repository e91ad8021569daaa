from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand

# The demo is built app by app, foundations first; each app that has demo data provides
# `<app>/demo.py` with `seed(*, stdout)`. Every step is idempotent.
DEMO_APPS = ["accounts", "indicators", "assessments", "reviews", "congress", "reports"]


class Command(BaseCommand):
    help = "创建或更新演示数据（云州市）。可重复执行，不会产生重复数据。"

    def handle(self, *args, **options):
        for label in DEMO_APPS:
            if not apps.is_installed(label):
                continue
            try:
                demo = import_module(f"{label}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{label}.demo":
                    raise
                continue
            self.stdout.write(f"演示数据：{apps.get_app_config(label).verbose_name}")
            demo.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))

from django.apps import apps
from django.core.management.base import BaseCommand

from accounts import demo as accounts_demo
from assessments import demo as assessments_demo
from assessments import demo_provided as provided_demo
from congress import demo as congress_demo
from indicators import demo as indicators_demo
from publication import demo as publication_demo
from reports import demo as reports_demo
from reviews import demo as reviews_demo

# The demo is built app by app, foundations first; each app that has demo data provides
# `<app>/demo.py` with `seed(*, stdout)`. Every step is idempotent.
# Provided figures come after review, so a figure provided after approval re-scores visibly.
DEMO_STEPS = (
    accounts_demo,
    indicators_demo,
    assessments_demo,
    reviews_demo,
    provided_demo,
    congress_demo,
    reports_demo,
    publication_demo,
)


class Command(BaseCommand):
    help = "创建或更新演示数据（云州市）。可重复执行，不会产生重复数据。"

    def handle(self, *args, **options):
        for demo in DEMO_STEPS:
            self.stdout.write(f"演示数据：{apps.get_app_config(demo.__name__.partition('.')[0]).verbose_name}")
            demo.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。"))

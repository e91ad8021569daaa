from django.core.management.base import BaseCommand

from reports import background
from reports.services import report_runs_sweep, stuck_after


class Command(BaseCommand):
    help = (
        "重新生成卡住的报告（排队或生成中超过时限的）。配置了消息队列时由 Celery beat 定时执行；"
        "未配置消息队列时请用 cron 每隔几分钟执行一次，服务重启后未完成的批量报告由此继续生成。"
    )

    def handle(self, *args, **options):
        with background.in_process():  # without a broker the command renders them before it exits
            requeued = report_runs_sweep()
        minutes = int(stuck_after().total_seconds() // 60)
        if requeued:
            self.stdout.write(self.style.SUCCESS(f"已重新提交 {len(requeued)} 份超过 {minutes} 分钟未完成的报告。"))
        else:
            self.stdout.write(f"没有超过 {minutes} 分钟未完成的报告。")

from typing import Any

from django.core.management.base import BaseCommand

from reports import background
from reports.recovery import report_runs_recover


class Command(BaseCommand):
    help = (
        "重新生成中断的报告：生成中但已停止心跳的，以及排队中但消息已丢失的。Celery worker 和 Web 进程"
        "会自动每隔十几秒执行一次，本命令供手动检查；未配置消息队列时，报告在本命令的进程中生成完毕后才退出。"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        with background.in_process():  # without a broker the command renders them before it exits
            requeued = report_runs_recover()
        if requeued:
            self.stdout.write(self.style.SUCCESS(f"已重新提交 {len(requeued)} 份中断的报告。"))
        else:
            self.stdout.write("没有中断的报告。")

from django.core.management.base import BaseCommand, CommandError

from bench.generator import SCALES, generate


class Command(BaseCommand):
    help = (
        "生成基准测试数据（仅用于空的测试数据库）：small（演示规模）、city（300 个单位 × 3 年）、"
        "province（3000 个单位 × 5 年，约 120 万个填报值）。同一 --seed 生成的数据相同。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args, scale, seed, **options):
        self.stdout.write(f"生成 {scale} 规模数据（seed={seed}）……")
        try:
            timings = generate(scale=scale, seed=seed, stdout=self.stdout)
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"完成，用时 {sum(timings.values()):.1f} 秒。"))

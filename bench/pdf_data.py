"""Deterministic report data for the PDF benchmark and for looking at reports: fills 2024 and 2025
returns of every active unit of the demo city (seed_demo first) with plausible figures and
narratives. Writes through the models directly; never run it against a real database.

    DEBUG=1 DATABASE_URL=sqlite:////tmp/lawgov-bench.sqlite3 python manage.py migrate
    DEBUG=1 DATABASE_URL=sqlite:////tmp/lawgov-bench.sqlite3 python manage.py seed_demo
    DEBUG=1 DATABASE_URL=sqlite:////tmp/lawgov-bench.sqlite3 python -m bench.pdf_data
"""

import datetime
import os
import random

import django

NARRATIVES = {
    "measures": (
        "{name}坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，把法治政府建设"
        "纳入全局工作统筹谋划，年初制定工作要点，明确责任分工和完成时限。\n"
        "健全依法决策机制，严格落实重大行政决策程序规定，重大事项均经合法性审查和集体讨论决定。"
        "深化“放管服”改革，推进政务服务标准化、规范化、便利化，企业和群众办事更加便捷。\n"
        "全面落实行政执法公示、执法全过程记录、重大执法决定法制审核制度，开展行政执法案卷评查，"
        "执法规范化水平持续提升。"
    ),
    "shortcomings": (
        "一是运用法治思维和法治方式解决问题的能力仍需提高；二是基层执法力量相对薄弱，"
        "执法人员专业素质有待提升；三是普法宣传的针对性和实效性还不够强。"
    ),
    "leadership": (
        "主要负责人切实履行推进法治建设第一责任人职责，全年主持召开专题会议研究法治政府建设工作，"
        "带头参加集中学法，在年终述职中专题述法。领导班子其他成员按照分工抓好分管领域法治建设。"
    ),
    "next_year": (
        "一是持续深入学习宣传贯彻习近平法治思想；二是严格落实重大行政决策程序；三是深化行政执法规范化建设；"
        "四是加强行政复议和应诉工作；五是扎实推进“八五”普法规划收官。"
    ),
    "other": "无。",
}


def _value(rng: random.Random, indicator, year: int):
    from indicators.models import ValueType

    is_bad_thing = indicator.target_operator in ("<=", "<")  # 败诉率, 被纠错件数: the lower the better
    if indicator.value_type == ValueType.RATE:
        den = rng.randint(0, 200) if rng.random() > 0.08 else 0
        share = rng.uniform(0, 0.12) if is_bad_thing else rng.uniform(0.86, 1.0) + (0.02 if year == 2025 else 0)
        return {"numerator": min(den, round(den * share)), "denominator": den}
    if indicator.value_type == ValueType.COUNT:
        return {"value_integer": rng.randint(0, 2) if is_bad_thing else rng.randint(0, 120)}
    if indicator.value_type == ValueType.AMOUNT:
        if indicator.unit == "分":
            return {"value_decimal": round(rng.uniform(78, 96), 2)}
        return {"value_decimal": round(rng.uniform(0, 500), 2)}
    if indicator.value_type == ValueType.BOOLEAN:
        return {"value_boolean": rng.random() > 0.1}
    if indicator.value_type == ValueType.DATE:
        return {"value_date": datetime.date(year, rng.randint(1, 12), rng.randint(1, 28))}
    if indicator.value_type == ValueType.SINGLE_CHOICE and indicator.options:
        return {"value_choice": rng.choice(indicator.options)}
    return {}


def fill(*, seed: int = 20251231) -> int:
    from django.utils import timezone

    from accounts.models import Department
    from assessments.models import AnnualReturn, IndicatorValue, NarrativeSection
    from assessments.services.completion import completion_recount
    from indicators.selectors import framework_published_for_year, indicators_for_department_kind

    rng = random.Random(seed)
    count = 0
    for year in (2024, 2025):
        framework = framework_published_for_year(year)
        for department in Department.objects.filter(is_active=True).order_by("code"):
            submitted = datetime.datetime(year + 1, 2, 20, 9, 0, tzinfo=timezone.get_current_timezone())
            annual_return, created = AnnualReturn.objects.get_or_create(
                department=department,
                year=year,
                defaults={
                    "framework": framework,
                    "status": AnnualReturn.Status.APPROVED,
                    "deadline": datetime.date(year + 1, 3, 1),
                    "submitted_at": submitted,
                    "first_submitted_at": submitted,
                },
            )
            if not created:
                continue
            rows = []
            for indicator in indicators_for_department_kind(framework=framework, kind=department.kind):
                columns = _value(rng, indicator, year)
                if columns:
                    rows.append(IndicatorValue(annual_return=annual_return, indicator=indicator, **columns))
            IndicatorValue.objects.bulk_create(rows)
            completion_recount([annual_return.pk])
            NarrativeSection.objects.bulk_create(
                NarrativeSection(annual_return=annual_return, kind=kind, text=text.format(name=department.name))
                for kind, text in NARRATIVES.items()
            )
            count += 1
    return count


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lawgov.settings.base")
    django.setup()
    print(f"returns created: {fill()}")

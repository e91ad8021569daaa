"""Demo congress data for 云州市 2025: a survey with several hundred responses, 审议意见 and 代表建议
with mixed handling states, activities and recommendations.

Deterministic (a seeded random generator) and idempotent: a second run changes nothing.
"""

import random
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User

from .models import (
    Answer,
    Assignment,
    CongressYear,
    DeliberationOpinion,
    GroupTally,
    HandlingStatus,
    OptionTally,
    Recommendation,
    Response,
    Survey,
    SurveyActivity,
)
from .scales import SCALE_PRESETS, OptionSpec
from .services.surveys import question_create, survey_create

YEAR = 2025
PROBLEMS = (
    "多头多重执法、监管检查过于频繁",
    "执法检查不作为、拖拉推诿、效率不高",
    "执法“一刀切”",
    "选择性执法、人情监管",
    "以罚代管、重罚轻管",
    "执法程序不规范、文书送达不规范",
)
SUGGESTIONS = (
    "建议进一步减少涉企检查频次，推行“综合查一次”。",
    "希望加强基层综合执法队伍的法律培训。",
    "政务公开栏目更新不及时，建议定期维护。",
    "建议行政机关负责人出庭应诉时多发声、讲清道理。",
    "对投诉举报的处理要及时反馈结果。",
    "规范性文件公开征求意见的时间太短。",
)
# Individual responses per group and the chance of a satisfied answer; 律师 come as a tally.
GROUP_PLAN = {"人大代表": (80, 0.93), "普通群众": (260, 0.82), "企业法人": (150, 0.86), "法治工作人员": (110, 0.95)}


def _answer(rng: random.Random, options, satisfied_chance: float):
    satisfied = [o for o in options if o.counts_as_satisfied]
    others = [o for o in options if not o.counts_as_satisfied]
    return rng.choice(satisfied) if rng.random() < satisfied_chance else rng.choice(others)


def _survey(congress_year: CongressYear, user: User) -> Survey:
    survey = survey_create(
        congress_year=congress_year,
        title="2025年度云州市法治政府建设社情民意调查",
        method="委托市社情民意调查中心电话访谈，并在政务服务中心现场发放问卷",
        started_on=date(2025, 10, 9),
        ended_on=date(2025, 11, 14),
        user=user,
    )
    questions = [
        (1, "您对本市政府及其工作部门推进法治政府建设措施、力度、效果的总体评价", "single", "good5"),
        (2, "您认为本市行政机关是否做到了严格规范公正文明执法", "single", "done4"),
        (3, "您对本市政务公开和政务服务工作的满意程度", "single", "satisfied5"),
        (4, "您认为行政执法检查中比较突出的问题有哪些（可多选）", "multiple", None),
        (5, "您对本市法治政府建设有什么意见和建议", "open", None),
    ]
    for number, text, kind, preset in questions:
        if preset:
            options = SCALE_PRESETS[preset][1]
        elif kind == "multiple":
            options = tuple(OptionSpec(label) for label in PROBLEMS)
        else:
            options = ()
        question_create(survey=survey, number=number, text=text, kind=kind, options=options, user=user)
    return survey


def _responses(survey: Survey, user: User, rng: random.Random) -> int:
    groups = {g.name: g for g in survey.groups.all()}
    questions = list(survey.questions.prefetch_related("options"))
    problem_weights = (0.27, 0.23, 0.21, 0.12, 0.10, 0.08)
    responses, plans = [], []
    for group_name, (count, chance) in GROUP_PLAN.items():
        for index in range(count):
            # About 3% of questionnaires are incomplete or contradictory and marked invalid.
            is_valid = rng.random() > 0.03
            responses.append(
                Response(
                    survey=survey,
                    group=groups[group_name],
                    reference=f"{group_name[:2]}{index + 1:04d}",
                    is_valid=is_valid,
                    source=Response.Source.IMPORT,
                    created_by=user,
                )
            )
            plans.append(chance)
    Response.objects.bulk_create(responses)
    answers = []
    for response, chance in zip(responses, plans, strict=True):
        for question in questions:
            options = list(question.options.all())
            if question.kind == "single":
                if rng.random() < 0.04:
                    continue  # left blank
                answers.append(Answer(response=response, question=question, option=_answer(rng, options, chance)))
            elif question.kind == "multiple":
                for option, weight in zip(options, problem_weights, strict=True):
                    if rng.random() < weight:
                        answers.append(Answer(response=response, question=question, option=option))
            elif rng.random() < 0.12:
                answers.append(Answer(response=response, question=question, text=rng.choice(SUGGESTIONS)))
    Answer.objects.bulk_create(answers, batch_size=2000)
    return len(responses)


def _lawyer_tally(survey: Survey, rng: random.Random) -> None:
    """律师 come from the bar association's own survey, as aggregate counts only."""
    group = survey.groups.get(name="律师")
    tally = GroupTally.objects.create(
        survey=survey, group=group, returned_count=64, valid_count=60, note="市律师协会问卷汇总表"
    )
    counts: list[OptionTally] = []
    per_option: dict[int, int] = {}
    for question in survey.questions.prefetch_related("options"):
        options = list(question.options.all())
        if question.kind == "single":
            for _ in range(57):  # 3 of the 60 valid questionnaires left the question blank
                option = _answer(rng, options, 0.88)
                per_option[option.pk] = per_option.get(option.pk, 0) + 1
            counts.extend(OptionTally(tally=tally, option=o, count=per_option.pop(o.pk, 0)) for o in options)
        elif question.kind == "multiple":
            for option in options:
                counts.append(OptionTally(tally=tally, option=option, count=rng.randint(3, 20)))
    OptionTally.objects.bulk_create(counts)


# (kind, number, title, proposer, [(department code, status or None, deadline)], reviewed)
OPINION, SUGGESTION = DeliberationOpinion.Kind.OPINION, DeliberationOpinion.Kind.SUGGESTION
H = HandlingStatus
# (kind, number, title, proposer, [(unit, handling status or None, deadline)], reviewed by a reviewer)
OPINIONS: list[tuple[str, str, str, str, list[tuple[str, str | None, date]], bool]] = [
    (
        OPINION,
        "第1项",
        "深化综合行政执法改革，厘清乡镇街道执法事项",
        "市人大常委会第二十次会议",
        [("YZ100", H.BASICALLY_RESOLVED, date(2025, 6, 30)), ("YZ003", H.RESOLVED, date(2025, 6, 30))],
        True,
    ),
    (
        OPINION,
        "第2项",
        "提高行政机关负责人出庭应诉率，做到出庭又出声",
        "市人大常委会第二十次会议",
        [("YZ001", H.RESOLVED, date(2025, 6, 30))],
        True,
    ),
    (
        OPINION,
        "第3项",
        "规范涉企行政检查，减少多头多重检查",
        "市人大常委会第二十次会议",
        [("YZ003", H.PARTIALLY_RESOLVED, date(2025, 6, 30)), ("YZ002", H.PLANNED, date(2025, 6, 30))],
        False,
    ),
    (
        OPINION,
        "第4项",
        "加强基层执法人员法律培训和资格管理",
        "市人大常委会第二十次会议",
        [("YZ210", None, date(2025, 9, 30))],
        False,
    ),
    (
        SUGGESTION,
        "第12号",
        "关于规范交通违法停车执法的建议",
        "王代表等12名代表",
        [("YZ002", H.RESOLVED, date(2025, 5, 31))],
        False,
    ),
    (
        SUGGESTION,
        "第27号",
        "关于公开食品安全抽检结果的建议",
        "李代表",
        [("YZ003", H.RESOLVED, date(2025, 5, 31))],
        False,
    ),
    (
        SUGGESTION,
        "第35号",
        "关于老旧小区加装电梯审批便利化的建议",
        "陈代表",
        [("YZ006", H.BASICALLY_RESOLVED, date(2025, 5, 31))],
        False,
    ),
    (
        SUGGESTION,
        "第41号",
        "关于农民工欠薪投诉快速处理的建议",
        "赵代表",
        [("YZ007", H.PARTIALLY_RESOLVED, date(2025, 5, 31))],
        False,
    ),
    (
        SUGGESTION,
        "第48号",
        "关于东城区夜市占道经营管理的建议",
        "刘代表",
        [("YZ100", H.PLANNED, date(2025, 5, 31))],
        False,
    ),
    (
        SUGGESTION,
        "第53号",
        "关于青石镇河道采砂执法的建议",
        "周代表",
        [("YZ210", H.UNRESOLVED, date(2025, 5, 31))],
        False,
    ),
    (SUGGESTION, "第60号", "关于校外培训机构监管的建议", "孙代表", [("YZ009", H.RESOLVED, date(2025, 5, 31))], False),
    (
        SUGGESTION,
        "第66号",
        "关于医疗纠纷人民调解的建议",
        "吴代表",
        [("YZ010", H.BASICALLY_RESOLVED, date(2025, 5, 31))],
        False,
    ),
    (SUGGESTION, "第72号", "关于公安窗口“一次办好”的建议", "郑代表", [("YZ002", None, date(2025, 8, 31))], False),
    (SUGGESTION, "第80号", "关于建筑工地扬尘执法的建议", "冯代表", [("YZ004", None, date(2027, 3, 31))], False),
]

ACTIVITIES = [
    (
        SurveyActivity.Kind.BRIEFING,
        "听取市司法局法治政府建设情况汇报",
        date(2025, 10, 15),
        None,
        "市司法局",
        ["YZ001"],
        "",
    ),
    (
        SurveyActivity.Kind.FORUM,
        "法治政府建设片区调研座谈会（东城片区）",
        date(2025, 10, 21),
        None,
        "东城区人大常委会",
        ["YZ100", "YZ101", "YZ102", "YZ110", "YZ111"],
        "区人大代表、立法咨询专家",
    ),
    (
        SurveyActivity.Kind.FORUM,
        "法治政府建设片区调研座谈会（西山片区）",
        date(2025, 10, 23),
        None,
        "西山县人大常委会",
        ["YZ200", "YZ201", "YZ210", "YZ211"],
        "县人大代表",
    ),
    (
        SurveyActivity.Kind.SITE_VISIT,
        "实地察看综合行政执法队伍建设",
        date(2025, 10, 28),
        date(2025, 10, 29),
        "城关街道、青石镇",
        ["YZ110", "YZ210"],
        "",
    ),
    (
        SurveyActivity.Kind.LETTER,
        "书面调研法治政府建设有关情况",
        date(2025, 11, 3),
        None,
        "",
        ["YZ002", "YZ003", "YZ004", "YZ005", "YZ006", "YZ007", "YZ008", "YZ009", "YZ010"],
        "市中级人民法院、市人民检察院",
    ),
    (
        SurveyActivity.Kind.FORUM,
        "专家学者和律师专题座谈会",
        date(2025, 11, 12),
        None,
        "市人大常委会机关",
        [],
        "法制工作专业组代表、立法咨询专家、律师",
    ),
]

RECOMMENDATIONS = [
    (
        "进一步压实法治政府建设第一责任人职责",
        "把法治政府建设纳入政府年度重点工作和绩效考核，主要负责人每年专题研究不少于两次。",
    ),
    ("规范涉企行政检查", "推行“综合查一次”和检查计划备案，杜绝多头多重检查；对“一刀切”执法建立纠错机制。"),
    ("加强基层综合执法能力建设", "细化乡镇街道综合执法事项清单，开展执法人员资格清理和轮训。"),
    ("提升审议意见和代表建议办理实效", "对部分解决和列入计划的事项建立台账，明年人大常委会开展回头看。"),
]


def _answered_at(deadline: date) -> datetime:
    return timezone.make_aware(datetime.combine(deadline.replace(day=1), time(10, 0)))


def _opinions(
    congress_year: CongressYear, departments: dict[str, Department], staff: dict[str, User], reviewer: User
) -> None:
    for kind, number, title, proposer, assignments, reviewed in OPINIONS:
        opinion, _ = DeliberationOpinion.objects.update_or_create(
            congress_year=congress_year,
            kind=kind,
            number=number,
            defaults={
                "title": title,
                "content": f"{title}。请有关单位认真研究办理，并在办理期限内书面答复办理情况。",
                "proposer": proposer,
                "received_on": date(2025, 3, 20),
            },
        )
        for code, status, deadline in assignments:
            answered = status is not None
            Assignment.objects.update_or_create(
                opinion=opinion,
                department=departments[code],
                defaults={
                    "deadline": deadline,
                    "status": status or "",
                    "answer": f"已按要求研究办理：{title}。下一步将持续跟踪落实。" if answered else "",
                    "answered_at": _answered_at(deadline) if answered else None,
                    "answered_by": staff.get(code) if answered else None,
                },
            )
        if reviewed and (not opinion.is_reviewed or opinion.reviewed_by_id is None):
            opinion.reviewed_at = timezone.make_aware(datetime.combine(date(2025, 11, 20), time(15, 0)))
            opinion.reviewed_by = reviewer  # who did the 回头看: the page named "None" without one
            opinion.review_note = "调研组实地回访，整改措施已落实。"
            opinion.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])


def _activities(congress_year: CongressYear, departments: dict[str, Department]) -> None:
    for kind, subject, held_on, ended_on, place, codes, others in ACTIVITIES:
        activity, _ = SurveyActivity.objects.update_or_create(
            congress_year=congress_year,
            subject=subject,
            defaults={
                "kind": kind,
                "held_on": held_on,
                "ended_on": ended_on,
                "place": place,
                "other_participants": others,
            },
        )
        activity.departments.set([departments[code] for code in codes])


@transaction.atomic
def seed(*, stdout=None) -> None:
    congress_user = User.objects.filter(username="congress").first()
    if congress_user is None:
        if stdout:
            stdout.write("  跳过：缺少演示用户 congress（请先生成 accounts 演示数据）")
        return
    departments = {d.code: d for d in Department.objects.filter(code__startswith="YZ")}
    staff = {
        u.department.code: u
        for u in User.objects.filter(role=User.Role.DEPARTMENT_STAFF).select_related("department")
        if u.department is not None
    }
    congress_year, _ = CongressYear.objects.get_or_create(
        year=YEAR, defaults={"title": "关于云州市2025年度法治政府建设情况的调研"}
    )
    rng = random.Random(YEAR)
    survey = Survey.objects.filter(congress_year=congress_year).first()
    created = 0
    if survey is None:
        survey = _survey(congress_year, congress_user)
        created = _responses(survey, congress_user, rng)
        _lawyer_tally(survey, rng)
    _opinions(congress_year, departments, staff, congress_user)
    _activities(congress_year, departments)
    if not congress_year.recommendations.exists():
        Recommendation.objects.bulk_create(
            Recommendation(congress_year=congress_year, position=i, title=title, content=content)
            for i, (title, content) in enumerate(RECOMMENDATIONS, start=1)
        )
    if stdout:
        total = survey.responses.count()
        stdout.write(
            f"  {YEAR}年度：问卷 {total} 份（本次新增 {created} 份），审议意见和代表建议 {len(OPINIONS)} 件，"
            f"调研活动 {len(ACTIVITIES)} 次"
        )

"""Synthetic lawgov data at three scales, for benchmarks only (never a real database).

    small     20 units × 2 years (the demo's size)
    city      300 units (1 city: 市政府, 49 bureaus, 10 counties of 1+14+10) × 3 years
    province  3,000 units (10 such cities) × 5 years, about 1.2 M indicator values

What is written: the unit tree and one user per unit plus reviewers, congress staff and an admin;
the default framework loaded for the first year and cloned and published for each later one;
one return per unit and year — past years reviewed and confirmed, the last year in every state —
with values in their typed columns and `raw_input` (rates with numerator ≤ denominator and now and
then a zero denominator, counts, amounts, booleans, dates, choices, text), the five narrative
sections, the transition log, one value-audit row per filled value, evidence metadata (rows only,
no files), review scores for judgement items and a few changed scores, approved adjustments,
score sheets with rank and a breakdown of the real shape, publications of past years, and per year
a congress survey with responses, 审议意见 with assignments, activities and recommendations.

Deterministic: every random choice comes from a generator seeded with (seed, unit code, year,
purpose), so a unit's data does not depend on the order of generation. Fast: the small tree and the
frameworks go through the services; the big tables are streamed with PostgreSQL COPY (bulk_create on
other databases), one table at a time, holding at most one unit-year in memory.

Score sheets are plausible, not computed: their points are drawn per indicator and summed, and the
fingerprint is empty, so `score_sheets_recompute` rewrites every sheet (what its benchmark measures).
"""

import datetime
import hashlib
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from accounts.models import Department, User
from assessments.models import (
    AnnualReturn,
    Evidence,
    IndicatorValue,
    NarrativeSection,
    ReturnTransition,
    ValueChange,
    default_deadline,
)
from assessments.services.completion import completion_recount
from assessments.services.opening import applicable_indicators
from assessments.values import display_raw
from congress.models import (
    Answer,
    Assignment,
    CongressYear,
    DeliberationOpinion,
    HandlingStatus,
    Recommendation,
    Response,
    SurveyActivity,
)
from congress.scales import SCALE_PRESETS, OptionSpec
from congress.services.surveys import question_create, survey_create
from indicators.models import AdjustmentItem, Indicator, IndicatorFramework, ScoringRule, ValueType
from indicators.services import framework_clone, framework_load_default, framework_publish
from reviews.models import Adjustment, Publication, ReviewScore, ScoreSheet

from .copying import RowWriter, next_id, reset_sequences
from .names import BUREAUS, CITY_NAMES, two_syllables

PASSWORD = "Bench#2025"  # noqa: S105 - the shared password of generated benchmark users
LAST_YEAR = 2025
UTC = datetime.UTC
G, D, T = Department.Kind.GOVERNMENT, Department.Kind.WORKING_DEPARTMENT, Department.Kind.TOWNSHIP
Status = AnnualReturn.Status


@dataclass(frozen=True)
class Scale:
    cities: int
    city_bureaus: int
    counties: int
    county_bureaus: int
    townships: int
    years: int
    responses_per_year: int
    # Share of units with an approved adjustment (加减分) per year. The small scale (CI's) takes more, so
    # its 20 units get some and every table the generator writes is written there too.
    adjustment_share: float = 0.05

    @property
    def department_count(self) -> int:
        per_county = 1 + self.county_bureaus + self.townships
        return self.cities * (1 + self.city_bureaus + self.counties * per_county)

    @property
    def year_list(self) -> list[int]:
        return list(range(LAST_YEAR - self.years + 1, LAST_YEAR + 1))


SCALES = {
    "small": Scale(
        cities=1,
        city_bureaus=9,
        counties=2,
        county_bureaus=2,
        townships=2,
        years=2,
        responses_per_year=300,
        adjustment_share=0.25,
    ),
    "city": Scale(
        cities=1, city_bureaus=49, counties=10, county_bureaus=14, townships=10, years=3, responses_per_year=2000
    ),
    "province": Scale(
        cities=10, city_bureaus=49, counties=10, county_bureaus=14, townships=10, years=5, responses_per_year=6000
    ),
}

# The last year's returns: (status, weight). Earlier years are all confirmed.
LAST_YEAR_STATES = (
    (Status.NOT_STARTED, 8),
    (Status.IN_PROGRESS, 17),
    (Status.SUBMITTED, 20),
    (Status.RETURNED, 5),
    (Status.APPROVED, 25),
    (Status.CONFIRMED, 25),
)
SCORED = {Status.APPROVED, Status.CONFIRMED}
SUBMITTED_OR_LATER = {Status.SUBMITTED, Status.RETURNED, Status.APPROVED, Status.CONFIRMED}


def rng_for(seed: int, *parts) -> random.Random:
    """A generator of its own for each (unit, year, purpose): string seeds are hashed with SHA-512
    by `random`, so this is stable across processes and PYTHONHASHSEED."""
    return random.Random(":".join(str(part) for part in (seed, *parts)))


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=UTC)


# --- departments and users -----------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    short_name: str
    kind: str
    level: str
    parent_code: str | None


def _unique(used: set[str], make: Callable[[int], str]) -> str:
    offset = 0
    while (name := make(offset)) in used:
        offset += 1
    used.add(name)
    return name


def unit_tree(scale: Scale) -> Iterator[UnitSpec]:
    """Parents before children: 市政府 → 市直部门; 市政府 → 区县政府 → 区县部门 / 乡镇街道."""
    Level = Department.Level
    for c in range(scale.cities):
        city = CITY_NAMES[c % len(CITY_NAMES)] + ("市" if c < len(CITY_NAMES) else f"{c}市")
        city_code = f"C{c + 1:02d}"
        yield UnitSpec(f"{city_code}000", f"{city}人民政府", "市政府", G, Level.CITY, None)
        for b in range(scale.city_bureaus):
            full, short = BUREAUS[b % len(BUREAUS)]
            suffix = "" if b < len(BUREAUS) else str(b // len(BUREAUS) + 1)
            yield UnitSpec(
                f"{city_code}{b + 1:03d}",
                f"{city}{full}{suffix}",
                f"市{short}{suffix}",
                D,
                Level.CITY,
                f"{city_code}000",
            )
        county_names: set[str] = set()
        for k in range(scale.counties):
            suffix = "区" if k % 3 == 0 else "县"

            def county_name(offset: int, k: int = k, c: int = c, suffix: str = suffix) -> str:
                return two_syllables(k + offset, c) + suffix

            county = _unique(county_names, county_name)
            county_code = f"{city_code}K{k + 1:02d}"
            yield UnitSpec(
                f"{county_code}00", f"{city}{county}人民政府", f"{county}政府", G, Level.COUNTY, f"{city_code}000"
            )
            for b in range(scale.county_bureaus):
                full, short = BUREAUS[b % len(BUREAUS)]
                yield UnitSpec(
                    f"{county_code}{b + 1:02d}",
                    f"{county}{full}",
                    f"{county}{short}",
                    D,
                    Level.COUNTY,
                    f"{county_code}00",
                )
            town_names: set[str] = set()
            for t in range(scale.townships):

                def town_name(offset: int, t: int = t, k: int = k, c: int = c) -> str:
                    return two_syllables(t * 13 + offset, k * 5 + c)

                town = _unique(town_names, town_name)
                label = (
                    ("街道", "街道办事处")
                    if county.endswith("区") and t < 3
                    else (("镇", "镇人民政府") if t % 4 else ("乡", "乡人民政府"))
                )
                yield UnitSpec(
                    f"{county_code}T{t + 1:02d}",
                    f"{county}{town}{label[1]}",
                    f"{town}{label[0]}",
                    T,
                    Level.TOWNSHIP,
                    f"{county_code}00",
                )


def create_departments(scale: Scale) -> list[Department]:
    """Bulk-created in tree order, a level at a time, so parents have ids before their children."""
    specs = list(unit_tree(scale))
    by_code: dict[str, Department] = {}
    for level_of_tree in (0, 1, 2):
        batch = []
        for order, spec in enumerate(specs):
            depth = 0 if spec.parent_code is None else (1 if spec.parent_code.endswith("000") else 2)
            if depth != level_of_tree:
                continue
            batch.append(
                Department(
                    code=spec.code,
                    name=spec.name,
                    short_name=spec.short_name,
                    kind=spec.kind,
                    level=spec.level,
                    parent=by_code.get(spec.parent_code) if spec.parent_code else None,
                    sort_order=order,
                )
            )
        created = Department.objects.bulk_create(batch, batch_size=1000)
        if any(department.pk is None for department in created):
            created = list(Department.objects.filter(code__in=[d.code for d in batch]))
        by_code.update({department.code: department for department in created})
    return [by_code[spec.code] for spec in specs]


@dataclass
class Cast:
    admin: User
    reviewer: User
    second_reviewer: User
    congress: User
    staff: dict[int, int]  # department id → staff user id


def create_users(departments: list[Department]) -> Cast:
    """One 填报员 per unit (staff_<code>), a city-wide reviewer and a second one (four-eyes), a
    reviewer scoped to each county, congress staff and an admin; all with the same password."""
    password = make_password(PASSWORD)
    justice = next(d for d in departments if d.code.endswith("001") and d.level == Department.Level.CITY)
    government = departments[0]
    Role = User.Role
    users = [
        User(username="bench_admin", full_name="系统管理员", role=Role.ADMIN, is_superuser=True, password=password),
        User(username="bench_reviewer", full_name="李审核", role=Role.REVIEWER, department=justice, password=password),
        User(
            username="bench_reviewer2", full_name="孙复核", role=Role.REVIEWER, department=government, password=password
        ),
        User(username="bench_congress", full_name="赵人大", role=Role.CONGRESS, password=password),
    ]
    for department in departments:
        if department.kind == G and department.level == Department.Level.COUNTY:
            users.append(
                User(
                    username=f"reviewer_{department.code}",
                    full_name=f"{department.short_name}审核员",
                    role=Role.REVIEWER,
                    review_scope=department,
                    password=password,
                )
            )
        users.append(
            User(
                username=f"staff_{department.code}",
                full_name=f"{department.short_name}填报员",
                role=Role.DEPARTMENT_STAFF,
                department=department,
                password=password,
            )
        )
    User.objects.bulk_create(users, batch_size=1000)
    by_name = {user.username: user for user in User.objects.filter(username__startswith="bench_")}
    staff = dict(User.objects.filter(role=Role.DEPARTMENT_STAFF).values_list("department_id", "pk"))
    return Cast(
        admin=by_name["bench_admin"],
        reviewer=by_name["bench_reviewer"],
        second_reviewer=by_name["bench_reviewer2"],
        congress=by_name["bench_congress"],
        staff=staff,
    )


def create_frameworks(years: list[int]) -> dict[int, IndicatorFramework]:
    """The shipped default for the first year, cloned and published for each following year."""
    frameworks: dict[int, IndicatorFramework] = {}
    first, _ = framework_load_default(year=years[0], publish=True)
    frameworks[years[0]] = first
    for year in years[1:]:
        frameworks[year] = framework_publish(framework=framework_clone(framework=frameworks[year - 1], year=year))
    return frameworks


# --- values ----------------------------------------------------------------------------------------


TEXT_ANSWERS = (
    "已按要求完成，相关材料已归档备查。",
    "本年度已制定工作方案并组织实施，具体情况见佐证材料。",
    "按照上级部署开展专项工作，形成制度文件3件。",
)


def raw_value(rng: random.Random, indicator: Indicator, year: int, kind: str) -> dict:
    """What a department would type for the indicator: realistic and within the constraints."""
    value_type = indicator.value_type
    if value_type == ValueType.RATE:
        if rng.random() < 0.08:
            return {"numerator": "0", "denominator": "0"}  # 无此类事项
        size = {G.value: 400, D.value: 150, T.value: 40}[kind]
        denominator = max(1, int(rng.lognormvariate(0, 0.8) * size / 2))
        share = 1.0 if rng.random() < 0.55 else rng.uniform(0.80, 1.0)
        return {"numerator": str(min(denominator, round(denominator * share))), "denominator": str(denominator)}
    if value_type == ValueType.COUNT:
        target = int(indicator.target_value or 0)
        if indicator.target_operator == "<=":
            return {"value": str(0 if rng.random() < 0.8 else rng.randint(1, 3))}
        return {"value": str(max(0, target + rng.randint(-1, 6)) if target else rng.randint(0, 120))}
    if value_type == ValueType.AMOUNT:
        return {"value": f"{rng.uniform(0, 500):.2f}"}
    if value_type == ValueType.BOOLEAN:
        return {"value": "是" if rng.random() < 0.92 else "否"}
    if value_type == ValueType.DATE:
        day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randint(20, 360))
        return {"value": day.isoformat()}
    if value_type == ValueType.SINGLE_CHOICE:
        return {"value": rng.choice(indicator.options)} if indicator.options else {"value": ""}
    if value_type == ValueType.MULTIPLE_CHOICE:
        options = indicator.options or []
        return {"choices": [option for option in options if rng.random() < 0.85] or options[:1]}
    if value_type == ValueType.TEXT:
        return {"value": rng.choice(TEXT_ANSWERS)}
    return {}


def typed_columns(indicator: Indicator, raw: dict) -> tuple:
    """(value_integer, value_decimal, numerator, denominator, value_boolean, value_date,
    value_choice, value_choices, value_text) for a raw input made by `raw_value` (always valid)."""
    value_type = indicator.value_type
    empty: list[object] = [None, None, None, None, None, None, "", [], ""]
    if not raw:
        return tuple(empty)
    if value_type == ValueType.RATE:
        empty[2], empty[3] = Decimal(raw["numerator"]), Decimal(raw["denominator"])
    elif value_type == ValueType.COUNT:
        empty[0] = int(raw["value"])
    elif value_type == ValueType.AMOUNT:
        empty[1] = Decimal(raw["value"])
    elif value_type == ValueType.BOOLEAN:
        empty[4] = raw["value"] == "是"
    elif value_type == ValueType.DATE:
        empty[5] = datetime.date.fromisoformat(raw["value"])
    elif value_type == ValueType.SINGLE_CHOICE:
        empty[6] = raw["value"]
    elif value_type == ValueType.MULTIPLE_CHOICE:
        empty[7] = list(raw["choices"])
    elif value_type == ValueType.TEXT:
        empty[8] = raw["value"]
    return tuple(empty)


@dataclass(frozen=True)
class ReturnPlan:
    """Everything decided about one unit's return of one year."""

    return_id: int
    department: Department
    year: int
    status: str
    submitted_at: datetime.datetime | None
    values: list[tuple[Indicator, dict]]  # applicable indicators with what was typed ({} = empty)


def return_status(seed: int, department: Department, year: int) -> str:
    if year < LAST_YEAR:
        return Status.CONFIRMED
    rng = rng_for(seed, department.code, year, "status")
    states, weights = zip(*LAST_YEAR_STATES, strict=True)
    return rng.choices(states, weights)[0]


def plan_return(
    seed: int, return_id: int, department: Department, year: int, indicators: list[Indicator]
) -> ReturnPlan:
    status = return_status(seed, department, year)
    rng = rng_for(seed, department.code, year, "values")
    fill = {Status.NOT_STARTED.value: 0.0, Status.IN_PROGRESS.value: 0.6}.get(status, 1.0)
    values = []
    for indicator in indicators:
        typed = rng.random() < fill and (indicator.required_for_department or rng.random() < 0.85)
        values.append((indicator, raw_value(rng, indicator, year, department.kind) if typed else {}))
    return ReturnPlan(return_id, department, year, status, submitted_time(seed, department, year, status), values)


def submitted_time(seed: int, department: Department, year: int, status: str) -> datetime.datetime | None:
    if status not in SUBMITTED_OR_LATER:
        return None
    rng = rng_for(seed, department.code, year, "submitted")
    return at(year + 1, rng.randint(1, 2), rng.randint(1, 28), rng.randint(8, 17), rng.randint(0, 59))


# --- the generator -----------------------------------------------------------------------------------


NARRATIVE = {
    NarrativeSection.Kind.MEASURES: (
        "{year}年，{name}坚持以习近平法治思想为指导，认真落实法治政府建设实施纲要，完善依法决策机制，"
        "严格规范公正文明执法，全面推行行政执法“三项制度”，重大行政决策均经合法性审核，"
        "行政规范性文件实行备案审查，政务公开标准化规范化水平持续提升。"
    ),
    NarrativeSection.Kind.SHORTCOMINGS: (
        "一是运用法治思维解决问题的能力仍需提高；二是基层执法力量相对薄弱；三是普法针对性不够强。"
    ),
    NarrativeSection.Kind.LEADERSHIP: (
        "主要负责人切实履行推进法治建设第一责任人职责，全年主持召开专题会议研究法治政府建设工作。"
    ),
    NarrativeSection.Kind.NEXT_YEAR: (
        "一是持续学习贯彻习近平法治思想；二是严格落实重大行政决策程序；三是深化行政执法规范化建设。"
    ),
    NarrativeSection.Kind.OTHER: "无。",
}


class Generator:
    def __init__(self, *, scale: Scale, seed: int, stdout=None):
        self.scale = scale
        self.seed = seed
        self.stdout = stdout
        self.timings: dict[str, float] = {}

    def log(self, text: str) -> None:
        if self.stdout is not None:
            self.stdout.write(text)

    def step(self, name: str, function: Callable[[], object]) -> None:
        started = time.monotonic()
        with transaction.atomic():
            result = function()
        self.timings[name] = time.monotonic() - started
        self.log(f"  {name}: {result} ({self.timings[name]:.1f} s)")

    def run(self) -> dict[str, float]:
        if Department.objects.exists() or AnnualReturn.objects.exists():
            raise RuntimeError("generate_data needs an empty database (migrated, nothing seeded).")
        years = self.scale.year_list
        self.step("departments", self._departments)
        self.step("users", self._users)
        self.step("frameworks", lambda: self._frameworks(years))
        self.return_ids: dict[tuple[int, int], int] = {}
        self.step("returns", self._returns)
        self.step("values, audit, review scores", self._values)
        self.step("completion", self._completion)
        self.step("narratives, transitions, evidence", self._return_rows)
        self.step("adjustments, score sheets, publications", self._scores)
        self.step("congress", self._congress)
        reset_sequences(
            [
                AnnualReturn,
                IndicatorValue,
                ValueChange,
                ReviewScore,
                NarrativeSection,
                ReturnTransition,
                Evidence,
                Adjustment,
                ScoreSheet,
                Response,
                Answer,
                DeliberationOpinion,
                Assignment,
            ]
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        return self.timings

    def _completion(self) -> str:
        return f"{completion_recount(AnnualReturn.objects.all())} 份填报的完成度"

    def _departments(self) -> str:
        self.departments = create_departments(self.scale)
        return f"{len(self.departments)} 个单位"

    def _users(self) -> str:
        self.cast = create_users(self.departments)
        return f"{User.objects.count()} 个用户"

    def _frameworks(self, years: list[int]) -> str:
        self.frameworks = create_frameworks(years)
        self.indicators: dict[tuple[int, str], list[Indicator]] = {}
        for year, framework in self.frameworks.items():
            ordered = list(framework.indicators.select_related("group__area").order_by("order", "code"))
            for kind in Department.Kind.values:
                self.indicators[(year, kind)] = applicable_indicators(ordered, kind)
        return f"{len(self.frameworks)} 个年度"

    def plans(self) -> Iterator[ReturnPlan]:
        for year in self.scale.year_list:
            for department in self.departments:
                yield plan_return(
                    self.seed,
                    self.return_ids[(department.pk, year)],
                    department,
                    year,
                    self.indicators[(year, department.kind)],
                )

    def _returns(self) -> str:
        fields = [
            "id",
            "department_id",
            "framework_id",
            "year",
            "status",
            "version",
            "deadline",
            "extended_until",
            "extension_reason",
            "submitted_at",
            "first_submitted_at",
            "submitted_by_id",
            "is_late",
            "self_score",
            "self_score_detail",
            "self_score_computed_at",
            "created_at",
            "updated_at",
        ]
        return_id = next_id(AnnualReturn)
        with RowWriter(AnnualReturn, fields) as write:
            for year in self.scale.year_list:
                for department in self.departments:
                    self.return_ids[(department.pk, year)] = return_id
                    status = return_status(self.seed, department, year)
                    rng = rng_for(self.seed, department.code, year, "return")
                    submitted = submitted_time(self.seed, department, year, status)
                    is_submitted = status in SUBMITTED_OR_LATER
                    versions: dict[str, int] = {
                        Status.NOT_STARTED: 1,
                        Status.IN_PROGRESS: 2,
                        Status.SUBMITTED: 3,
                        Status.RETURNED: 4,
                        Status.APPROVED: 4,
                        Status.CONFIRMED: 5,
                    }
                    write(
                        (
                            return_id,
                            department.pk,
                            self.frameworks[year].pk,
                            year,
                            status,
                            versions[status],
                            default_deadline(year),
                            None,
                            "",
                            submitted,
                            submitted,
                            self.cast.staff[department.pk] if is_submitted else None,
                            False,
                            Decimal(f"{rng.uniform(82, 99.5):.2f}") if is_submitted else None,
                            {},
                            submitted,
                            at(year, 12, 1),
                            submitted or at(year + 1, 1, 15),
                        )
                    )
                    return_id += 1
        return f"{len(self.return_ids)} 份填报"

    def _values(self) -> str:
        value_fields = [
            "id",
            "annual_return_id",
            "indicator_id",
            "value_integer",
            "value_decimal",
            "numerator",
            "denominator",
            "value_boolean",
            "value_date",
            "value_choice",
            "value_choices",
            "value_text",
            "raw_input",
            "input_error",
            "explanation",
            "is_reopened",
            "reviewer_comment",
            "reopened_at",
            "reopened_by_id",
            "version",
            "updated_at",
            "updated_by_id",
        ]
        change_fields = [
            "id",
            "annual_return_id",
            "indicator_id",
            "narrative_kind",
            "field",
            "old_value",
            "new_value",
            "user_id",
            "source",
            "changed_at",
        ]
        value_id, change_id = next_id(IndicatorValue), next_id(ValueChange)
        reviewer = self.cast.reviewer.pk
        with RowWriter(IndicatorValue, value_fields) as write:
            for plan in self.plans():
                staff = self.cast.staff[plan.department.pk]
                changed = plan.submitted_at or at(plan.year + 1, 1, 20)
                reopen = plan.status == Status.RETURNED
                for position, (indicator, raw) in enumerate(plan.values):
                    is_reopened = reopen and position % 29 == 3
                    write(
                        (
                            value_id,
                            plan.return_id,
                            indicator.pk,
                            *typed_columns(indicator, raw),
                            raw,
                            "",
                            "",
                            is_reopened,
                            "请核实数据并补充说明。" if is_reopened else "",
                            changed if is_reopened else None,
                            reviewer if is_reopened else None,
                            2 if raw else 1,
                            changed,
                            staff if raw else None,
                        )
                    )
                    value_id += 1
        with RowWriter(ValueChange, change_fields) as write:
            for plan in self.plans():
                staff = self.cast.staff[plan.department.pk]
                changed = plan.submitted_at or at(plan.year + 1, 1, 20)
                for indicator, raw in plan.values:
                    if raw:
                        text = display_raw(indicator.value_type, raw)
                        write((change_id, plan.return_id, indicator.pk, "", "value", "", text, staff, "form", changed))
                        change_id += 1
        scores = self._review_scores()
        return (
            f"{IndicatorValue.objects.count()} 个填报值，{ValueChange.objects.count()} 条修改记录，{scores} 条审核评分"
        )

    def _review_scores(self) -> int:
        fields = [
            "id",
            "annual_return_id",
            "indicator_id",
            "claimed_display",
            "verified_raw",
            "verified_display",
            "max_points",
            "automatic_points",
            "points",
            "final_points",
            "is_judgement",
            "reason",
            "reviewer_id",
            "reviewed_at",
            "version",
        ]
        score_id = next_id(ReviewScore)
        first = score_id
        reviewer = self.cast.reviewer.pk
        with RowWriter(ReviewScore, fields) as write:
            for plan in self.plans():
                if plan.status not in SCORED or plan.submitted_at is None:  # scored returns were submitted
                    continue
                rng = rng_for(self.seed, plan.department.code, plan.year, "review")
                reviewed = plan.submitted_at + datetime.timedelta(days=rng.randint(3, 20))
                for indicator, raw in plan.values:
                    judgement = indicator.scoring_rule == ScoringRule.JUDGEMENT
                    if not judgement and rng.random() > 0.03:
                        continue
                    max_points = indicator.max_points
                    points = (max_points * Decimal(rng.choice(("1", "1", "0.75", "0.5")))).quantize(Decimal("0.01"))
                    automatic = None if judgement else max_points
                    reason = "" if automatic == points else "佐证材料不完整，酌情扣分。"
                    write(
                        (
                            score_id,
                            plan.return_id,
                            indicator.pk,
                            display_raw(indicator.value_type, raw),
                            {},
                            "",
                            max_points,
                            automatic,
                            points,
                            None,
                            judgement,
                            reason or ("审核评定" if judgement else ""),
                            reviewer,
                            reviewed,
                            1,
                        )
                    )
                    score_id += 1
        return score_id - first

    def _return_rows(self) -> str:
        narrative_fields = [
            "id",
            "annual_return_id",
            "kind",
            "text",
            "is_reopened",
            "reviewer_comment",
            "version",
            "updated_at",
            "updated_by_id",
        ]
        section_id = next_id(NarrativeSection)
        with RowWriter(NarrativeSection, narrative_fields) as write:
            for year in self.scale.year_list:
                for department in self.departments:
                    return_id = self.return_ids[(department.pk, year)]
                    status = return_status(self.seed, department, year)
                    filled = status != Status.NOT_STARTED
                    for kind, text in NARRATIVE.items():
                        write(
                            (
                                section_id,
                                return_id,
                                kind,
                                text.format(year=year, name=department.name) if filled else "",
                                False,
                                "",
                                2 if filled else 1,
                                at(year + 1, 1, 25),
                                self.cast.staff[department.pk] if filled else None,
                            )
                        )
                        section_id += 1
        transitions = self._transitions()
        evidence = self._evidence()
        return f"{section_id - 1} 段文字，{transitions} 条状态记录，{evidence} 份佐证材料"

    def _transitions(self) -> int:
        fields = ["id", "annual_return_id", "from_status", "to_status", "action", "user_id", "comment", "created_at"]
        steps: dict[str, list[tuple[str, str, str]]] = {
            Status.NOT_STARTED: [],
            Status.IN_PROGRESS: [("start", Status.NOT_STARTED, Status.IN_PROGRESS)],
            Status.SUBMITTED: [("start", "not_started", "in_progress"), ("submit", "in_progress", "submitted")],
            Status.RETURNED: [
                ("start", "not_started", "in_progress"),
                ("submit", "in_progress", "submitted"),
                ("return", "submitted", "returned"),
            ],
            Status.APPROVED: [
                ("start", "not_started", "in_progress"),
                ("submit", "in_progress", "submitted"),
                ("approve", "submitted", "approved"),
            ],
            Status.CONFIRMED: [
                ("start", "not_started", "in_progress"),
                ("submit", "in_progress", "submitted"),
                ("approve", "submitted", "approved"),
                ("confirm", "approved", "confirmed"),
            ],
        }
        transition_id = next_id(ReturnTransition)
        first = transition_id
        with RowWriter(ReturnTransition, fields) as write:
            for year in self.scale.year_list:
                for department in self.departments:
                    return_id = self.return_ids[(department.pk, year)]
                    status = return_status(self.seed, department, year)
                    when = at(year, 12, 1)
                    write(
                        (
                            transition_id,
                            return_id,
                            "not_started",
                            "not_started",
                            "open",
                            None,
                            f"开启{year}年度填报",
                            when,
                        )
                    )
                    transition_id += 1
                    for number, (action, source, target) in enumerate(steps[status], start=1):
                        user = (
                            self.cast.staff[department.pk] if action in ("start", "submit") else self.cast.reviewer.pk
                        )
                        comment = "请核实数据并补充说明。" if action == "return" else ""
                        when = at(year + 1, 1 + number // 2, 1 + number * 5)
                        write((transition_id, return_id, source, target, action, user, comment, when))
                        transition_id += 1
        return transition_id - first

    def _evidence(self) -> int:
        fields = [
            "id",
            "annual_return_id",
            "indicator_id",
            "file",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "description",
            "uploaded_by_id",
            "uploaded_at",
            "deleted_at",
            "deleted_by_id",
        ]
        evidence_id = next_id(Evidence)
        first = evidence_id
        with RowWriter(Evidence, fields) as write:
            for year in self.scale.year_list:
                for department in self.departments:
                    status = return_status(self.seed, department, year)
                    if status not in SUBMITTED_OR_LATER:
                        continue
                    return_id = self.return_ids[(department.pk, year)]
                    rng = rng_for(self.seed, department.code, year, "evidence")
                    required = [i for i in self.indicators[(year, department.kind)] if i.is_evidence_required]
                    for indicator in [None, *required]:
                        digest = hashlib.sha256(
                            f"{self.seed}:{return_id}:{indicator and indicator.pk}".encode()
                        ).hexdigest()
                        name = f"{indicator.code}佐证材料.pdf" if indicator else f"{year}年度法治政府建设情况报告.pdf"
                        write(
                            (
                                evidence_id,
                                return_id,
                                indicator.pk if indicator else None,
                                f"evidence/{year}/{digest[:32]}.pdf",
                                name,
                                "application/pdf",
                                rng.randint(80_000, 4_000_000),
                                digest,
                                "",
                                self.cast.staff[department.pk],
                                at(year + 1, 1, rng.randint(1, 28)),
                                None,
                                None,
                            )
                        )
                        evidence_id += 1
        return evidence_id - first

    def _scores(self) -> str:
        adjustments = self._adjustments()
        sheets = self._score_sheets()
        for year in self.scale.year_list[:-1]:
            Publication.objects.create(
                year=year,
                status=Publication.Status.FINAL,
                appeal_deadline=datetime.date(year + 1, 4, 15),
                is_ranking_public=True,
                published_by=self.cast.reviewer,
                finalised_by=self.cast.second_reviewer,
                finalised_at=at(year + 1, 4, 30),
            )
        return f"{adjustments} 条加减分，{sheets} 张得分表"

    def _adjustment_plan(self, department: Department, year: int) -> tuple[AdjustmentItem, int] | None:
        rng = rng_for(self.seed, department.code, year, "adjustment")
        if rng.random() > self.scale.adjustment_share:
            return None
        items = self.adjustment_items[year]
        return rng.choice(items), rng.randint(1, 2)

    def _adjustments(self) -> int:
        self.adjustment_items = {
            year: list(framework.adjustment_items.exclude(kind=AdjustmentItem.Kind.VETO).order_by("code"))
            for year, framework in self.frameworks.items()
        }
        fields = [
            "id",
            "department_id",
            "year",
            "item_id",
            "kind",
            "occurrences",
            "points",
            "final_points",
            "reason",
            "evidence",
            "evidence_name",
            "evidence_content_type",
            "status",
            "entered_by_id",
            "entered_at",
            "approved_by_id",
            "approved_at",
            "decision_note",
        ]
        adjustment_id = next_id(Adjustment)
        first = adjustment_id
        with RowWriter(Adjustment, fields) as write:
            for year in self.scale.year_list:
                for department in self.departments:
                    plan = self._adjustment_plan(department, year)
                    if plan is None:
                        continue
                    item, occurrences = plan
                    points = item.points * occurrences
                    if item.max_points is not None:
                        points = min(points, item.max_points)
                    write(
                        (
                            adjustment_id,
                            department.pk,
                            year,
                            item.pk,
                            item.kind,
                            occurrences,
                            points,
                            None,
                            f"{department.name}{item.name}",
                            "",
                            "",
                            "",
                            Adjustment.Status.APPROVED,
                            self.cast.reviewer.pk,
                            at(year + 1, 3, 10),
                            self.cast.second_reviewer.pk,
                            at(year + 1, 3, 12),
                            "",
                        )
                    )
                    adjustment_id += 1
        return adjustment_id - first

    def _sheet_numbers(self, department: Department, year: int) -> tuple[dict, dict, Decimal]:
        """(breakdown areas, area points, earned) drawn per indicator, in the stored breakdown's shape."""
        rng = rng_for(self.seed, department.code, year, "sheet")
        areas: dict[str, dict] = {}
        for indicator in self.indicators[(year, department.kind)]:
            group, area = indicator.group, indicator.group.area
            max_points = indicator.max_points
            share = Decimal(rng.choice(("1",) * 17 + ("0.5", "0.75", "0")))
            points = (max_points * share).quantize(Decimal("0.01"))
            area_entry = areas.setdefault(
                area.code,
                {
                    "code": area.code,
                    "name": area.name,
                    "points": Decimal(0),
                    "max_points": area.max_points,
                    "applicable_max": Decimal(0),
                    "groups": {},
                },
            )
            group_entry = area_entry["groups"].setdefault(
                group.code,
                {
                    "code": group.code,
                    "name": group.name,
                    "points": Decimal(0),
                    "max_points": group.max_points,
                    "applicable_max": Decimal(0),
                    "indicators": [],
                },
            )
            group_entry["indicators"].append(
                {
                    "code": indicator.code,
                    "name": indicator.name,
                    "rule": indicator.scoring_rule,
                    "points": f"{points:f}",
                    "max_points": f"{max_points:f}",
                    "automatic_points": f"{points:f}",
                    "initial_points": None,
                    "final_points": None,
                    "source": "rules",
                    "explanation": "达到目标" if share == 1 else "未达到目标",
                }
            )
            for entry in (area_entry, group_entry):
                entry["points"] += points
                entry["applicable_max"] += max_points
        earned = sum((area["points"] for area in areas.values()), Decimal(0))
        applicable = sum((area["applicable_max"] for area in areas.values()), Decimal(0))
        area_points = {code: area["points"] for code, area in areas.items()}
        for area_entry in areas.values():
            area_entry["groups"] = list(area_entry["groups"].values())
            for entry in (area_entry, *area_entry["groups"]):
                for key in ("points", "max_points", "applicable_max"):
                    entry[key] = f"{entry[key]:f}"
        base = (earned / applicable * 100).quantize(Decimal("0.01")) if applicable else Decimal(0)
        return {"areas": list(areas.values()), "applicable_max": applicable, "earned": earned}, area_points, base

    def _score_sheets(self) -> int:
        fields = [
            "id",
            "department_id",
            "year",
            "framework_id",
            "annual_return_id",
            "department_kind",
            "earned",
            "applicable_max",
            "base_score",
            "bonus",
            "deductions",
            "total",
            "is_vetoed",
            "grade",
            "area_points",
            "breakdown",
            "fingerprint",
            "rank",
            "rank_in_kind",
            "is_final",
            "computed_at",
            "version",
        ]
        sheet_id = next_id(ScoreSheet)
        first = sheet_id
        # No query may run while a COPY holds the connection: read what is needed first.
        thresholds_of = {year: list(framework.grade_thresholds.all()) for year, framework in self.frameworks.items()}
        with RowWriter(ScoreSheet, fields) as write:
            for year in self.scale.year_list:
                framework = self.frameworks[year]
                thresholds = thresholds_of[year]
                totals = []
                for department in self.departments:
                    if return_status(self.seed, department, year) not in SCORED:
                        continue
                    _, _, base = self._sheet_numbers(department, year)
                    bonus, deductions = self._adjustment_points(department, year)
                    total = max(Decimal(0), base + min(bonus, framework.bonus_cap) - deductions)
                    totals.append((department, total, min(bonus, framework.bonus_cap), deductions))
                ranks = _competition_ranks([total for _, total, _, _ in totals])
                in_kind = {}
                for kind in Department.Kind.values:
                    members = [i for i, (department, *_) in enumerate(totals) if department.kind == kind]
                    kind_ranks = _competition_ranks([totals[i][1] for i in members])
                    in_kind.update(dict(zip(members, kind_ranks, strict=True)))
                for index, (department, total, bonus, deductions) in enumerate(totals):
                    breakdown, area_points, base = self._sheet_numbers(department, year)
                    grade = _grade(thresholds, department.kind, total)
                    return_id = self.return_ids[(department.pk, year)]
                    document = {
                        "framework": {
                            "id": framework.pk,
                            "name": framework.name,
                            "year": year,
                            "version": framework.version,
                        },
                        "department": {
                            "id": department.pk,
                            "code": department.code,
                            "name": department.name,
                            "kind": department.kind,
                        },
                        "annual_return": {"id": return_id, "status": return_status(self.seed, department, year)},
                        "areas": breakdown["areas"],
                        "excluded": [],
                        "adjustments": [],
                        "totals": {
                            "earned": f"{breakdown['earned']:f}",
                            "applicable_max": f"{breakdown['applicable_max']:f}",
                            "base_score": f"{base:f}",
                            "bonus": f"{bonus:f}",
                            "deductions": f"{deductions:f}",
                            "total": f"{total:f}",
                            "is_vetoed": False,
                            "grade": grade,
                        },
                    }
                    write(
                        (
                            sheet_id,
                            department.pk,
                            year,
                            framework.pk,
                            return_id,
                            department.kind,
                            breakdown["earned"],
                            breakdown["applicable_max"],
                            base,
                            bonus,
                            deductions,
                            total,
                            False,
                            grade,
                            {code: f"{points:f}" for code, points in area_points.items()},
                            document,
                            "",
                            ranks[index],
                            in_kind[index],
                            year < LAST_YEAR,
                            at(year + 1, 3, 20),
                            1,
                        )
                    )
                    sheet_id += 1
        return sheet_id - first

    def _adjustment_points(self, department: Department, year: int) -> tuple[Decimal, Decimal]:
        plan = self._adjustment_plan(department, year)
        if plan is None:
            return Decimal(0), Decimal(0)
        item, occurrences = plan
        points = item.points * occurrences
        if item.max_points is not None:
            points = min(points, item.max_points)
        return (points, Decimal(0)) if item.kind == AdjustmentItem.Kind.BONUS else (Decimal(0), points)

    def _congress(self) -> str:
        responses = answers = opinions = 0
        for year in self.scale.year_list:
            r, a = self._survey(year)
            responses, answers = responses + r, answers + a
            opinions += self._opinions(year)
        return f"{responses} 份答卷，{answers} 个回答，{opinions} 条审议意见和代表建议"

    def _survey(self, year: int) -> tuple[int, int]:
        congress_year = CongressYear.objects.create(year=year, title=f"{year}年度法治政府建设情况专题调研")
        user = self.cast.congress
        survey = survey_create(
            congress_year=congress_year,
            title=f"{year}年度法治政府建设社情民意调查",
            method="委托社情民意调查中心电话访谈，并在政务服务中心现场发放问卷",
            started_on=datetime.date(year, 10, 9),
            ended_on=datetime.date(year, 11, 14),
            user=user,
        )
        presets = ("good5", "done4", "satisfied5", "good5", "satisfied5", "done4", "good5", "satisfied5")
        for number, preset in enumerate(presets, start=1):
            question_create(
                survey=survey,
                number=number,
                text=f"第{number}项工作评价（{SCALE_PRESETS[preset][0]}）",
                kind="single",
                options=SCALE_PRESETS[preset][1],
                user=user,
            )
        problems = tuple(
            OptionSpec(label)
            for label in ("多头多重执法", "执法不作为", "执法“一刀切”", "选择性执法", "以罚代管", "程序不规范")
        )
        question_create(
            survey=survey,
            number=9,
            text="您认为行政执法中比较突出的问题有哪些（可多选）",
            kind="multiple",
            options=problems,
            user=user,
        )
        question_create(
            survey=survey, number=10, text="您对法治政府建设有什么意见和建议", kind="open", options=(), user=user
        )
        groups = list(survey.groups.order_by("sort_order"))
        questions = [
            (question, list(question.options.order_by("sort_order")))
            for question in survey.questions.order_by("number")
        ]
        response_id, answer_id = next_id(Response), next_id(Answer)
        first_response, first_answer = response_id, answer_id
        rng = rng_for(self.seed, "survey", year)
        response_fields = [
            "id",
            "survey_id",
            "group_id",
            "reference",
            "is_valid",
            "source",
            "created_by_id",
            "created_at",
        ]
        with RowWriter(Response, response_fields) as write:
            for index in range(self.scale.responses_per_year):
                group = groups[index % len(groups)]
                write(
                    (
                        response_id + index,
                        survey.pk,
                        group.pk,
                        f"{year}-{index + 1:06d}",
                        rng.random() > 0.03,
                        "import",
                        user.pk,
                        at(year, 11, 20),
                    )
                )
        rng = rng_for(self.seed, "answers", year)
        with RowWriter(Answer, ["id", "response_id", "question_id", "option_id", "text"]) as write:
            for index in range(self.scale.responses_per_year):
                satisfied_chance = 0.80 + 0.03 * (index % len(groups))
                for question, options in questions:
                    if question.kind == "single":
                        if rng.random() < 0.04:
                            continue
                        pool = [o for o in options if o.counts_as_satisfied == (rng.random() < satisfied_chance)]
                        write((answer_id, response_id + index, question.pk, rng.choice(pool or options).pk, ""))
                        answer_id += 1
                    elif question.kind == "multiple":
                        for option, weight in zip(options, (0.27, 0.23, 0.21, 0.12, 0.10, 0.08), strict=True):
                            if rng.random() < weight:
                                write((answer_id, response_id + index, question.pk, option.pk, ""))
                                answer_id += 1
                    elif rng.random() < 0.12:
                        write((answer_id, response_id + index, question.pk, None, rng.choice(TEXT_ANSWERS)))
                        answer_id += 1
        SurveyActivity.objects.bulk_create(
            SurveyActivity(
                congress_year=congress_year, kind=kind, subject=f"{year}年{label}", held_on=datetime.date(year, m, 10)
            )
            for m, (kind, label) in enumerate(
                [
                    ("forum", "法治政府建设座谈会"),
                    ("site_visit", "基层执法实地走访"),
                    ("letter", "向有关部门去函了解情况"),
                    ("briefing", "听取政府工作汇报"),
                ],
                start=5,
            )
        )
        Recommendation.objects.bulk_create(
            Recommendation(
                congress_year=congress_year, position=p, title=title, content=f"{title}。建议政府及其部门认真研究落实。"
            )
            for p, title in enumerate(("持续深化依法行政", "规范涉企行政检查", "加强基层执法队伍建设"), start=1)
        )
        return response_id + self.scale.responses_per_year - first_response, answer_id - first_answer

    def _opinions(self, year: int) -> int:
        congress_year = CongressYear.objects.get(year=year)
        rng = rng_for(self.seed, "opinions", year)
        count = max(6, len(self.departments) // 10)
        opinion_id, assignment_id = next_id(DeliberationOpinion), next_id(Assignment)
        plans = []
        fields = [
            "id",
            "congress_year_id",
            "kind",
            "number",
            "title",
            "content",
            "proposer",
            "received_on",
            "reviewed_at",
            "reviewed_by_id",
            "review_note",
            "created_at",
        ]
        with RowWriter(DeliberationOpinion, fields) as write:
            for index in range(count):
                kind = "opinion" if index % 4 == 0 else "suggestion"
                number = f"第{index + 1}项" if kind == "opinion" else f"第{index + 1}号"
                write(
                    (
                        opinion_id + index,
                        congress_year.pk,
                        kind,
                        number,
                        f"关于改进{rng.choice(BUREAUS)[0]}执法工作的建议",
                        "建议进一步规范执法程序，加强执法监督。",
                        "市人大常委会" if kind == "opinion" else "王代表等",
                        datetime.date(year, 3, 15),
                        None,
                        None,
                        "",
                        at(year, 3, 15),
                    )
                )
                plans.append(rng.sample(self.departments, k=min(len(self.departments), rng.randint(1, 3))))
        statuses = list(HandlingStatus.values)
        fields = [
            "id",
            "opinion_id",
            "department_id",
            "deadline",
            "status",
            "answer",
            "answered_at",
            "answered_by_id",
            "version",
        ]
        with RowWriter(Assignment, fields) as write:
            for index, departments in enumerate(plans):
                for department in departments:
                    answered = year < LAST_YEAR or rng.random() < 0.6
                    write(
                        (
                            assignment_id,
                            opinion_id + index,
                            department.pk,
                            datetime.date(year, 6, 30),
                            rng.choice(statuses) if answered else "",
                            "已按建议落实整改。" if answered else "",
                            at(year, 6, 20) if answered else None,
                            self.cast.staff[department.pk] if answered else None,
                            1,
                        )
                    )
                    assignment_id += 1
        return count


def _competition_ranks(totals: list[Decimal]) -> list[int]:
    """Ranks 1, 2, 2, 4 for the totals in their given order."""
    order = sorted(range(len(totals)), key=lambda i: -totals[i])
    ranks = [0] * len(totals)
    previous, previous_rank = None, 0
    for position, index in enumerate(order, start=1):
        rank = previous_rank if totals[index] == previous else position
        ranks[index] = rank
        previous, previous_rank = totals[index], rank
    return ranks


def _grade(thresholds, kind: str, total: Decimal) -> str:
    own = [t for t in thresholds if t.department_kind == kind] or [t for t in thresholds if not t.department_kind]
    for threshold in sorted(own, key=lambda t: -t.min_score):
        if total >= threshold.min_score:
            return threshold.grade
    return "fail"


def generate(*, scale: str, seed: int, stdout=None) -> dict[str, float]:
    return Generator(scale=SCALES[scale], seed=seed, stdout=stdout).run()

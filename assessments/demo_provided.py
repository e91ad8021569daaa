"""Demo of provided figures (issue 20): 云州市中级人民法院 provides the litigation figures (G2.1, G2.2,
G2.5, G2.6) and 云州市信访局 the petition figure (G3.3) for every unit, 2025. The units had reported
these themselves before (the returns demo filled them): the first provision keeps their figures for
comparison (过渡期), and a few of the court's figures differ. 市公安局 disputes one (open); 市市场监管局
disputed one and the court kept it. Idempotent: cells already provided and existing disputes are left."""

from accounts.models import Department, User
from indicators.models import Indicator, IndicatorFramework
from indicators.provisions import indicator_provision_set

from .demo import _rng
from .models import AnnualReturn, IndicatorValue, ProvidedValue, ProvidedValueDispute
from .selectors.provided import unit_raw
from .services.provided import (
    ProvidedInput,
    provided_value_dispute_answer,
    provided_value_dispute_raise,
    provided_values_save,
)

YEAR = 2025
PROVISIONS = {"YZ090": ("G2.1", "G2.2", "G2.5", "G2.6"), "YZ011": ("G3.3",)}
PROVIDER_USERS = {"YZ090": "provider_court", "YZ011": "provider_xinfang"}


def seed(*, stdout=None) -> None:
    framework = IndicatorFramework.objects.filter(year=YEAR, status=IndicatorFramework.Status.PUBLISHED).first()
    providers = {department.code: department for department in Department.objects.filter(code__in=PROVISIONS)}
    if framework is None or len(providers) < len(PROVISIONS):
        if stdout:
            stdout.write("  跳过提供数据：需要先有 2025 年度指标体系和数据提供单位。")
        return
    written = 0
    for code, indicator_codes in PROVISIONS.items():
        provider = providers[code]
        user = User.objects.get(username=PROVIDER_USERS[code])
        indicators = list(Indicator.objects.filter(framework=framework, code__in=indicator_codes))
        for indicator in indicators:
            if not _is_provided_by(indicator, provider):
                indicator_provision_set(indicator=indicator, provider=provider)
        written += _provide(provider, user, indicators)
    _disputes()
    if stdout:
        stdout.write(f"  提供数据：市中级人民法院、市信访局为各单位提供 {written} 项 2025 年度数据")


def _is_provided_by(indicator: Indicator, provider: Department) -> bool:
    provision = indicator.provision
    return provision is not None and provision.provider_id == provider.pk


def _provide(provider: Department, user: User, indicators: list[Indicator]) -> int:
    done = set(
        ProvidedValue.objects.filter(indicator__in=indicators, provider=provider).values_list(
            "annual_return_id", "indicator_id"
        )
    )
    rows = (
        IndicatorValue.objects.filter(annual_return__year=YEAR, indicator__in=indicators)
        .exclude(annual_return__status=AnnualReturn.Status.CONFIRMED)
        .select_related("indicator", "annual_return__department")
        .order_by("annual_return__department__sort_order", "indicator__order")
    )
    inputs = []
    for row in rows:
        if (row.annual_return_id, row.indicator_id) in done:
            continue
        for part, text in _figures(row).items():
            inputs.append(ProvidedInput(row.annual_return_id, row.indicator_id, part, text, 0))
    if inputs:
        provided_values_save(provider=provider, inputs=inputs, user=user)
    return len({(item.return_id, item.indicator_id) for item in inputs})


def _figures(row: IndicatorValue) -> dict[str, str]:
    """The provider's figure: the unit's own where it had one, and for about one unit in four a
    different count (the court's records differ), so the review page has something to flag."""
    indicator = row.indicator
    rng = _rng("provided", row.annual_return.department.code, indicator.code)
    own = unit_raw(indicator, row)
    differs = rng.random() < 0.25
    if indicator.is_rate:
        denominator = _number(own.get("denominator"), rng.randint(4, 30))
        numerator = min(_number(own.get("numerator"), denominator), denominator)
        if differs:
            denominator += rng.randint(2, 6)
            numerator = min(denominator, numerator + rng.randint(0, 2))
        return {"numerator": str(numerator), "denominator": str(denominator)}
    value = _number(own.get("value"), rng.randint(0, 25))
    return {"value": str(value + rng.randint(3, 9) if differs else value)}


def _number(text: object, default: int) -> int:
    try:
        return int(float(str(text)))
    except ValueError:
        return default


def _disputes() -> None:
    if ProvidedValueDispute.objects.exists():
        return
    police = _value("YZ002", "G2.2")
    if police is not None:
        staff = User.objects.get(username="staff_police")
        provided_value_dispute_raise(
            value=police,
            reason="我局 2025 年一审审结的行政诉讼案件中有 1 件已二审改判胜诉，不应计为败诉，请核减。",
            user=staff,
        )
    market = _value("YZ003", "G2.5")
    if market is not None:
        staff = User.objects.get(username="staff_market")
        dispute = provided_value_dispute_raise(
            value=market, reason="案件数与我局台账不一致，我局台账为结案口径。", user=staff
        )
        provided_value_dispute_answer(
            dispute=dispute,
            provider=market.provider,
            answer="本院按立案口径统计，与全市其他单位一致，维持原数。",
            corrected=None,
            user=User.objects.get(username="provider_court"),
        )


def _value(department_code: str, indicator_code: str) -> ProvidedValue | None:
    return (
        ProvidedValue.objects.filter(
            annual_return__year=YEAR, annual_return__department__code=department_code, indicator__code=indicator_code
        )
        .select_related("indicator", "annual_return__department", "provider")
        .first()
    )

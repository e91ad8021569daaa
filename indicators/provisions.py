"""Settling who provides an indicator's figures (数据提供单位, IndicatorProvision), and naming the
unit that provides them for a given unit (数据来源：…). A published edition's tree is kept per
process (selectors.framework_tree, keyed on the framework's updated_at), so a change of source
touches the framework's updated_at: every process reloads the tree."""

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User
from accounts.selectors import AgencyDirectory, agency_directory
from audit.services import audit_record

from .models import Indicator, IndicatorFramework, IndicatorProvision, ProvidedPart


def _touch(framework_id: int) -> None:
    IndicatorFramework.objects.filter(pk=framework_id).update(updated_at=timezone.now())


@transaction.atomic
def indicator_provision_set(
    *,
    indicator: Indicator,
    provider: Department | None = None,
    provider_agency: str = "",
    part: str = ProvidedPart.WHOLE,
    difference_percent: Decimal | None = None,
    user: User | None = None,
) -> IndicatorProvision:
    """Mark the indicator (or one part of a rate) as provided by `provider`, or by each unit's own
    agency of the kind `provider_agency` (Department.Agency); exactly one of the two. Idempotent."""
    provision = IndicatorProvision.objects.filter(indicator=indicator).first()
    before = (
        {"provider": provision.provider_id, "provider_agency": provision.provider_agency, "part": provision.part}
        if provision
        else None
    )
    if provision is None:
        provision = IndicatorProvision(indicator=indicator)
    provision.provider, provision.provider_agency, provision.part = provider, provider_agency, part
    if difference_percent is not None:
        provision.difference_percent = difference_percent
    provision.full_clean()
    provision.save()
    _touch(indicator.framework_id)
    audit_record(
        action="provision_set",
        user=user,
        obj=provision,
        before=before,
        after={"provider": provider.pk if provider else None, "provider_agency": provider_agency, "part": part},
    )
    return provision


@transaction.atomic
def indicator_provision_remove(*, provision: IndicatorProvision, user: User | None = None) -> None:
    framework_id, provision_id = provision.indicator.framework_id, provision.pk
    before = {
        "indicator": provision.indicator_id,
        "provider": provision.provider_id,
        "provider_agency": provision.provider_agency,
        "part": provision.part,
    }
    provision.delete()
    _touch(framework_id)
    audit_record(
        action="provision_remove",
        user=user,
        object_type=IndicatorProvision._meta.label,
        object_id=provision_id,
        before=before,
    )


# --- naming the source for a unit ---------------------------------------------------------------


def provision_provider(
    provision: IndicatorProvision, unit_id: int, directory: AgencyDirectory | None
) -> Department | None:
    """The unit that provides the figure for this unit: the named one, or the unit's own agency of
    the kind (None: no such agency above the unit — the figure waits for the tree to have one)."""
    if provision.provider is not None:
        return provision.provider
    if directory is None:
        directory = agency_directory()
    return directory.agency_for(unit_id, provision.provider_agency)


def needs_directory(indicators: Iterable[Indicator]) -> bool:
    return any((provision := indicator.provision) is not None and provision.is_by_agency for indicator in indicators)


def source_text(provision: IndicatorProvision, providers: Iterable[Department | None]) -> str:
    """数据来源：市中级人民法院 — one unit, a few named, or the kind when many units provide it (a
    government's report over ten districts: 数据来源：各人民法院)."""
    names = list(dict.fromkeys(provider.display_name for provider in providers if provider is not None))
    if not names:
        return f"数据来源：{provision.get_provider_agency_display()}（未找到提供单位）"
    if len(names) > 3:
        return f"数据来源：各{provision.provider_label}"
    return f"数据来源：{'、'.join(names)}"


def provision_sources(indicators: Iterable[Indicator], unit_ids: Iterable[int]) -> dict[int, str]:
    """数据来源 of each provided indicator, by indicator id, for one unit or for the units a total
    adds up (a government's report). At most one query (the tree, when a source is a kind of unit)."""
    indicators = list(indicators)
    unit_ids = list(unit_ids)
    directory = agency_directory() if needs_directory(indicators) else None
    sources = {}
    for indicator in indicators:
        provision = indicator.provision
        if provision is None:
            continue
        if provision.provider is not None:
            sources[indicator.pk] = source_text(provision, [provision.provider])
        elif not unit_ids:  # a total over no unit yet: the kind of unit, not a missing one
            sources[indicator.pk] = f"数据来源：各{provision.provider_label}"
        else:
            sources[indicator.pk] = source_text(
                provision, (provision_provider(provision, unit_id, directory) for unit_id in unit_ids)
            )
    return sources

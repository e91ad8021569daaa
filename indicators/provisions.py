"""Settling who provides an indicator's figures (数据提供单位, IndicatorProvision). A published
edition's tree is kept per process (selectors.framework_tree, keyed on the framework's updated_at),
so a change of source touches the framework's updated_at: every process reloads the tree."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User
from audit.services import audit_record

from .models import Indicator, IndicatorFramework, IndicatorProvision, ProvidedPart


def _touch(framework_id: int) -> None:
    IndicatorFramework.objects.filter(pk=framework_id).update(updated_at=timezone.now())


@transaction.atomic
def indicator_provision_set(
    *,
    indicator: Indicator,
    provider: Department,
    part: str = ProvidedPart.WHOLE,
    difference_percent: Decimal | None = None,
    user: User | None = None,
) -> IndicatorProvision:
    """Mark the indicator (or one part of a rate) as provided by `provider`; idempotent."""
    provision = IndicatorProvision.objects.filter(indicator=indicator).first()
    before = {"provider": provision.provider_id, "part": provision.part} if provision else None
    if provision is None:
        provision = IndicatorProvision(indicator=indicator)
    provision.provider, provision.part = provider, part
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
        after={"provider": provider.pk, "part": part},
    )
    return provision


@transaction.atomic
def indicator_provision_remove(*, provision: IndicatorProvision, user: User | None = None) -> None:
    framework_id = provision.indicator.framework_id
    before = {"indicator": provision.indicator_id, "provider": provision.provider_id, "part": provision.part}
    provision.delete()
    _touch(framework_id)
    audit_record(action="provision_remove", user=user, object_type="indicatorprovision", before=before)

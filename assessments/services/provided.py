"""Writing provided figures (数据提供单位): the provider's grid, its paste and its xlsx upload.

A provided figure is written into the unit's own IndicatorValue, through the entry page's input
handling (`entry._apply_input`, `entry.value_rows_write`) and audit (ValueChange, source 数据提供单位),
so scoring, reports and completion read it as any other figure. Beside it a ProvidedValue keeps the
provider's input and version (the grid's conflict check, as the entry page's), and, from the first
provision on, what the unit had reported itself (过渡期对照).

Lock order is the app's: the returns (in pk order), then their value rows, then the provided rows.
A provider may write into a return in any state but 已确认（锁定）: a figure provided after approval
re-scores the unit through the normal recompute (PROVIDED_VALUE_LISTENERS, filled by reviews).
"""

import datetime
import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Department, User
from accounts.selectors import agency_directory
from audit.models import AuditEvent
from audit.services import audit_record
from files.storage import files_kept_only_if_saved
from indicators.models import Indicator
from indicators.provisions import needs_directory
from indicators.selectors import framework_tree

from ..excel.common import SignedChange
from ..models import (
    AnnualReturn,
    Evidence,
    IndicatorValue,
    ProvidedValue,
    ProvidedValueDispute,
    ProviderSubmission,
    ValueChange,
)
from ..selectors.provided import provider_scope_ids, provides_for, unit_raw
from ..values import STATE_KEYS, clean_raw, display_raw, parse_raw
from .entry import ValueInput, _apply_input, rows_update, value_rows_write
from .errors import ReturnActionError, StaleReturn
from .evidence import evidence_file_check
from .return_data import return_data_changed

SOURCE = ValueChange.Source.PROVIDER
Raw = dict[str, Any]

# Called with (return_ids, user, provider, changed: [(return id, indicator id)]) after provided
# figures changed in returns already under review or done, inside the transaction: reviews
# recomputes their score sheets and says on them what was provided.
PROVIDED_VALUE_LISTENERS: list[Callable[..., None]] = []

# Called with (dispute=...) once a dispute is raised or answered, inside the transaction: reviews
# tells the other side (站内通知), so a rolled-back dispute leaves no notice.
DISPUTE_LISTENERS: list[Callable[..., None]] = []


LOCKED_MESSAGE = "该单位的填报已确认（锁定），须审核员解除锁定后才能修改"


class ProvisionRefused(ReturnActionError):
    """The provider may not write this (outside its scope or its indicators); nothing was written."""


@dataclass(frozen=True)
class ProvidedInput:
    """One grid cell as the page, a paste or an upload sends it."""

    return_id: int
    indicator_id: int
    part: str  # "value", "numerator" or "denominator"
    text: str
    expected_version: int  # the ProvidedValue's version the page showed; 0: nothing provided yet


@dataclass(frozen=True)
class ProvidedOutcome:
    submitted: ProvidedInput
    value: ProvidedValue | None  # after the save; on a conflict, as the other user left it
    is_conflict: bool = False
    is_changed: bool = False
    refused: str = ""

    @property
    def error(self) -> str:
        if self.refused:
            return self.refused
        return "" if self.is_conflict or self.value is None else self.value.input_error

    @property
    def theirs(self) -> str:
        """On a conflict: the stored value of the submitted cell, as text."""
        if self.value is None:
            return ""
        return str(self.value.raw_input.get(self.submitted.part, "") or "")


def can_provide(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_provider and user.department_id)


@transaction.atomic
def provided_values_save(
    *, provider: Department, inputs: Sequence[ProvidedInput], user: User, source: str = SOURCE
) -> list[ProvidedOutcome]:
    """Save grid cells; each is applied or reported (a conflict, a refusal) on its own. Raises
    ProvisionRefused (nothing saved) for a unit outside the provider's scope or an indicator it
    does not provide."""
    if not inputs:
        return []
    return_ids = sorted({item.return_id for item in inputs})
    scope = provider_scope_ids(provider)
    returns = {
        annual_return.pk: annual_return
        for annual_return in AnnualReturn.objects.select_for_update(no_key=True, of=("self",))
        .select_related("department", "framework")
        .filter(pk__in=return_ids)
        .order_by("pk")
    }
    if set(return_ids) - set(returns) or any(r.department_id not in scope for r in returns.values()):
        raise ProvisionRefused("有单位不在本单位提供数据的范围内，未保存任何内容。")
    indicators = _provided_by(provider, returns.values())
    if any(item.indicator_id not in indicators or item.part not in indicators[item.indicator_id].provided_parts
           for item in inputs):  # fmt: skip
        raise ProvisionRefused("有指标不由本单位提供，未保存任何内容。")
    directory = agency_directory() if needs_directory(indicators.values()) else None
    if directory is not None and not all(
        provides_for(provider, indicators[item.indicator_id], returns[item.return_id].department_id, directory)
        for item in inputs
    ):
        raise ProvisionRefused("有单位的数据由其他数据提供单位提供，未保存任何内容。")
    pairs = {(item.return_id, item.indicator_id) for item in inputs}
    rows = _locked(IndicatorValue, pairs)
    provided = _locked(ProvidedValue, pairs)
    # A paste or a correction may send several parts of one value: each is checked against the
    # version the page showed, not against the one this batch has just written.
    shown_versions = {key: value.version for key, value in provided.items()}
    now = timezone.now()
    outcomes: list[ProvidedOutcome] = []
    changed_rows: list[IndicatorValue] = []
    audit: list[ValueChange] = []
    touched: dict[tuple[int, int], ProvidedValue] = {}
    for item in inputs:
        key = (item.return_id, item.indicator_id)
        annual_return, indicator = returns[item.return_id], indicators[item.indicator_id]
        value, row = provided.get(key), rows.get(key)
        if row is None:
            outcomes.append(ProvidedOutcome(item, value, refused="本指标不适用于该单位，请留空"))
            continue
        if annual_return.status == AnnualReturn.Status.CONFIRMED:
            outcomes.append(
                ProvidedOutcome(item, value, refused="该单位的填报已确认（锁定），须审核员解除锁定后才能修改")
            )
            continue
        if shown_versions.get(key, 0) != item.expected_version:
            outcomes.append(ProvidedOutcome(item, value, is_conflict=True))
            continue
        row.indicator = indicator
        if value is None:
            value = _first_provision(provider, annual_return, indicator, row)
            provided[key] = value
        provider_raw = _provider_raw(indicator, value.raw_input, item)
        if provider_raw == _normalised(indicator, value.raw_input) and value.pk is not None:
            outcomes.append(ProvidedOutcome(item, value))
            continue
        changes = _apply_input(row, ValueInput(indicator.pk, _merged(indicator, row, provider_raw), row.version))
        value.raw_input = provider_raw
        value.input_error = (parse_raw(indicator, provider_raw).error or row.input_error)[:300]
        if value.pk is not None and key not in touched:
            value.version += 1
        value.updated_by = user
        touched[key] = value
        if changes:
            row.version += 1
            row.updated_by, row.updated_at = user, now
            if row not in changed_rows:
                changed_rows.append(row)
            audit += [
                ValueChange(
                    annual_return=annual_return, indicator_id=indicator.pk, field=name, old_value=old,
                    new_value=new, user=user, source=source, changed_at=now,
                )
                for name, old, new in changes
            ]  # fmt: skip
        outcomes.append(ProvidedOutcome(item, value, is_changed=True))
    _provided_rows_write(list(touched.values()), now)
    # The provider's own input is read too (the 过渡期 differences), even where the value stays.
    return_data_changed(return_ids=[return_id for return_id, _ in touched])
    if changed_rows:
        # A value provided whole is not counted in the unit's completion (services.completion): only
        # a provided part of a rate can change what the unit has filled.
        value_rows_write(changed_rows, recount=any(not row.indicator.is_wholly_provided for row in changed_rows))
    ValueChange.objects.bulk_create(audit)
    rescored = sorted({row.annual_return_id for row in changed_rows if _is_scored(returns[row.annual_return_id])})
    if rescored:
        changed = sorted({(row.annual_return_id, row.indicator_id) for row in changed_rows})
        for listener in PROVIDED_VALUE_LISTENERS:
            listener(return_ids=rescored, user=user, provider=provider, changed=changed)
    return outcomes


def _provided_rows_write(values: list[ProvidedValue], now: datetime.datetime) -> None:
    """New provided rows in one INSERT, changed ones through one prepared UPDATE (rows_update): a
    pasted column of 300 units is two rounds of statements, not 300 saves."""
    for value in values:
        value.updated_at = now  # bulk writes do not apply auto_now
    ProvidedValue.objects.bulk_create([value for value in values if value.pk is None])
    rows_update(
        ProvidedValue,
        [value for value in values if value.pk is not None],
        ("raw_input", "input_error", "version", "updated_at", "updated_by"),
    )


def _provided_by(provider: Department, returns: Iterable[AnnualReturn]) -> dict[int, Indicator]:
    frameworks = {annual_return.framework_id: annual_return.framework for annual_return in returns}
    return {
        indicator.pk: indicator
        for framework in frameworks.values()
        for indicator in framework_tree(framework).indicators
        if (provision := indicator.provision) is not None and provision.is_provided_by(provider)
    }


_Row = TypeVar("_Row", IndicatorValue, ProvidedValue)


def _locked(model: type[_Row], pairs: set[tuple[int, int]]) -> dict[tuple[int, int], _Row]:
    return_ids = {return_id for return_id, _ in pairs}
    indicator_ids = {indicator_id for _, indicator_id in pairs}
    found = (
        model.objects.select_for_update(no_key=True, of=("self",))
        .filter(annual_return_id__in=return_ids, indicator_id__in=indicator_ids)
        .order_by("pk")
    )
    return {
        (item.annual_return_id, item.indicator_id): item
        for item in found
        if (item.annual_return_id, item.indicator_id) in pairs
    }


def _first_provision(
    provider: Department, annual_return: AnnualReturn, indicator: Indicator, row: IndicatorValue
) -> ProvidedValue:
    """A new ProvidedValue (not saved yet) holding what the unit had reported itself for the provided
    parts, if anything (过渡期: the reviewer sees both)."""
    own = unit_raw(indicator, row)
    parts = indicator.provided_parts
    kept = {key: own[key] for key in (*parts, *STATE_KEYS) if own.get(key) not in (None, "", [])}
    if not indicator.is_wholly_provided:
        kept = {key: value for key, value in kept.items() if key in parts}
    if not any(kept.get(key) for key in parts) and not kept.get("state"):
        kept = {}
    return ProvidedValue(
        annual_return=annual_return,
        indicator=indicator,
        provider=provider,
        raw_input={},
        self_reported=kept,
        self_reported_text=display_raw(indicator.value_type, kept)[:200] if kept else "",
        version=1,
    )


def _normalised(indicator: Indicator, raw: Raw) -> Raw:
    """The provider's raw input in one spelling: the indicator's keys for a whole value (a state
    included), the provided part alone for a part."""
    if indicator.is_wholly_provided:
        return clean_raw(indicator.value_type, raw)
    return {key: str(raw.get(key, "") or "") for key in indicator.provided_parts}


def _provider_raw(indicator: Indicator, stored: Raw, item: ProvidedInput) -> Raw:
    """The provider's raw input after this cell: its other parts as stored, this part as typed. A
    state word (不适用：原因) typed in the first cell is the state of the whole value (parse_raw)."""
    raw = {key: value for key, value in stored.items() if key in indicator.provided_parts}
    raw[item.part] = item.text.strip()
    return _normalised(indicator, raw)


def _merged(indicator: Indicator, row: IndicatorValue, provider_raw: Raw) -> Raw:
    """The unit's row input with the provided parts taken from the provider."""
    if indicator.is_wholly_provided:
        return provider_raw
    own = {key: value for key, value in unit_raw(indicator, row).items() if key not in STATE_KEYS}
    return {**own, **provider_raw}


def _is_scored(annual_return: AnnualReturn) -> bool:
    return annual_return.status in (
        AnnualReturn.Status.SUBMITTED,
        AnnualReturn.Status.APPROVED,
        AnnualReturn.Status.CONFIRMED,
    )


# --- the 提交 of the whole grid ------------------------------------------------------------------


@transaction.atomic
def provider_submission_submit(*, provider: Department, year: int, user: User) -> ProviderSubmission:
    """提交: the provider declares its figures for the year complete. Values stay correctable (each
    change audited, re-scored); a later 提交 records the new time."""
    submission, _ = ProviderSubmission.objects.select_for_update().get_or_create(provider=provider, year=year)
    before = {"status": submission.status, "submitted_at": submission.submitted_at}
    submission.status = ProviderSubmission.Status.SUBMITTED
    submission.submitted_at, submission.submitted_by = timezone.now(), user
    submission.save(update_fields=["status", "submitted_at", "submitted_by"])
    audit_record(
        action=AuditEvent.Action.CHANGE,
        user=user,
        obj=submission,
        department=provider,
        before=before,
        after={"数据提供": "提交", "status": submission.status, "submitted_at": submission.submitted_at},
    )
    return submission


# --- disputes (异议) -----------------------------------------------------------------------------


def _dispute_evidence(value: ProvidedValue, uploaded_file: UploadedFile, user: User) -> Evidence:
    """The dispute's file, checked as every evidence upload (evidence_file_check) and kept with the
    unit's evidence of the indicator; unlike an ordinary upload it is accepted in any state of the
    return, since a dispute is raised after the figures are in."""
    checked = evidence_file_check(uploaded_file)
    evidence = Evidence(
        annual_return=value.annual_return,
        indicator_id=value.indicator_id,
        original_name=checked.original_name,
        content_type=checked.kind.content_type,
        size=len(checked.data),
        sha256=hashlib.sha256(checked.data).hexdigest(),
        description="对提供数据的异议材料",
        uploaded_by=user,
    )
    with files_kept_only_if_saved() as stored:
        stored.save(evidence.file, f"evidence.{checked.kind.extension}", checked.data)
        evidence.save()
    return evidence


@transaction.atomic
def provided_value_dispute_raise(
    *, value: ProvidedValue, reason: str, user: User, uploaded_file: UploadedFile | None = None
) -> ProvidedValueDispute:
    """异议: only the unit's own staff, once at a time per value, with a reason (and a file)."""
    if not (user.is_active and user.is_department_staff and user.department_id == value.annual_return.department_id):
        raise ReturnActionError("只有本单位填报员可以对提供的数据提出异议。")
    reason = (reason or "").replace("\r\n", "\n").strip()
    if not reason:
        raise ReturnActionError("请填写异议理由。")
    if len(reason) > 2000:
        raise ReturnActionError(f"异议理由不能超过 2000 字（现为 {len(reason)} 字）。")
    if ProvidedValueDispute.objects.filter(provided_value=value, status=ProvidedValueDispute.Status.OPEN).exists():
        raise ReturnActionError("这项数据已有待答复的异议，请等待数据提供单位答复。")
    indicator = value.indicator
    evidence = _dispute_evidence(value, uploaded_file, user) if uploaded_file is not None else None
    dispute = ProvidedValueDispute.objects.create(
        provided_value=value,
        reason=reason,
        evidence=evidence,
        value_text=display_raw(indicator.value_type, value.raw_input)[:200],
        raised_by=user,
    )
    audit_record(
        action=AuditEvent.Action.CHANGE, user=user, obj=dispute, department=value.annual_return.department_id,
        after={"异议": "提出", "reason": reason, "value": dispute.value_text},
    )  # fmt: skip
    for listener in DISPUTE_LISTENERS:
        listener(dispute=dispute)
    return dispute


@transaction.atomic
def provided_value_dispute_answer(
    *,
    dispute: ProvidedValueDispute,
    provider: Department,
    answer: str,
    corrected: dict[str, str] | None,
    user: User,
) -> ProvidedValueDispute:
    """The provider keeps the figure (corrected None) or corrects it (the parts' new texts), with an
    answer. A correction goes through provided_values_save: audited, re-scored like any change."""
    locked = ProvidedValueDispute.objects.select_for_update().select_related("provided_value").get(pk=dispute.pk)
    value = locked.provided_value
    if value.provider_id != provider.pk:
        raise ProvisionRefused("这项异议不由本单位答复。")
    if not locked.is_open:
        raise ReturnActionError("这项异议已经答复过了。")
    answer = (answer or "").replace("\r\n", "\n").strip()
    if not answer:
        raise ReturnActionError("请填写答复意见。")
    if corrected:
        inputs = [
            ProvidedInput(value.annual_return_id, value.indicator_id, part, text, value.version)
            for part, text in corrected.items()
        ]
        outcomes = provided_values_save(provider=provider, inputs=inputs, user=user)
        problems = [
            outcome.error or ("数据已被他人修改，请刷新后重试" if outcome.is_conflict else "") for outcome in outcomes
        ]
        if any(problems):
            raise ReturnActionError(f"更正未保存：{'；'.join(p for p in problems if p)}")
        value.refresh_from_db()
        locked.status = ProvidedValueDispute.Status.CORRECTED
        locked.corrected_text = display_raw(value.indicator.value_type, value.raw_input)[:200]
    else:
        locked.status = ProvidedValueDispute.Status.KEPT
    locked.answer, locked.answered_by, locked.answered_at = answer, user, timezone.now()
    locked.save(update_fields=["status", "answer", "answered_by", "answered_at", "corrected_text"])
    audit_record(
        action=AuditEvent.Action.CHANGE, user=user, obj=locked, department=value.annual_return.department_id,
        after={"异议": "答复", "status": locked.status, "answer": answer, "corrected": locked.corrected_text},
    )  # fmt: skip
    for listener in DISPUTE_LISTENERS:
        listener(dispute=locked)
    return locked


# --- the workbook's confirmed preview ------------------------------------------------------------


@transaction.atomic
def provided_import_apply(*, provider: Department, changes: Sequence[SignedChange], user: User) -> int:
    """The provider's confirmed workbook, all or nothing: any cell changed since the preview (a
    conflict), refused or unreadable rolls everything back. Returns how many values changed."""
    inputs = [
        ProvidedInput(change.return_id, change.indicator_id, part, str(text), change.expected_version)
        for change in changes
        for part, text in change.raw.items()
    ]
    outcomes = provided_values_save(provider=provider, inputs=inputs, user=user, source=ValueChange.Source.IMPORT)
    conflicts = [outcome for outcome in outcomes if outcome.is_conflict]
    if conflicts:
        raise StaleReturn(
            f"核对修改之后，有 {len(conflicts)} 项数据已在网页上被修改，本次导入未保存任何内容。请重新上传文件。"
        )
    failed = [outcome for outcome in outcomes if outcome.error]
    if failed:
        raise ProvisionRefused(f"有 {len(failed)} 项数据未能保存（{failed[0].error}），本次导入未保存任何内容。")
    return len({(o.submitted.return_id, o.submitted.indicator_id) for o in outcomes if o.is_changed})

"""The lock on a framework's tree once returns are filed against it.

The services decide what may change (`services.framework_ensure_editable`: drafts only) and the admin
follows them. This module is the backstop under both: areas, groups and indicators of a framework
that is no longer a draft and that an annual return references refuse to be saved, updated, created
or deleted through the ORM by any path — a shell, a bulk operation, a service written later — with
`FrameworkLocked`. On PostgreSQL, triggers refuse the same from raw SQL (migration 0002).

Drafts and published editions nobody has filed against pass, so importing, cloning, publishing,
archiving, the demo and the bench generator (which bulk-create into new drafts) are unaffected.
"""

from collections.abc import Iterable
from typing import Any, TypeVar

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet

FILED_MESSAGE = "已有单位按此指标体系填报，其一级、二级、三级指标不能修改；请复制为新版本后修改。"


class FrameworkLocked(ValidationError):
    """The framework is published or archived (or filed against); changes go to a new version."""


def filed_frameworks() -> QuerySet[Any]:
    """Frameworks whose tree is locked: past draft, with at least one annual return. Returns live in
    assessments/, asked for through the app registry so indicators/ does not import it."""
    framework = apps.get_model("indicators", "IndicatorFramework")
    try:
        annual_return = apps.get_model("assessments", "AnnualReturn")
    except LookupError:
        nothing: QuerySet[Any] = framework._default_manager.none()
        return nothing
    filed: QuerySet[Any] = framework._default_manager.exclude(status="draft").filter(
        pk__in=annual_return._default_manager.values("framework_id")
    )
    return filed


def _refuse(frameworks: Q | None) -> None:
    if frameworks is not None and filed_frameworks().filter(frameworks).exists():
        raise FrameworkLocked(FILED_MESSAGE)


def _any(conditions: Iterable[Q]) -> Q | None:
    """The conditions or'ed; None when there are none (nothing to check)."""
    combined: Q | None = None
    for condition in conditions:
        combined = condition if combined is None else combined | condition
    return combined


_Part = TypeVar("_Part", bound="FrameworkPart")


class FrameworkPartQuerySet(models.QuerySet[_Part]):
    """update(), delete(), bulk_create() and bulk_update() refuse rows of a filed framework."""

    def _refuse_filed(self) -> None:
        lookup = self.model.FRAMEWORK_LOOKUP
        _refuse(Q(pk__in=self.values(lookup)))

    def update(self, **kwargs: Any) -> int:
        self._refuse_filed()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        self._refuse_filed()
        return super().delete()

    def bulk_update(self, objs: Iterable[_Part], fields: Iterable[str], batch_size: int | None = None) -> int:
        objs = list(objs)
        _refuse(_any(dict.fromkeys(obj.framework_q() for obj in objs)))
        return super().bulk_update(objs, fields, batch_size=batch_size)

    def bulk_create(self, objs: Iterable[_Part], *args: Any, **kwargs: Any) -> list[_Part]:
        objs = list(objs)
        _refuse(_any(dict.fromkeys(obj.framework_q() for obj in objs)))  # one condition per parent
        return super().bulk_create(objs, *args, **kwargs)


class FrameworkPart(models.Model):
    """An area, group or indicator: a row of a framework's tree. Subclasses say how a row reaches its
    framework: FRAMEWORK_LOOKUP from the row, PARENT (its field, and the lookup from the framework
    to that parent) and FROM_FRAMEWORK (the lookup from the framework to such rows)."""

    FRAMEWORK_LOOKUP = "framework"
    PARENT = ("framework_id", "pk")
    FROM_FRAMEWORK = ""

    objects = FrameworkPartQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        _refuse(self.framework_q())
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse(self.framework_q())
        return super().delete(*args, **kwargs)

    def framework_q(self) -> Q:
        """IndicatorFramework rows this row belongs to, as it is now and as it is stored."""
        field, lookup = self.PARENT
        condition = Q(**{lookup: getattr(self, field)})
        if self.pk is not None:
            condition |= Q(**{f"{self.FROM_FRAMEWORK}__pk": self.pk})
        return condition

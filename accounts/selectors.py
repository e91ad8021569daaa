from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Count, QuerySet

from .models import Department


@dataclass(frozen=True)
class DepartmentRow:
    """A department placed in the tree, for display (depth 0 is a root)."""

    department: Department
    depth: int


class SubtreeUnit(NamedTuple):
    """A unit of a branch as `department_subtree` reads it."""

    pk: int
    name: str
    is_active: bool
    is_assessed: bool


def _subtree(rows: Iterable[tuple[int, int | None]], root_id: int) -> set[int]:
    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in rows:
        children[parent_id].append(pk)
    found = {root_id}
    stack = [root_id]
    while stack:
        for child in children[stack.pop()]:
            if child not in found:
                found.add(child)
                stack.append(child)
    return found


def department_subtree_ids(*, root_id: int) -> set[int]:
    """Ids of a department and all its descendants.

    One query over (id, parent_id): even a province has only a few thousand units, so walking the
    pairs in Python is cheaper and simpler than a recursive CTE the ORM cannot express.
    """
    return _subtree(Department.objects.values_list("id", "parent_id"), root_id)


def department_subtree(*, root_id: int) -> list[SubtreeUnit]:
    """A department and all its descendants in directory order, with what a branch report says of
    them, in the one query of `department_subtree_ids`."""
    rows = list(
        Department.objects.order_by("sort_order", "code").values_list(
            "id", "parent_id", "name", "is_active", "is_assessed"
        )
    )
    found = _subtree(((row[0], row[1]) for row in rows), root_id)
    return [
        SubtreeUnit(pk, name, is_active, is_assessed) for pk, _, name, is_active, is_assessed in rows if pk in found
    ]


def department_tree_rows(*, departments: QuerySet[Department]) -> list[DepartmentRow]:
    """The given departments in depth-first order (parents before children, siblings by order).

    A department whose parent is not in the set is shown as a root, so a scoped user still sees a
    tidy tree of what they may see.
    """
    units = list(departments.order_by("sort_order", "code"))
    present = {d.pk for d in units}
    children: dict[int | None, list[Department]] = defaultdict(list)
    for unit in units:
        children[unit.parent_id if unit.parent_id in present else None].append(unit)
    rows: list[DepartmentRow] = []
    stack = [(unit, 0) for unit in reversed(children[None])]
    while stack:
        unit, depth = stack.pop()
        rows.append(DepartmentRow(department=unit, depth=depth))
        stack.extend((child, depth + 1) for child in reversed(children[unit.pk]))
    return rows


def department_counts_by_kind(*, departments: QuerySet[Department]) -> list[tuple[str, int]]:
    """(kind label, number of active units) for every kind, zeros included."""
    counts = dict(
        departments.filter(is_active=True).values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    return [(label, counts.get(kind, 0)) for kind, label in Department.Kind.choices]


@dataclass(frozen=True)
class AgencyDirectory:
    """Which unit of a kind (Department.Agency) serves each unit: the one under the unit's own
    government (itself, for a government), else the nearest up the tree — a township's figures come
    from its county's court, a county department's from the county court, the county's from the
    city's where the county has none. Built from one query over the whole tree."""

    parents: dict[int, int | None]
    kinds: dict[int, str]
    # (government id, agency) → the active unit of that kind directly under it, first in order
    agencies: dict[tuple[int, str], Department]

    def agency_for(self, unit_id: int, agency: str) -> Department | None:
        government = unit_id if self.kinds.get(unit_id) == Department.Kind.GOVERNMENT else self.parents.get(unit_id)
        seen: set[int] = set()
        while government is not None and government not in seen:
            found = self.agencies.get((government, agency))
            if found is not None:
                return found
            seen.add(government)
            government = self.parents.get(government)
        return None


def agency_directory() -> AgencyDirectory:
    parents: dict[int, int | None] = {}
    kinds: dict[int, str] = {}
    agencies: dict[tuple[int, str], Department] = {}
    units = Department.objects.only("id", "parent_id", "kind", "agency", "is_active", "name", "short_name", "code")
    for unit in units.order_by("sort_order", "code"):
        parents[unit.pk], kinds[unit.pk] = unit.parent_id, unit.kind
        if unit.agency and unit.is_active and unit.parent_id is not None:
            agencies.setdefault((unit.parent_id, unit.agency), unit)
    return AgencyDirectory(parents=parents, kinds=kinds, agencies=agencies)

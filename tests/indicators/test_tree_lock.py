"""The tree of a framework that returns were filed against refuses every change, whatever the path
(indicators/tree_lock.py; on PostgreSQL also triggers, migration 0002), while drafts, unfiled
editions and the sanctioned services keep working."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from assessments.models import AnnualReturn
from indicators.models import Area, Group, Indicator, IndicatorFramework
from indicators.services import framework_archive, framework_clone, framework_publish
from indicators.tree_lock import FILED_MESSAGE, FrameworkLocked
from tests.factories import DepartmentFactory

from .factories import AreaFactory, GroupFactory, IndicatorFactory, small_framework

pytestmark = pytest.mark.django_db
Status = IndicatorFramework.Status


def file_a_return(framework: IndicatorFramework) -> None:
    AnnualReturn.objects.create(
        department=DepartmentFactory(), framework=framework, year=framework.year, deadline=datetime.date(2026, 3, 1)
    )


@pytest.fixture
def filed() -> IndicatorFramework:
    framework = framework_publish(framework=small_framework(year=2024))
    file_a_return(framework)
    return framework


def names(framework: IndicatorFramework) -> list[str]:
    return list(Indicator.objects.filter(framework=framework).order_by("code").values_list("name", flat=True))


def test_saving_an_indicator_of_a_filed_framework_is_refused_and_changes_nothing(filed):
    before = names(filed)
    indicator = filed.indicators.get(code="A1.1")
    indicator.name = "改过的名称"
    with pytest.raises(FrameworkLocked, match="已有单位按此指标体系填报"):
        indicator.save()
    assert names(filed) == before


def test_a_queryset_update_of_a_filed_frameworks_indicators_is_refused(filed):
    with pytest.raises(FrameworkLocked):
        Indicator.objects.filter(framework=filed).update(max_points=Decimal("9"))
    assert set(filed.indicators.values_list("max_points", flat=True)) == {Decimal("4"), Decimal("6")}


def test_a_related_manager_update_is_refused_too(filed):
    with pytest.raises(FrameworkLocked):
        filed.indicators.filter(code="G2.1").update(phrase_template="")


def test_deleting_an_indicator_of_a_filed_framework_is_refused(filed):
    indicator = filed.indicators.get(code="A1.1")
    with pytest.raises(FrameworkLocked):
        indicator.delete()
    with pytest.raises(FrameworkLocked):
        Indicator.objects.filter(pk=indicator.pk).delete()
    assert filed.indicators.filter(code="A1.1").exists()


def test_adding_an_indicator_to_a_filed_framework_is_refused(filed):
    group = Group.objects.get(area__framework=filed)
    with pytest.raises(FrameworkLocked):
        IndicatorFactory(group=group, code="A1.9")
    with pytest.raises(FrameworkLocked):
        Indicator.objects.bulk_create([IndicatorFactory.build(group=group, framework=filed, code="A1.8")])
    assert filed.indicators.count() == 2


def test_moving_an_indicator_out_of_a_filed_framework_is_refused(filed):
    draft_group = GroupFactory()
    indicator = filed.indicators.get(code="A1.1")
    indicator.group, indicator.framework = draft_group, draft_group.area.framework
    with pytest.raises(FrameworkLocked):
        indicator.save()


def test_area_points_and_group_names_of_a_filed_framework_are_refused(filed):
    area = filed.areas.get(code="A")
    area.max_points = Decimal("20")
    with pytest.raises(FrameworkLocked):
        area.save()
    with pytest.raises(FrameworkLocked):
        Group.objects.filter(area=area).update(name="新二级指标")
    with pytest.raises(FrameworkLocked):
        Group.objects.bulk_create([Group(area=area, code="A9", name="新增二级指标", max_points=1)])
    with pytest.raises(FrameworkLocked):
        AreaFactory(framework=filed, code="B")


def test_the_message_says_why_and_what_to_do(filed):
    with pytest.raises(FrameworkLocked) as refused:
        filed.areas.update(name="x")
    assert refused.value.messages == [FILED_MESSAGE]
    assert "复制为新版本" in FILED_MESSAGE


def test_a_draft_and_a_published_edition_nobody_filed_against_stay_changeable():
    draft = small_framework(year=2030)
    published = framework_publish(framework=small_framework(year=2031))
    for framework in (draft, published):
        framework.indicators.filter(code="A1.1").update(name="改过的名称")
        framework.areas.update(max_points=Decimal("10"))
    assert names(draft)[0] == names(published)[0] == "改过的名称"


def test_a_filed_edition_is_still_cloned_archived_and_superseded(filed):
    clone = framework_clone(framework=filed, year=2024)
    clone.indicators.filter(code="A1.1").update(name="新版本的名称")
    framework_publish(framework=clone)
    filed.refresh_from_db()
    assert filed.status == Status.ARCHIVED
    assert names(filed)[0] == "专题研究次数"
    framework_archive(framework=clone)


def test_a_filed_edition_remains_locked_once_archived(filed):
    filed = framework_archive(framework=filed)
    with pytest.raises(FrameworkLocked):
        filed.indicators.update(name="x")


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the database triggers exist on PostgreSQL only (migration 0002)"
)


@postgres_only
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE indicators_indicator SET name = 'x' WHERE framework_id = %s",
        "DELETE FROM indicators_indicator WHERE framework_id = %s",
        "UPDATE indicators_area SET max_points = 99 WHERE framework_id = %s",
        "UPDATE indicators_group SET name = 'x' "
        "WHERE area_id IN (SELECT id FROM indicators_area WHERE framework_id = %s)",
    ],
    ids=["update-indicator", "delete-indicator", "update-area", "update-group"],
)
def test_raw_sql_changes_are_refused_by_the_database(filed, statement):
    refused = pytest.raises(IntegrityError, match="已有单位按此指标体系填报")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [filed.pk])
    assert names(filed) == ["专题研究次数", "负责人出庭应诉率"]


@postgres_only
def test_raw_sql_insert_into_a_filed_framework_is_refused_by_the_database(filed):
    group = Group.objects.get(area__framework=filed)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO indicators_area (framework_id, code, name, description, max_points, "order") '
            "VALUES (%s, 'Z', 'z', '', 1, 9)",
            [filed.pk],
        )
    assert Area.objects.filter(framework=filed).count() == 1
    assert group.indicators.count() == 2

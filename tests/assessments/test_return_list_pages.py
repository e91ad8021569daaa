"""年度填报 list and 修改记录: paginated with the total said, never cut off at 300/500 rows."""

import re

from django.urls import reverse

from assessments.models import AnnualReturn
from assessments.services.opening import returns_open_for_framework
from tests.factories import DepartmentFactory


def _detail_links(html: str) -> set[str]:
    prefix = reverse("assessments:return_list")
    return set(re.findall(rf'href="{prefix}(\d+)/"', html))


def test_the_return_list_says_the_total_and_turns_to_page_2(cast, client, framework):
    DepartmentFactory.create_batch(60)
    returns_open_for_framework(framework=framework)
    total = AnnualReturn.objects.count()
    assert total > 50
    client.force_login(cast.reviewer)

    first = client.get(reverse("assessments:return_list")).content.decode()
    second = client.get(reverse("assessments:return_list"), {"page": 2}).content.decode()

    assert f"共{total}条，第1/2页" in first
    assert f"共{total}条，第2/2页" in second
    assert len(_detail_links(first)) == 50
    assert len(_detail_links(second)) == total - 50
    assert not _detail_links(first) & _detail_links(second)

"""A score above its scale typed on the entry page, in Debian's Chromium: the autosave answers with
the Chinese reason beside the field, the figure typed stays in the input after a reload.
Screenshot: e2e-screenshots/scale-*.png."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Department
from assessments.models import AnnualReturn
from indicators.models import ValueType
from tests.assessments.factories import framework_with, open_return, value_row
from tests.factories import DepartmentFactory, UserFactory

from .conftest import SCREENSHOTS
from .test_entry_page_browser import _open, _saved_with

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OUTSIDE = "填写的120分超出本指标的取值范围（0分至100分），请核对"


@pytest.fixture
def entry(live_server):
    city = DepartmentFactory(code="B000", name="云州市人民政府", kind=Department.Kind.GOVERNMENT)
    bureau = DepartmentFactory(code="B002", name="云州市营商环境局", parent=city)
    framework = framework_with(
        {
            "code": "J1",
            "name": "企业法治化营商环境满意度",
            "value_type": ValueType.AMOUNT,
            "unit": "分",
            "scale_min": Decimal("0"),
            "scale_max": Decimal("100"),
        }
    )
    annual_return = open_return(bureau, framework, deadline=timezone.localdate() + datetime.timedelta(days=30))
    AnnualReturn.objects.filter(pk=annual_return.pk).update(status=AnnualReturn.Status.IN_PROGRESS)
    UserFactory(username="e2e_scale", department=bureau)
    return {
        "url": f"{live_server.url}/returns/{annual_return.pk}/edit/",
        "return": annual_return,
        "pk": value_row(annual_return, "J1").indicator_id,
    }


def test_a_score_above_the_scale_is_explained_beside_the_field_and_kept(browser, live_server, entry):
    context, page = _open(browser, live_server, "e2e_scale", entry["url"])
    page.set_viewport_size({"width": 1366, "height": 768})
    pk = entry["pk"]
    field = page.locator(f"#input-{pk}")
    response = _saved_with(page, pk, lambda: (field.fill("120"), field.dispatch_event("change")))
    assert response.status == 200
    page.locator(f"#errors-{pk}").get_by_text(OUTSIDE).wait_for()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "scale-01-score-above-scale.png"))
    row = value_row(entry["return"], "J1")
    assert (row.value_decimal, row.raw_input["value"]) == (None, "120")
    page.reload()
    assert page.input_value(f"#input-{pk}") == "120"
    assert OUTSIDE in page.locator(f"#errors-{pk}").inner_text()
    context.close()

"""The demo city has honest blanks — 不适用 and 暂无数据, each with its reason — and each renders as
itself on the return page, the review page, the Excel workbook and the reports, with no claim in
the report prose. One test, because seeding the demo city takes most of a minute."""

import html
import io

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from openpyxl import load_workbook

from accounts import demo as accounts_demo
from accounts.models import Department, User
from assessments import demo
from assessments.excel.department import department_template
from assessments.models import AnnualReturn, IndicatorValue
from indicators import demo as indicators_demo
from reports.kinds.department_annual import department_report_data, department_report_document
from reports.kinds.government_annual import government_report_data, government_report_document

HEARING = "本街道承接的赋权事项不涉及依法应当组织听证的行政处罚"
REFERRALS = "公安机关立案回执尚未全部反馈，待两法衔接信息平台统计后补报"
FINES = "罚没款由财政非税收入系统统一归集，年度数据待财政部门核对后提供"


def page_text(client, url: str) -> str:
    return html.unescape(strip_tags(client.get(url).content.decode()))


def test_the_demos_blanks_render_as_themselves_on_every_surface(db, client):
    accounts_demo.seed()
    indicators_demo.seed()
    demo.seed()
    returns = {r.department.code: r for r in AnnualReturn.objects.filter(year=2025).select_related("department")}
    states = {
        (v.annual_return.department.code, v.indicator.code): (v.state, v.state_reason)
        for v in IndicatorValue.objects.filter(annual_return__year=2025)
        .exclude(state="value")
        .select_related("annual_return__department", "indicator")
    }
    assert states == {
        ("YZ110", "E4.5"): ("not_applicable", HEARING),
        ("YZ006", "E5.6"): ("not_available", REFERRALS),
        ("YZ007", "E2.7"): ("not_available", FINES),
    }

    client.force_login(User.objects.get(username="admin"))
    assert f"不适用（{HEARING}）" in page_text(client, reverse("assessments:return_detail", args=[returns["YZ110"].pk]))
    client.force_login(User.objects.get(username="reviewer"))
    assert f"暂无数据（{REFERRALS}）" in page_text(client, reverse("reviews:review", args=[returns["YZ006"].pk]))

    sheet = load_workbook(io.BytesIO(department_template(returns["YZ007"])))["填报表"]
    assert any(row[0] == "E2.7" and f"暂无数据：{FINES}" in row for row in sheet.iter_rows(min_row=6, values_only=True))

    township = department_report_data(department=Department.objects.get(code="YZ110"), year=2025)
    text = strip_tags(
        render_to_string(
            "reports/pdf/department_annual.html", {"document": department_report_document(township, options={})}
        )
    )
    body, appendix = text.rsplit("附件", 1)
    assert "听证申请依法办理率不适用" in "".join(appendix.split())
    assert "听证申请" not in body and HEARING not in body

    city = government_report_data(government=Department.objects.get(code="YZ000"), year=2025)
    text = "".join(
        strip_tags(
            render_to_string(
                "reports/pdf/government_annual.html", {"document": government_report_document(city, options={})}
            )
        ).split()
    )
    assert "（不含暂无数据的1个单位）" in text and "（不含不适用的1个单位）" in text
    assert FINES not in text and REFERRALS not in text

"""系统管理 reads in Chinese, third-party models included (AXES / Access attempts…), and indicator
levels come in their order 一级/二级/三级 (they sorted 一级/三级/二级 by code point)."""

import re

from django.urls import reverse

CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_app_and_model_on_the_admin_index_has_a_chinese_name(client, cast):
    client.force_login(cast.admin)
    app_list = client.get(reverse("admin:index")).context["app_list"]
    english = [app["name"] for app in app_list if not CJK.search(str(app["name"]))]
    english += [model["name"] for app in app_list for model in app["models"] if not CJK.search(str(model["name"]))]
    assert english == []
    assert "登录限制" in [app["name"] for app in app_list]


def test_the_login_attempts_list_is_in_chinese(client, cast):
    client.force_login(cast.admin)
    html = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "选择 登录尝试 来修改" in html and "ccess attempt" not in html and "尝试时间" in html


def test_indicator_levels_are_listed_first_second_third(client, cast):
    client.force_login(cast.admin)
    app_list = client.get(reverse("admin:app_list", args=["indicators"])).context["app_list"]
    names = [str(model["name"]) for model in app_list[0]["models"]]
    levels = [name for name in names if name in ("一级指标", "二级指标", "三级指标")]
    assert levels == ["一级指标", "二级指标", "三级指标"]

from tests.permission_matrix import Row, everyone

from .factories import IndicatorFrameworkFactory, PublishedFrameworkFactory


def _published(cast) -> dict:
    return {"pk": PublishedFrameworkFactory().pk}


def _draft(cast) -> dict:
    return {"pk": IndicatorFrameworkFactory().pk}


ROWS = [
    # Published editions are readable by every signed-in user; drafts only by administrators.
    Row("indicators:framework_list", everyone(200)),
    Row("indicators:framework_compare", everyone(200)),
    Row("indicators:framework_detail", everyone(200), kwargs=_published),
    Row("indicators:framework_detail", everyone(404, admin=200), kwargs=_draft),
    Row("indicators:framework_export", everyone(200), kwargs=_published),
    Row("indicators:framework_export", everyone(404, admin=200), kwargs=_draft),
    # Administration (import, export, clone, publish) lives in the Django admin.
    Row("admin:indicators_indicatorframework_changelist", everyone(302, admin=200)),
    Row("admin:indicators_indicatorframework_import", everyone(302, admin=200)),
    Row("admin:indicators_indicator_changelist", everyone(302, admin=200)),
]

"""The main menu per role. Each app's entries are listed here so the shell stays one place."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, get_urlconf, reverse

from accounts.models import User
from assessments.permissions import can_open_returns


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset[str]
    # The app's own predicate, when the role alone does not decide (the rule stays in its permissions.py).
    permission: Callable[[User], bool] | None = None

    def is_shown_to(self, user: User) -> bool:
        return user.role in self.roles and (self.permission is None or self.permission(user))


ALL_ROLES = frozenset(User.Role.values)
STAFF = User.Role.DEPARTMENT_STAFF
REVIEWER = User.Role.REVIEWER
CONGRESS = User.Role.CONGRESS
ADMIN = User.Role.ADMIN
PROVIDER = User.Role.PROVIDER
# A 数据提供单位 sees the figures it provides and nothing else of the returns, reports or results.
ASSESSMENT_ROLES = ALL_ROLES - {PROVIDER}

NAV_ENTRIES: list[NavEntry] = [
    NavEntry("工作台", "accounts:home", ALL_ROLES),
    NavEntry("单位名录", "accounts:department_list", frozenset({REVIEWER, CONGRESS, ADMIN})),
    NavEntry("年度填报", "assessments:return_list", ASSESSMENT_ROLES),
    NavEntry("提供数据", "assessments:provided_grid", frozenset({PROVIDER})),
    NavEntry("填报进度", "assessments:progress_dashboard", frozenset({REVIEWER, CONGRESS, ADMIN})),
    NavEntry(
        "开启年度填报",
        "assessments:year_open",
        frozenset({REVIEWER, ADMIN}),
        permission=can_open_returns,
    ),
    NavEntry("指标体系", "indicators:framework_list", ALL_ROLES),
    NavEntry("报告", "reports:index", ASSESSMENT_ROLES),
    NavEntry("报告公开", "publication:manage", frozenset({STAFF, REVIEWER, ADMIN})),
    NavEntry("人大监督", "congress:index", frozenset({REVIEWER, CONGRESS, ADMIN})),
    NavEntry("审议意见办理", "congress:my_assignments", frozenset({STAFF})),
    NavEntry("审核评分", "reviews:queue", frozenset({REVIEWER, ADMIN})),
    NavEntry("考核结果", "reviews:results_index", ASSESSMENT_ROLES),
    NavEntry("系统管理", "admin:index", frozenset({ADMIN})),
]


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    is_active: bool


@lru_cache(maxsize=256)
def _menu_url(url_name: str, script_prefix: str, urlconf: str | None) -> str:
    """The menu's addresses never change within a process: reversed once, not 14 times per page.
    The script prefix and the urlconf are in the key because `reverse` reads them."""
    return reverse(url_name, urlconf=urlconf)


def navigation_for(user: User, *, current_path: str) -> list[NavItem]:
    prefix, urlconf = get_script_prefix(), get_urlconf()
    entries = [
        (entry.label, _menu_url(entry.url_name, prefix, urlconf)) for entry in NAV_ENTRIES if entry.is_shown_to(user)
    ]
    matching = [url for _, url in entries if (current_path == url if url == "/" else current_path.startswith(url))]
    # One active item: the most specific match (/returns/progress/ is 填报进度, not 年度填报).
    active = max(matching, key=len, default=None)
    return [NavItem(label, url, url == active) for label, url in entries]

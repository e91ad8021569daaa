"""axe-core on the signed-in pages, in Debian's Chromium: every page the navigation bar offers a unit's
staff and an administrator has no serious or critical violation (the bar itself once failed colour
contrast: Bootstrap's translucent white links on the red bar, and its link blue on the grey page)."""

import pytest

from tests.e2e.axe import axe_violations
from tests.e2e.conftest import browser  # noqa: F401  (the module-scoped Chromium fixture)
from tests.e2e.test_year_in_browser import _login
from tests.publication.factories import publication

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("username", ["staff_a", "admin"])
def test_every_page_of_the_navigation_bar_passes_axe(browser, live_server, cast, username):  # noqa: F811
    publication(cast.dept_a, user=cast.admin)
    context, page = _login(browser, live_server, username)
    links = page.eval_on_selector_all(
        ".lg-navbar .navbar-nav a.nav-link[href^='/']", "links => links.map(link => link.getAttribute('href'))"
    )
    assert len(links) >= 5
    found = {}
    for url in links:
        page.goto(f"{live_server.url}{url}")
        found[url] = axe_violations(page)
    context.close()
    assert not any(found.values()), {url: violations for url, violations in found.items() if violations}

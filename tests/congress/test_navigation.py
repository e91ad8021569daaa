import pytest

from workbench.navigation import navigation_for


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("congress", {"人大监督"}),
        ("reviewer", {"人大监督"}),
        ("admin", {"人大监督"}),
        ("staff_a", {"审议意见办理"}),
    ],
)
def test_the_menu_shows_the_congress_entry_that_fits_the_role(cast, role, expected):
    labels = {item.label for item in navigation_for(getattr(cast, role), current_path="/")}

    assert labels & {"人大监督", "审议意见办理"} == expected

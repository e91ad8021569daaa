from django.core.management import call_command
from django.urls import reverse

from accounts.demo import DEMO_DEPARTMENTS, DEMO_PASSWORD, DEMO_USERS
from accounts.models import Department, User


def test_demo_command_is_idempotent(db):
    import accounts.demo

    accounts.demo.seed()
    accounts.demo.seed()
    assert Department.objects.count() == len(DEMO_DEPARTMENTS)
    assert User.objects.count() == len(DEMO_USERS)


def test_demo_has_every_role_and_three_levels(db):
    import accounts.demo

    accounts.demo.seed()
    assert set(User.objects.values_list("role", flat=True)) == set(User.Role.values)
    assert set(Department.objects.values_list("level", flat=True)) == set(Department.Level.values)
    assert 18 <= Department.objects.count() <= 25


def test_demo_users_log_in_with_the_documented_password(db, client):
    import accounts.demo

    accounts.demo.seed()
    for username, *_ in DEMO_USERS:
        response = client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        client.post(reverse("accounts:logout"))


def test_seed_demo_command_runs_every_app_step(db):
    call_command("seed_demo", verbosity=0)
    assert Department.objects.filter(code="YZ000").exists()

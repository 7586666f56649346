"""manage.py create_officer: an officer with a role and an API token."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from dsar.choices import Role
from dsar.models import Membership
from tests.factories import CaseFactory, UserFactory

User = get_user_model()


def run(*args, **options):
    out = StringIO()
    call_command("create_officer", *args, stdout=out, **options)
    return out.getvalue().splitlines()


def test_the_printed_token_authenticates_api_calls(controller):
    case = CaseFactory(controller=controller)

    lines = run("dana", controller="acme", email="dana@example.org")

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {lines[-1]}")
    response = client.get("/api/v1/cases/")
    assert response.status_code == 200
    assert [row["reference"] for row in response.json()["results"]] == [case.reference]
    dana = User.objects.get(username="dana")
    assert dana.email == "dana@example.org"
    assert Membership.objects.get(user=dana).role == Role.OFFICER


def test_a_new_user_without_a_password_gets_a_generated_one_printed(controller):
    lines = run("dana", controller="acme")

    password = next(line.split(": ", 1)[1] for line in lines if line.startswith("Password"))
    assert User.objects.get(username="dana").check_password(password)


def test_a_given_password_is_set_and_not_printed(controller):
    lines = run("dana", controller="acme", password="a long pass phrase")

    assert User.objects.get(username="dana").check_password("a long pass phrase")
    assert not any("a long pass phrase" in line for line in lines)


def test_rerunning_updates_the_role_and_keeps_the_token(controller):
    first = run("dana", controller="acme")
    user = User.objects.get(username="dana")
    password_hash = user.password

    second = run("dana", controller="acme", role="auditor")

    assert second[-1] == first[-1]
    assert Membership.objects.get(user=user).role == Role.AUDITOR
    assert User.objects.get(username="dana").password == password_hash  # left alone


def test_an_existing_user_is_granted_another_controller(controller, other_controller, officer):
    run("olivia", "--controller", "other", "--controller", "acme", "--role", "admin")

    roles = dict(Membership.objects.filter(user=officer).values_list("controller__slug", "role"))
    assert roles == {"acme": Role.ADMIN, "other": Role.ADMIN}


def test_superuser_flag(controller):
    run("root", controller="acme", superuser=True)

    root = User.objects.get(username="root")
    assert root.is_superuser and root.is_staff


def test_an_unknown_controller_is_an_error_and_creates_nobody(controller):
    with pytest.raises(CommandError, match="No controller with slug 'nope'"):
        run("dana", controller="nope")

    assert not User.objects.filter(username="dana").exists()


def test_a_bad_email_is_an_error(controller):
    with pytest.raises(CommandError, match="Not an email address"):
        run("dana", controller="acme", email="dana-at-example")


def test_a_deactivated_officer_is_reactivated(controller):
    UserFactory(username="dana", is_active=False)

    run("dana", controller="acme")

    assert User.objects.get(username="dana").is_active

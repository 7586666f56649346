"""Attack: guessing passwords. The 6th wrong one locks; then the right one fails too."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password, url=None):
    return client.post(url or reverse("login"), {"username": username, "password": password})


def test_sixth_wrong_password_locks_and_the_right_one_then_fails(client, officer):
    for _ in range(5):
        response = sign_in(client, "olivia", "wrong-guess")
        assert response.status_code == 200
        assert "didn't match" in response.content.decode()
    response = sign_in(client, "olivia", "wrong-guess")
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()

    response = sign_in(client, "olivia", PASSWORD)
    assert response.status_code == 429
    assert "Ask an administrator" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_counts_per_address_across_accounts(client, officer, second_officer):
    for username in ["olivia", "sam", "olivia", "sam", "olivia", "sam"]:
        sign_in(client, username, "wrong-guess")
    response = sign_in(client, "sam", PASSWORD)
    assert response.status_code == 429


def test_an_admin_unlocks_by_clearing_the_attempts(client, officer):
    for _ in range(6):
        sign_in(client, "olivia", "wrong-guess")
    AccessAttempt.objects.all().delete()  # what "delete" in the admin's Access attempts does
    response = sign_in(client, "olivia", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("dsar:queue")


def test_the_admin_login_is_locked_too(client, settings):
    from tests.factories import UserFactory

    UserFactory(username="root", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(6):
        sign_in(client, "root", "wrong-guess", url=url)
    response = sign_in(client, "root", PASSWORD, url=url)
    assert response.status_code == 429
    assert "Sign-in locked" in response.content.decode()

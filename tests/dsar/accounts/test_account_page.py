"""A user lists and revokes their own API token; create_officer checks passwords."""

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

pytestmark = pytest.mark.django_db


def test_owner_sees_and_revokes_their_token(officer_client, officer):
    token = Token.objects.create(user=officer)
    page = officer_client.get(reverse("accounts:account")).content.decode()
    assert token.key[:6] in page
    assert token.key not in page  # the whole secret is shown only when made

    response = officer_client.post(reverse("accounts:token_revoke"))
    assert response.status_code == 302
    assert not Token.objects.filter(user=officer).exists()
    api = officer_client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.status_code == 401


def test_revoking_touches_only_ones_own_token(officer_client, officer, second_officer):
    theirs = Token.objects.create(user=second_officer)
    officer_client.post(reverse("accounts:token_revoke"))
    assert Token.objects.filter(pk=theirs.pk).exists()


def test_new_token_replaces_the_old_one(officer_client, officer):
    old = Token.objects.create(user=officer)
    response = officer_client.post(reverse("accounts:token_create"))
    new = Token.objects.get(user=officer)
    assert new.key != old.key
    assert new.key in response.content.decode()


def test_create_officer_refuses_a_weak_password(controller):
    with pytest.raises(CommandError, match="Password refused"):
        call_command("create_officer", "weak", controller="acme", password="password")


def test_admin_lives_at_admin_path_for_staff_only(client, officer, settings):
    from django.urls import reverse as rev

    assert rev("admin:index") == "/" + settings.ADMIN_PATH
    client.force_login(officer)  # not staff
    response = client.get(rev("admin:index"))
    assert response.status_code == 302
    assert "login" in response["Location"]

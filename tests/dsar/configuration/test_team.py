"""The team page: invitations with a signed link, roles, removals, API tokens; webhooks."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.authtoken.models import Token

from dsar.choices import Role
from dsar.configuration.models import ControllerEvent
from dsar.models import Membership, OutgoingEmail
from dsar.webhooks.models import WebhookDelivery, WebhookEndpoint, WebhookMessage

pytestmark = pytest.mark.django_db


def url(name, controller, *args) -> str:
    return reverse(f"settings:{name}", args=[controller.slug, *args])


@pytest.mark.parametrize("name", ["team", "webhooks"])
def test_only_admins_open_team_and_webhooks(
    client, controller, admin, officer, auditor, other_admin, name
):
    for user, status in [(admin, 200), (officer, 403), (auditor, 403), (other_admin, 404)]:
        client.force_login(user)
        assert client.get(url(name, controller)).status_code == status, user


def invite(admin_client, controller, **overrides):
    data = {"first_name": "Nia", "last_name": "New", "email": "Nia@Example.org", "role": "officer"}
    data.update(overrides)
    return admin_client.post(url("team", controller), data)


def test_an_invitation_sends_a_link_to_set_a_password_then_the_second_factor(
    admin_client, client, controller, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(admin_client, controller).status_code == 302
    user = get_user_model().objects.get(email="nia@example.org")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user, controller=controller).role == Role.OFFICER
    email = OutgoingEmail.objects.get(to="nia@example.org", template="team_invite")
    link = re.search(r"https?://\S+/settings/join/\S+/", email.body_text).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert ControllerEvent.objects.get(kind="member_invited").after == {
        "email": "nia@example.org",
        "role": "officer",
    }
    client.logout()
    assert client.get("/" + path).status_code == 200
    response = client.post(
        "/" + path,
        {
            "new_password1": "a long and unusual passphrase",
            "new_password2": "a long and unusual passphrase",
        },
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:setup"))
    user.refresh_from_db()
    assert user.check_password("a long and unusual passphrase")
    # The link is spent once the password is set.
    client.logout()
    assert client.get("/" + path).status_code == 400


def test_a_mistyped_invitation_keeps_what_was_typed(admin_client, controller):
    response = invite(admin_client, controller, email="not-an-email", first_name="Typed")
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'value="Typed"' in page and 'value="not-an-email"' in page


def test_inviting_someone_already_in_the_team_is_refused(admin_client, controller, officer):
    response = invite(admin_client, controller, email=officer.email)
    assert response.status_code == 400
    assert "is already in the team" in response.content.decode()


def test_a_role_is_changed_and_recorded(admin_client, controller, officer):
    membership = Membership.objects.get(user=officer, controller=controller)
    response = admin_client.post(
        url("member_role", controller, membership.pk), {f"m{membership.pk}-role": "auditor"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.AUDITOR
    event = ControllerEvent.objects.get(kind="member_role_changed")
    assert (event.before, event.after) == ({"role": "officer"}, {"role": "auditor"})


def test_the_last_admin_cannot_be_demoted_or_removed(admin_client, admin, controller):
    membership = Membership.objects.get(user=admin, controller=controller)
    response = admin_client.post(
        url("member_role", controller, membership.pk),
        {f"m{membership.pk}-role": "officer"},
        follow=True,
    )
    assert "This is the only administrator" in response.content.decode()
    response = admin_client.post(url("member_remove", controller, membership.pk), follow=True)
    assert "This is the only administrator" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_a_removed_member_loses_access(admin_client, client, controller, officer, case):
    membership = Membership.objects.get(user=officer, controller=controller)
    assert admin_client.post(url("member_remove", controller, membership.pk)).status_code == 302
    client.force_login(officer)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert ControllerEvent.objects.get(kind="member_removed").before["role"] == "officer"


def test_api_tokens_are_listed_and_revocable(admin_client, controller, officer):
    token = Token.objects.create(user=officer)
    page = admin_client.get(url("team", controller)).content.decode()
    assert "Revoke" in page
    assert token.key not in page
    membership = Membership.objects.get(user=officer, controller=controller)
    assert admin_client.post(url("token_revoke", controller, membership.pk)).status_code == 302
    assert not Token.objects.filter(user=officer).exists()
    event = ControllerEvent.objects.get(kind="api_token_revoked")
    assert token.key not in str(event.before)


def test_another_controllers_member_is_not_found(
    admin_client, controller, outsider, other_controller
):
    theirs = Membership.objects.get(user=outsider, controller=other_controller)
    assert admin_client.post(url("member_remove", controller, theirs.pk)).status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()


def test_a_webhook_is_registered_its_secret_shown_once_and_rotated(admin_client, controller):
    response = admin_client.post(
        url("webhooks", controller),
        {"url": "https://crm.example.com/hooks", "event_types": ["case.created"]},
    )
    assert response.status_code == 200
    endpoint = WebhookEndpoint.objects.get(controller=controller)
    assert endpoint.secret in response.content.decode()
    assert endpoint.secret not in admin_client.get(url("webhooks", controller)).content.decode()
    old = endpoint.secret
    response = admin_client.post(url("webhook_rotate", controller, endpoint.pk))
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in response.content.decode()
    kinds = list(ControllerEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["webhook_registered", "webhook_secret_rotated"]
    assert old not in str(list(ControllerEvent.objects.values("before", "after", "message")))


def test_a_webhook_to_a_private_address_is_refused(admin_client, controller):
    response = admin_client.post(url("webhooks", controller), {"url": "https://10.0.0.5/hook"})
    assert response.status_code == 400
    assert "must not point to a private or reserved address" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_deliveries_are_listed(admin_client, controller, admin):
    endpoint = WebhookEndpoint.objects.create(
        controller=controller, url="https://crm.example.com/h", created_by=admin
    )
    message = WebhookMessage.objects.create(
        endpoint=endpoint, event_type="case.created", dedupe_key="k", payload={}
    )
    WebhookDelivery.objects.create(message=message, attempt=1, status_code=500, error="Oops")
    page = admin_client.get(url("webhook_deliveries", controller, endpoint.pk)).content.decode()
    assert "Failed (500): Oops" in page

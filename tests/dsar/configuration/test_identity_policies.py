"""Identity checks per kind of request: checkboxes in, the requester's wording out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dsar.configuration.models import ControllerEvent
from identity.models import IdentityPolicy

pytestmark = pytest.mark.django_db


def url(controller, right=None) -> str:
    if right:
        return reverse("settings:identity_policy", args=[controller.slug, right])
    return reverse("settings:identity", args=[controller.slug])


def policy_data(**overrides) -> dict:
    data = {
        "require_email_ownership": "on",
        "require_authority": "on",
        "evidence_retention_days": "30",
        "chase_after_days": "14",
        "close_unverified_after_days": "56",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("page", ["index", "access"])
def test_only_admins_open_identity_checks(
    client, controller, officer, auditor, other_admin, admin, page
):
    target = url(controller, None if page == "index" else page)
    for user, status in [(admin, 200), (officer, 403), (auditor, 403), (other_admin, 404)]:
        client.force_login(user)
        assert client.get(target).status_code == status, user


def test_an_admin_sets_steps_and_documents_by_ticking_boxes(admin_client, admin, controller):
    response = admin_client.post(
        url(controller, "access"),
        policy_data(
            require_identity_document="on",
            documents=["Colour copy of passport", "Colour copy of driving licence"],
            other_documents="Armed forces ID card\n\n",
        ),
    )
    assert response.status_code == 302
    policy = IdentityPolicy.objects.get(controller=controller, right="access")
    assert policy.require_identity_document is True
    assert policy.accepted_documents == [
        "Colour copy of passport",
        "Colour copy of driving licence",
        "Armed forces ID card",
    ]
    event = ControllerEvent.objects.get(kind="identity_policy_added")
    assert event.actor == admin
    assert event.after["accepted_documents"][-1] == "Armed forces ID card"
    page = admin_client.get(url(controller, "access")).content.decode()
    # Its own document is now a ticked checkbox, not text to retype.
    assert 'value="Armed forces ID card"' in page
    assert (
        "Proof of your identity: one of colour copy of passport, colour copy of driving "
        "licence or armed forces ID card." in page
    )


def test_the_wording_is_previewed_without_saving(admin_client, controller):
    response = admin_client.post(
        url(controller, "erasure"),
        policy_data(require_knowledge_check="on", preview="1"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Questions about your account" in page
    assert "not saved yet" in page
    assert not IdentityPolicy.objects.exists()
    assert not ControllerEvent.objects.exists()


def test_the_authority_wording_is_shown_for_agents(admin_client, controller):
    page = admin_client.get(url(controller, "access")).content.decode()
    assert "Someone acting for another person" in page
    assert "Proof that you can act for Alex Example" in page


def test_a_change_records_before_and_after(admin_client, controller):
    admin_client.post(url(controller, "objection"), policy_data())
    admin_client.post(url(controller, "objection"), policy_data(require_email_ownership=None))
    event = ControllerEvent.objects.get(kind="identity_policy_changed")
    assert event.before == {"require_email_ownership": True}
    assert event.after == {"require_email_ownership": False}


def test_chasing_after_refusing_is_refused_and_kept_as_typed(admin_client, controller):
    response = admin_client.post(
        url(controller, "access"),
        policy_data(
            chase_after_days="60", close_unverified_after_days="30", other_documents="Typed"
        ),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Remind the requester before the request would be refused" in page
    assert 'value="60"' in page and "Typed</textarea>" in page
    assert not IdentityPolicy.objects.exists()


def test_documents_for_any_request_are_checkboxes_too(admin_client, controller):
    response = admin_client.post(
        url(controller), {"documents": ["Colour copy of utility bill"], "other_documents": ""}
    )
    assert response.status_code == 302
    controller.refresh_from_db()
    assert controller.accepted_identity_documents == ["Colour copy of utility bill"]
    assert ControllerEvent.objects.get().kind == "identity_documents_changed"


def test_an_unknown_kind_of_request_is_not_found(admin_client, controller):
    assert admin_client.get(url(controller, "teleport")).status_code == 404

"""/api/v1/controllers/: members read; the controller's admins change it; staff create them."""

from __future__ import annotations

import pytest

from dsar.choices import Role
from dsar.models import Controller, Membership
from tests.factories import UserFactory, api_client_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/controllers/"


@pytest.fixture
def staff(db):
    return UserFactory(username="stella", is_staff=True)


def test_members_see_only_their_controllers(officer, auditor, outsider, controller):
    for user in (officer, auditor):
        assert [c["slug"] for c in api_client_for(user).get(URL).json()["results"]] == ["acme"]
        assert api_client_for(user).get(f"{URL}acme/").json()["name"] == "Acme Retail"
    assert api_client_for(outsider).get(f"{URL}acme/").status_code == 404


def test_an_admin_changes_the_settings(admin, controller):
    response = api_client_for(admin).patch(
        f"{URL}acme/", {"deadline_rule": "days", "deadline_days": 28}, format="json"
    )

    assert response.status_code == 200, response.json()
    controller.refresh_from_db()
    assert (controller.deadline_rule, controller.deadline_days) == ("days", 28)


def test_the_slug_cannot_change(admin, controller):
    response = api_client_for(admin).patch(f"{URL}acme/", {"slug": "renamed"}, format="json")

    assert response.status_code == 200
    assert response.json()["slug"] == "acme"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, "time_zone"),
        ({"reminder_days": [7, -1]}, "reminder_days"),
        ({"unconfirmed_chase_after_days": 20, "unconfirmed_discard_after_days": 10},
         "unconfirmed_discard_after_days"),
        ({"digest_hour": 24}, "digest_hour"),
    ],
)  # fmt: skip
def test_bad_settings_are_field_errors(admin, controller, change, field):
    response = api_client_for(admin).patch(f"{URL}acme/", change, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_officers_and_auditors_cannot_change_settings(officer, auditor, controller):
    for user in (officer, auditor):
        response = api_client_for(user).patch(f"{URL}acme/", {"name": "Hacked"}, format="json")
        assert response.status_code == 403
    controller.refresh_from_db()
    assert controller.name == "Acme Retail"


def test_staff_create_a_controller_and_become_its_admin(staff):
    response = api_client_for(staff).post(
        URL, {"slug": "beta", "name": "Beta Bank", "dpo_email": "dpo@beta.example"}, format="json"
    )

    assert response.status_code == 201, response.json()
    controller = Controller.objects.get(slug="beta")
    assert Membership.objects.get(controller=controller).role == Role.ADMIN
    assert api_client_for(staff).get(f"{URL}beta/").status_code == 200


def test_controller_admins_and_officers_cannot_create_controllers(admin, officer):
    for user in (admin, officer):
        response = api_client_for(user).post(URL, {"slug": "x", "name": "X"}, format="json")
        assert response.status_code == 403
    assert not Controller.objects.filter(slug="x").exists()


def test_a_taken_slug_is_a_field_error(staff, controller):
    response = api_client_for(staff).post(URL, {"slug": "acme", "name": "Again"}, format="json")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["slug"]


def test_anonymous_callers_get_401(controller):
    assert api_client_for().get(URL).status_code == 401
    assert api_client_for().patch(f"{URL}acme/", {}).status_code == 401


def test_a_change_through_the_api_is_recorded_like_one_on_the_settings_pages(admin, controller):
    """Issue 19: every change to a controller's settings is an event with before/after."""
    from dsar.configuration.models import ControllerEvent

    api_client_for(admin).patch(f"{URL}acme/", {"digest_hour": 9, "name": "Acme Retail"},
                                format="json")  # fmt: skip
    event = ControllerEvent.objects.get(controller=controller)
    assert event.actor == admin
    assert (event.kind, event.before, event.after) == (
        "organisation_changed",
        {"digest_hour": 8},
        {"digest_hour": 9},
    )


def test_a_change_that_changes_nothing_records_nothing(admin, controller):
    from dsar.configuration.models import ControllerEvent

    response = api_client_for(admin).patch(f"{URL}acme/", {"name": "Acme Retail"}, format="json")

    assert response.status_code == 200
    assert not ControllerEvent.objects.exists()


def test_creating_a_controller_through_the_api_is_its_first_recorded_change(staff):
    """As in the settings wizard: who created it, and with what."""
    from dsar.configuration.models import ControllerEvent

    api_client_for(staff).post(URL, {"slug": "beta", "name": "Beta Bank"}, format="json")

    event = ControllerEvent.objects.get(controller__slug="beta")
    assert (event.actor, event.kind, event.target) == (staff, "controller_created", "Beta Bank")
    assert (event.before, event.after["slug"], event.after["name"]) == ({}, "beta", "Beta Bank")


def test_a_staff_auditor_cannot_change_the_controller(auditor, controller):
    """The staff flag grants nothing on a controller: only the membership role admin."""
    auditor.is_staff = True
    auditor.save(update_fields=["is_staff"])
    response = api_client_for(auditor).patch(f"{URL}acme/", {"name": "Hacked"}, format="json")
    assert response.status_code == 403
    controller.refresh_from_db()
    assert controller.name == "Acme Retail"

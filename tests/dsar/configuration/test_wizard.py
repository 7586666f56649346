"""The start-up checklist of a new controller, and the public form held back until the
minimum is set."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dsar.choices import Role
from dsar.configuration.models import ControllerEvent
from dsar.models import Controller, Membership
from exports.data.models import DataCategory, ProcessingPurpose
from tests.factories import ControllerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(username="stella", is_staff=True))
    return client


def test_staff_add_an_organisation_and_land_on_its_checklist(staff_client):
    response = staff_client.post(
        reverse("settings:new_controller"), {"name": "Newco", "slug": "newco", "team_email": ""}
    )
    assert response.status_code == 302
    controller = Controller.objects.get(slug="newco")
    assert response["Location"] == reverse("settings:overview", args=["newco"])
    assert Membership.objects.get(controller=controller).role == Role.ADMIN
    assert ControllerEvent.objects.get(controller=controller).kind == "controller_created"
    page = staff_client.get(response["Location"]).content.decode()
    assert "Getting started: 0 of 7 done" in page
    assert "The public form is not published yet." in page
    assert "Give a team email or the DPO&#x27;s email" in page
    for step in ("Organisation", "Letterhead", "Identity checks", "Data map", "A source",
                 "A team member", "The public form"):  # fmt: skip
        assert f">{step}</a>" in page
    assert "No categories of data yet." in page


def test_an_officer_cannot_add_an_organisation(client, officer):
    client.force_login(officer)
    response = client.post(reverse("settings:new_controller"), {"name": "X", "slug": "x"})
    assert response.status_code == 403
    assert not Controller.objects.filter(slug="x").exists()


def test_the_public_form_waits_for_the_minimum(client):
    controller = ControllerFactory(slug="bare", name="Bare Ltd", team_email="", dpo_email="")
    form_url = reverse("dsar:request_form", args=["bare"])
    response = client.get(form_url)
    assert response.status_code == 404
    assert "Bare Ltd is not taking requests online here" in response.content.decode()
    assert client.post(form_url, {"requester_name": "A"}).status_code == 404
    assert "Bare Ltd" not in client.get(reverse("dsar:home")).content.decode()
    controller.team_email = "team@bare.example"
    controller.save()
    assert client.get(form_url).status_code == 200
    assert "Bare Ltd" in client.get(reverse("dsar:home")).content.decode()


def test_switching_the_web_form_off_unpublishes_it(client, controller):
    controller.accepts_web = False
    controller.save()
    assert client.get(reverse("dsar:request_form", args=[controller.slug])).status_code == 404


def test_steps_are_ticked_as_they_are_done(admin_client, controller, officer):
    category = DataCategory.objects.create(controller=controller, name="Contact")
    ProcessingPurpose.objects.create(category=category, purpose="Orders", lawful_basis="contract")
    page = admin_client.get(reverse("settings:overview", args=[controller.slug])).content.decode()
    assert "The public form is published" in page
    # Organisation, data map, team and the public form; not letterhead, checks or source.
    assert "Getting started: 4 of 7 done" in page
    assert "No categories of data yet." not in page
    assert "Only one person can work the cases." not in page

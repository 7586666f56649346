"""Issue 18 point 2, as an attacker with a staff account would try it: the admin shows a
staff user only the controllers they administer, and every change there is an event on
the controller with the values before and after."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dsar.choices import Role
from dsar.configuration.models import ControllerEvent
from exports.data.models import DataSystem
from tests.factories import UserFactory, officer_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_admin(controller):
    """Staff, and admin of `controller` only (not a superuser)."""
    return officer_of(controller, role=Role.ADMIN, username="ada", is_staff=True)


@pytest.fixture
def admin_client(client, staff_admin):
    client.force_login(staff_admin)
    return client


def url(name: str, *args) -> str:
    return reverse(f"admin:{name}", args=args)


def test_a_staff_admin_of_one_controller_cannot_open_another_controller(
    admin_client, controller, other_controller
):
    response = admin_client.get(url("dsar_controller_change", other_controller.pk))
    assert response.status_code == 302  # "doesn't exist", back to the admin's index
    assert other_controller.name not in admin_client.get(response.url).content.decode()

    listed = admin_client.get(url("dsar_controller_changelist")).content.decode()
    assert controller.name in listed and other_controller.name not in listed

    before = other_controller.name
    admin_client.post(url("dsar_controller_change", other_controller.pk), {"name": "Taken"})
    other_controller.refresh_from_db()
    assert other_controller.name == before


def test_another_controllers_data_map_is_neither_listed_nor_open_nor_choosable(
    admin_client, controller, other_controller
):
    theirs = DataSystem.objects.create(controller=other_controller, name="Their CRM")
    DataSystem.objects.create(controller=controller, name="Our CRM")

    listed = admin_client.get(url("exports_datasystem_changelist")).content.decode()
    assert "Our CRM" in listed and "Their CRM" not in listed
    assert admin_client.get(url("exports_datasystem_change", theirs.pk)).status_code == 302

    add = url("exports_datasystem_add")
    form = admin_client.get(add).content.decode()
    assert controller.name in form and other_controller.name not in form
    response = admin_client.post(add, {"controller": other_controller.pk, "name": "Planted"})
    assert response.status_code == 200  # the form again: not one of the choices
    assert not DataSystem.objects.filter(name="Planted").exists()


def test_a_change_in_the_admin_is_an_event_on_the_controller_with_before_and_after(
    admin_client, controller, staff_admin
):
    system = DataSystem.objects.create(controller=controller, name="CRM", hosted_in="UK")
    response = admin_client.post(
        url("exports_datasystem_change", system.pk),
        {"controller": controller.pk, "name": "CRM", "hosted_in": "Ireland"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    event = ControllerEvent.objects.get(controller=controller, kind="admin_changed")
    assert event.actor == staff_admin
    assert event.before == {"hosted_in": "UK"} and event.after == {"hosted_in": "Ireland"}
    assert "CRM" in event.target

    admin_client.post(url("exports_datasystem_delete", system.pk), {"post": "yes"})
    deleted = ControllerEvent.objects.get(controller=controller, kind="admin_deleted")
    assert deleted.before["name"] == "CRM" and deleted.after == {}


def test_an_addition_in_the_admin_is_an_event_with_what_was_added(admin_client, controller):
    admin_client.post(
        url("exports_datasystem_add"), {"controller": controller.pk, "name": "Mailer"}
    )
    event = ControllerEvent.objects.get(controller=controller, kind="admin_added")
    assert event.before == {} and event.after["name"] == "Mailer"


def test_a_staff_admin_cannot_create_or_delete_controllers_or_grant_roles(
    admin_client, controller, staff_admin
):
    assert admin_client.get(url("dsar_controller_add")).status_code == 403
    assert admin_client.get(url("dsar_controller_delete", controller.pk)).status_code == 403
    page = admin_client.get(url("dsar_controller_change", controller.pk)).content.decode()
    assert "memberships-0-role" not in page  # roles shown, not editable
    assert staff_admin.username in page


def test_staff_without_an_admin_role_sees_nothing(client, controller):
    client.force_login(officer_of(controller, username="otto", is_staff=True))
    assert client.get(url("dsar_controller_changelist")).status_code == 403
    assert client.get(url("exports_datasystem_changelist")).status_code == 403
    assert controller.name not in client.get(url("index")).content.decode()


def test_a_superuser_sees_every_controller(client, controller, other_controller):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    listed = client.get(url("dsar_controller_changelist")).content.decode()
    assert controller.name in listed and other_controller.name in listed


def test_an_inline_row_added_in_the_admin_is_an_event_too(admin_client, controller):
    from exports.data.models import DataCategory, LawfulBasis

    category = DataCategory.objects.create(controller=controller, name="Orders")
    response = admin_client.post(
        url("exports_datacategory_change", category.pk),
        {
            "controller": controller.pk,
            "name": "Orders",
            "order": 100,
            "purposes-TOTAL_FORMS": 1,
            "purposes-INITIAL_FORMS": 0,
            "purposes-0-purpose": "Delivering what was bought",
            "purposes-0-lawful_basis": LawfulBasis.values[0],
            "purposes-0-order": 100,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]

    event = ControllerEvent.objects.get(controller=controller, kind="admin_added")
    assert event.after["purpose"] == "Delivering what was bought"
    assert "processing purpose" in event.target


def test_the_slug_help_names_the_public_address_readably(client, django_user_model):
    """It read "/r//": the admin shows help text as HTML, so "<slug>" vanished as a tag."""
    from django.urls import reverse

    root = django_user_model.objects.create_superuser("root", "root@example.org", "x" * 20)
    client.force_login(root)
    page = client.get(reverse("admin:dsar_controller_add")).content.decode()
    assert "/r/acme-retail/" in page and "/r//" not in page

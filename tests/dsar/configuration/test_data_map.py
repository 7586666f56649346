"""The data map page: systems and categories, only this controller's, deletion guarded."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dsar.choices import Role
from dsar.configuration.models import ControllerEvent
from exports.data.models import DataCategory, DataSource, DataSystem, SourceQuery
from tests.factories import officer_of

pytestmark = pytest.mark.django_db


def url(name, controller, *args) -> str:
    return reverse(f"settings:{name}", args=[controller.slug, *args])


def category_data(**overrides) -> dict:
    data = {
        "name": "Contact",
        "description": "Email address and phone number",
        "recipients": "Royal Mail\nOur mailing platform",
        "retention": "Two years after your last order",
        "source": "You, when you order",
        "provided_by_subject": "on",
        "automated_means": "on",
        "order": "20",
        "purposes-TOTAL_FORMS": "2",
        "purposes-INITIAL_FORMS": "0",
        "purposes-MIN_NUM_FORMS": "0",
        "purposes-MAX_NUM_FORMS": "30",
        "purposes-0-purpose": "Delivering your orders",
        "purposes-0-lawful_basis": "contract",
        "purposes-0-basis_detail": "",
        "purposes-1-purpose": "",
        "purposes-1-lawful_basis": "",
        "purposes-1-basis_detail": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("name", ["data_map", "system_add", "category_add", "access_preview"])
def test_only_admins_open_the_data_map(
    client, controller, admin, officer, auditor, other_admin, name
):
    for user, status in [(admin, 200), (officer, 403), (auditor, 403), (other_admin, 404)]:
        client.force_login(user)
        assert client.get(url(name, controller)).status_code == status, user


def test_an_admin_adds_a_category_with_its_purposes_and_systems(admin_client, admin, controller):
    crm = DataSystem.objects.create(controller=controller, name="CRM")
    response = admin_client.post(
        url("category_add", controller), category_data(systems=[str(crm.pk)])
    )
    assert response.status_code == 302
    category = DataCategory.objects.get(controller=controller, name="Contact")
    assert list(category.systems.all()) == [crm]
    assert [(p.purpose, p.lawful_basis) for p in category.purposes.all()] == [
        ("Delivering your orders", "contract")
    ]
    assert category.provided_by_subject and category.automated_means
    event = ControllerEvent.objects.get(kind="category_added")
    assert event.actor == admin and event.target == "Contact"
    assert event.after["purposes"][0]["lawful_basis"] == "contract"
    page = admin_client.get(url("data_map", controller)).content.decode()
    assert "Delivering your orders: Performance of a contract (Art 6(1)(b))" in page
    assert "Two years after your last order" in page
    letter = admin_client.get(url("access_preview", controller)).content.decode()
    assert "Delivering your orders" in letter
    assert "Two years after your last order" in letter


def test_only_this_controllers_systems_are_offered(admin_client, controller, other_controller):
    DataSystem.objects.create(controller=controller, name="Our CRM")
    theirs = DataSystem.objects.create(controller=other_controller, name="Google Analytics")
    page = admin_client.get(url("category_add", controller)).content.decode()
    assert "Our CRM" in page
    assert "Google Analytics" not in page
    response = admin_client.post(
        url("category_add", controller), category_data(systems=[str(theirs.pk)])
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not DataCategory.objects.filter(controller=controller).exists()


def test_a_purpose_without_a_basis_is_refused_and_kept(admin_client, controller):
    response = admin_client.post(
        url("category_add", controller),
        category_data(**{"purposes-0-lawful_basis": "", "name": "Typed category"}),
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Purpose 1: Choose the lawful basis for this purpose." in page
    assert 'value="Typed category"' in page and 'value="Delivering your orders"' in page


def test_a_second_category_of_the_same_name_is_refused(admin_client, controller):
    DataCategory.objects.create(controller=controller, name="Contact")
    response = admin_client.post(url("category_add", controller), category_data(name="contact"))
    assert response.status_code == 400
    assert "There is already a category called contact." in response.content.decode()


def test_another_controllers_category_is_not_found(admin_client, controller, other_controller):
    theirs = DataCategory.objects.create(controller=other_controller, name="Identity")
    assert admin_client.get(url("category_edit", controller, theirs.pk)).status_code == 404
    assert admin_client.post(url("category_delete", controller, theirs.pk)).status_code == 404
    assert DataCategory.objects.filter(pk=theirs.pk).exists()


def test_a_category_used_by_a_source_cannot_be_deleted_and_says_where(admin_client, controller):
    category = DataCategory.objects.create(controller=controller, name="Contact")
    source = DataSource.objects.create(
        controller=controller, name="Shop database", kind="sql", database_alias="subject_data"
    )
    SourceQuery.objects.create(
        source=source, category=category, table="customers", match_columns={"email": "email"}
    )
    response = admin_client.post(url("category_delete", controller, category.pk), follow=True)
    page = response.content.decode()
    assert (
        "Contact cannot be deleted: it is used by the search of table “customers” in the "
        "source Shop database. Change or remove those first." in page
    )
    assert DataCategory.objects.filter(pk=category.pk).exists()
    assert not ControllerEvent.objects.exists()


def test_an_unused_category_is_deleted_and_recorded(admin_client, controller):
    category = DataCategory.objects.create(controller=controller, name="Profile")
    response = admin_client.post(url("category_delete", controller, category.pk))
    assert response.status_code == 302
    assert not DataCategory.objects.filter(pk=category.pk).exists()
    event = ControllerEvent.objects.get(kind="category_removed")
    assert event.before["name"] == "Profile"


def test_a_system_abroad_needs_its_safeguard(admin_client, controller):
    response = admin_client.post(
        url("system_add", controller), {"name": "Mailer", "outside_uk": "on"}
    )
    assert response.status_code == 400
    assert "Name the safeguard for data leaving the UK." in response.content.decode()
    response = admin_client.post(
        url("system_add", controller),
        {"name": "Mailer", "outside_uk": "on", "transfer_safeguard": "IDTA", "hosted_in": "USA"},
    )
    assert response.status_code == 302
    assert ControllerEvent.objects.get().kind == "system_added"
    letter = admin_client.get(url("access_preview", controller)).content.decode()
    assert "Mailer (USA): IDTA" in letter


def test_statements_are_saved_and_recorded(admin_client, controller):
    response = admin_client.post(
        url("data_map", controller),
        {"automated_decisions": "We make no decisions by automated means.", "transfers": ""},
    )
    assert response.status_code == 302
    assert ControllerEvent.objects.get().kind == "data_map_statements_changed"


def test_an_officer_cannot_delete_a_category(client, controller):
    category = DataCategory.objects.create(controller=controller, name="Profile")
    client.force_login(officer_of(controller, role=Role.OFFICER, username="o2"))
    assert client.post(url("category_delete", controller, category.pk)).status_code == 403
    assert DataCategory.objects.filter(pk=category.pk).exists()

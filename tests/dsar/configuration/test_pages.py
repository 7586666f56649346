"""The settings pages over HTTP: who may open them, and what each one changes."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from dsar.configuration.models import ControllerEvent
from exports.letters.models import Letterhead

from .conftest import organisation_data

pytestmark = pytest.mark.django_db

PAGES = ["overview", "organisation", "letterhead", "letterhead_preview", "changes"]


def url(name: str, controller) -> str:
    return reverse(f"settings:{name}", args=[controller.slug])


@pytest.mark.parametrize("page", PAGES)
def test_an_admin_opens_each_page(client, admin, controller, page):
    client.force_login(admin)
    assert client.get(url(page, controller)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["officer", "auditor"])
def test_officers_and_auditors_are_told_they_cannot(client, controller, page, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(url(page, controller))
    assert response.status_code == 403
    assert "Only administrators change these settings" in response.content.decode()


@pytest.mark.parametrize("page", PAGES)
def test_another_controllers_admin_finds_nothing(client, controller, other_admin, page):
    client.force_login(other_admin)
    assert client.get(url(page, controller)).status_code == 404


@pytest.mark.parametrize("page", PAGES)
def test_signed_out_visitors_are_sent_to_sign_in(client, controller, page):
    response = client.get(url(page, controller))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_an_officer_cannot_change_the_organisation_by_posting(client, officer, controller):
    client.force_login(officer)
    response = client.post(
        url("organisation", controller), organisation_data(controller, name="Hijacked")
    )
    assert response.status_code == 403
    controller.refresh_from_db()
    assert controller.name == "Acme Retail"


def test_the_menu_offers_settings_to_admins_only(client, admin, officer, controller):
    client.force_login(admin)
    assert 'href="/settings/">Settings<' in client.get(reverse("dsar:queue")).content.decode()
    client.force_login(officer)
    assert 'href="/settings/">Settings<' not in client.get(reverse("dsar:queue")).content.decode()


def test_settings_home_goes_straight_to_the_only_controller(admin_client, controller):
    response = admin_client.get(reverse("settings:home"))
    assert response.status_code == 302
    assert response["Location"] == url("overview", controller)


# --- Organisation -----------------------------------------------------------------------


def test_the_organisation_page_shows_numbers_not_json(admin_client, controller):
    page = admin_client.get(url("organisation", controller)).content.decode()
    assert 'value="7, 3, 1"' in page
    assert "[7, 3, 1]" not in page


def test_saving_the_organisation_changes_it_and_records_the_change(admin_client, admin, controller):
    data = organisation_data(
        controller,
        name="Acme Stores",
        ico_registration="ZA999999",
        reminder_days="10, 5 2",
        deadline_rule="days",
        deadline_days="28",
        digest_hour="9",
        approve_erasure="on",
    )
    response = admin_client.post(url("organisation", controller), data)
    assert response.status_code == 302
    controller.refresh_from_db()
    assert controller.name == "Acme Stores"
    assert controller.reminder_days == [10, 5, 2]
    assert (controller.deadline_rule, controller.deadline_days) == ("days", 28)
    assert controller.approve_erasure is True
    event = ControllerEvent.objects.get(controller=controller)
    assert event.actor == admin
    assert event.before["name"] == "Acme Retail"
    assert event.after["name"] == "Acme Stores"
    assert event.after["reminder_days"] == [10, 5, 2]
    changes = admin_client.get(url("changes", controller)).content.decode()
    assert "Organisation changed" in changes
    assert "Acme Stores" in changes and "Acme Retail" in changes


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"deadline_rule": "days", "deadline_days": "30"}, "deadline_days", "at most 28"),
        ({"extension_months": "3"}, "extension_months", "at most 2 further months"),
        ({"reminder_days": "7, three, 1"}, "reminder_days", "“three” is not a whole number"),
        ({"digest_hour": "24"}, "digest_hour", "less than or equal to 23"),
        ({"dpo_email": "", "ways": ["web", "email"]}, "dpo_email", "Enter the DPO email"),
        ({"ways": None}, "ways", "This field is required"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "Select a valid choice"),
    ],
)
def test_errors_are_listed_and_what_was_typed_is_kept(
    admin_client, controller, overrides, field, message
):
    data = organisation_data(controller, name="Typed Name Ltd", **overrides)
    response = admin_client.post(url("organisation", controller), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'href="#id_{field}' in page
    assert message in page
    assert 'value="Typed Name Ltd"' in page
    if overrides.get("reminder_days"):
        assert f'value="{overrides["reminder_days"]}"' in page
    controller.refresh_from_db()
    assert controller.name == "Acme Retail"
    assert not ControllerEvent.objects.exists()


def test_the_ways_to_ask_are_what_the_public_page_shows(admin_client, client, controller):
    data = organisation_data(
        controller, ways=["web", "phone"], dpo_phone="0161 496 0000", postal_address="1 High St"
    )
    assert admin_client.post(url("organisation", controller), data).status_code == 302
    controller.refresh_from_db()
    assert (controller.accepts_email, controller.accepts_phone, controller.accepts_post) == (
        False,
        True,
        False,
    )
    client.logout()
    page = client.get(reverse("dsar:request_form", args=[controller.slug])).content.decode()
    assert "Phone 0161 496 0000" in page
    assert "mailto:" not in page
    assert "1 High St" not in page


# --- Letterhead -------------------------------------------------------------------------


def png(size=(60, 20)) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", size, (29, 79, 145)).save(out, "PNG")
    out.seek(0)
    out.name = "logo.png"
    return out


def test_the_letterhead_is_saved_in_one_place_with_its_logo(admin_client, controller):
    response = admin_client.post(
        url("letterhead", controller),
        {"text": "Registered office: 1 High St", "logo": png(), "logo_description": "Acme logo"},
    )
    assert response.status_code == 302
    controller.refresh_from_db()
    assert controller.letterhead == "Registered office: 1 High St"
    head = Letterhead.objects.get(controller=controller)
    assert head.logo.name.startswith("letterheads/")
    event = ControllerEvent.objects.get(kind="letterhead_changed")
    assert event.after["letterhead"] == "Registered office: 1 High St"
    assert event.after["logo"] == head.logo.name
    preview = admin_client.get(url("letterhead_preview", controller)).content.decode()
    assert "Registered office: 1 High St" in preview
    assert 'alt="Acme logo"' in preview and "data:image/png;base64," in preview


def test_a_file_that_is_not_an_image_is_refused_as_a_logo(admin_client, controller):
    fake = io.BytesIO(b"<svg onload=alert(1)></svg>")
    fake.name = "logo.png"
    response = admin_client.post(
        url("letterhead", controller),
        {"text": "Kept text", "logo": fake, "logo_description": "Acme logo"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "The logo must be a PNG or JPEG image." in page
    assert "Kept text" in page
    assert not Letterhead.objects.filter(controller=controller).exclude(logo="").exists()


def test_a_damaged_image_is_refused_by_the_upload_check(admin_client, controller):
    broken = io.BytesIO(png().getvalue()[:60])
    broken.name = "logo.png"
    response = admin_client.post(
        url("letterhead", controller), {"logo": broken, "logo_description": "Acme logo"}
    )
    assert response.status_code == 400
    assert "damaged or not a real image" in response.content.decode()


def test_a_logo_needs_a_description(admin_client, controller):
    response = admin_client.post(url("letterhead", controller), {"logo": png()})
    assert response.status_code == 400
    assert "Describe the logo for people using screen readers." in response.content.decode()


def test_the_preview_shows_lines_typed_but_not_saved(admin_client, controller):
    page = admin_client.get(
        url("letterhead", controller), {"preview": "1", "text": "Unsaved line"}
    ).content.decode()
    assert "Unsaved line" in page  # kept in the form
    assert "?text=Unsaved+line" in page  # and the frame shows it
    preview = admin_client.get(url("letterhead_preview", controller), {"text": "Unsaved line"})
    assert "Unsaved line" in preview.content.decode()
    assert "Acme Retail" in preview.content.decode()
    controller.refresh_from_db()
    assert controller.letterhead == ""
    assert not ControllerEvent.objects.exists()


def test_the_preview_is_framed_only_by_this_site_and_runs_nothing(admin_client, controller):
    response = admin_client.get(url("letterhead_preview", controller))
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "sandbox" in response["Content-Security-Policy"]


def test_removing_the_logo_records_it(admin_client, controller):
    admin_client.post(
        url("letterhead", controller), {"logo": png(), "logo_description": "Acme logo"}
    )
    response = admin_client.post(
        url("letterhead", controller), {"logo_description": "Acme logo", "remove_logo": "on"}
    )
    assert response.status_code == 302
    assert not Letterhead.objects.get(controller=controller).logo
    last = ControllerEvent.objects.filter(kind="letterhead_changed").first()
    assert last.after["logo"] == ""

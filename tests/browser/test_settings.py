"""A controller's admin in the settings pages: organisation (with an error), identity
checks (wording previewed) and the data map (a category added, then seen in the access
response preview). Each page is checked with axe and photographed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dsar.choices import Role
from exports.data.models import DataCategory
from tests.browser.conftest import assert_accessible, screenshot
from tests.factories import PASSWORD, ControllerFactory, officer_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, user, path: str) -> None:
    page.goto(path)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(path) + "$"))


@pytest.fixture
def acme(db):
    return ControllerFactory(
        name="Acme Retail",
        slug="acme",
        postal_address="1 High Street\nLeeds LS1 1AA",
        letterhead="Acme Retail Limited, registered in England, company 01234567",
    )


@pytest.fixture
def ada(acme):
    return officer_of(acme, role=Role.ADMIN, username="ada", first_name="Ada", last_name="Admin")


def test_organisation_page_with_an_error_summary(page, acme, ada):
    sign_in(page, ada, "/settings/acme/organisation/")
    assert page.get_by_role("heading", name="Organisation", level=1).is_visible()
    assert page.get_by_label("Remind officers this many working days before the due date")\
        .input_value() == "7, 3, 1"  # fmt: skip
    assert_accessible(page)
    screenshot(page, "settings-organisation")

    page.get_by_label("A fixed number of days").check()
    page.get_by_label("Number of days (fixed-days rule)").fill("30")
    page.get_by_label("Remind officers this many working days before the due date").fill("7, x")
    page.get_by_role("button", name="Save organisation settings").click()
    summary = page.get_by_role("alert")
    assert "There is a problem" in summary.inner_text()
    assert "A fixed-days rule is at most 28 days" in summary.inner_text()
    assert page.get_by_label("Number of days (fixed-days rule)").input_value() == "30"
    assert_accessible(page)
    screenshot(page, "settings-organisation-errors")
    # The summary's link takes the keyboard to the field.
    summary.get_by_role("link", name=re.compile("at most 28")).click()
    assert page.evaluate("document.activeElement.id") == "id_deadline_days"

    # The letterhead page, its preview letter in a frame beside the form.
    page.get_by_role("link", name="Letterhead").click()
    page.get_by_role("heading", name="Letterhead", level=1).wait_for()
    page.frame_locator("iframe#letter-preview").get_by_text("company 01234567").first.wait_for()
    assert_accessible(page)
    screenshot(page, "settings-letterhead")


def test_identity_checks_with_the_wording_previewed(page, acme, ada):
    sign_in(page, ada, "/settings/acme/identity/")
    assert_accessible(page)
    screenshot(page, "settings-identity-index")
    page.get_by_role("link", name=re.compile("Set checks for Access")).click()
    page.get_by_label("An identity document").check()
    page.get_by_label("Colour copy of passport").check()
    page.get_by_label("Colour copy of driving licence").check()
    page.get_by_role("button", name="Preview the wording").click()
    wording = page.get_by_role("region", name="What the requester reads")
    assert "Proof of your identity: one of colour copy of passport or colour copy of " \
        "driving licence." in wording.inner_text()  # fmt: skip
    assert "not saved yet" in wording.inner_text()
    assert_accessible(page)
    screenshot(page, "settings-identity-access")
    page.get_by_role("button", name="Save checks").click()
    page.get_by_text("Identity checks for access requests saved.").wait_for()


def test_an_admin_adds_a_category_and_sees_it_in_the_access_letter(page, acme, ada):
    sign_in(page, ada, "/settings/acme/data-map/")
    assert_accessible(page)
    page.get_by_role("link", name="Add a category").click()
    page.get_by_label("Name of the category").fill("Loyalty card")
    page.locator("#id_purposes-0-purpose").fill("Giving you points on your purchases")
    page.locator("#id_purposes-0-lawful_basis").select_option("contract")
    page.get_by_label("How long it is kept").fill("Until you close your loyalty account")
    page.get_by_label("Where it comes from").fill("You, and the tills when you shop")
    page.get_by_role("button", name="Save category").click()
    page.get_by_text("Category Loyalty card saved.").wait_for()
    assert DataCategory.objects.filter(controller=acme, name="Loyalty card").exists()
    row = page.get_by_role("row", name=re.compile("Loyalty card"))
    assert "Giving you points on your purchases: Performance of a contract" in row.inner_text()
    letter = page.frame_locator("iframe[title='Preview of an access response']")
    letter.get_by_text("Until you close your loyalty account", exact=False).first.wait_for()
    assert letter.get_by_text("Giving you points on your purchases", exact=False).first.is_visible()
    assert_accessible(page)
    screenshot(page, "settings-data-map")
    # The letter on its own (a full-page shot leaves the sandboxed frame blank).
    page.goto("/settings/acme/data-map/access-preview/")
    assert page.get_by_text("Until you close your loyalty account").first.is_visible()
    screenshot(page, "settings-access-preview")


def test_an_admin_downloads_changes_and_imports_the_configuration_file(page, acme, ada, tmp_path):
    sign_in(page, ada, "/settings/acme/configuration/")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the configuration of Acme Retail").click()
    document = json.loads(Path(download.value.path()).read_text())
    assert document["controller"]["name"] == "Acme Retail"

    document["controller"]["team_email"] = "requests@acme.example"
    edited = tmp_path / "acme.json"
    edited.write_text(json.dumps(document))
    page.get_by_label("Configuration file").set_input_files(str(edited))
    page.get_by_role("button", name="Compare with these settings").click()
    row = page.get_by_role("row", name=re.compile("controller.team_email"))
    assert "requests@acme.example" in row.inner_text()
    assert_accessible(page)
    screenshot(page, "settings-configuration-compared")

    page.get_by_role("button", name="Apply this change").click()
    page.get_by_text("Configuration imported: 1 change").wait_for()
    assert page.get_by_role("heading", name="Changes", level=1).is_visible()
    acme.refresh_from_db()
    assert acme.team_email == "requests@acme.example"

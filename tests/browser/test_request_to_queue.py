"""A requester asks, confirms by the emailed link; an officer finds the case and extends it."""

import re

import pytest
from django.core import mail

from dsar.choices import Status
from dsar.models import Case
from tests.browser.conftest import (
    assert_accessible,
    assert_no_third_party_requests,
    screenshot,
)
from tests.factories import PASSWORD, CaseFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_requester_submits_the_form_and_confirms_by_the_emailed_link(page, live_server, controller):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"/r/{controller.slug}/")
    assert_accessible(page)
    screenshot(page, "public-form")

    page.get_by_label("Access (a copy of your data)").check()
    page.get_by_label("Full name").first.fill("Zoë Ó Briain")
    page.get_by_label("Email address").first.fill("zoe@example.net")
    page.locator("#id_declaration").check()
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url(re.compile(r"/sent/$"))
    assert "Check your email" in page.content()
    assert_accessible(page)

    case = Case.objects.get()
    assert case.status == Status.UNCONFIRMED
    assert case.requester_name == "Zoë Ó Briain"
    (email,) = mail.outbox
    link = re.search(r"https?://\S+/confirm/\S+/", email.body).group(0)
    page.goto(link.replace("http://127.0.0.1:8000", live_server.url))
    assert case.reference in page.content()
    screenshot(page, "public-confirmed")
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert_no_third_party_requests(requests, live_server.url)


def test_form_errors_are_summarised_and_nothing_typed_is_lost(page, controller):
    page.goto(f"/r/{controller.slug}/")
    page.get_by_label("Rectification (correct your data)").check()
    page.get_by_label("Full name").first.fill("Ada Lovelace")
    page.get_by_role("button", name="Send request").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert summary.get_by_role("link").count() >= 2
    assert page.get_by_label("Full name").first.input_value() == "Ada Lovelace"
    assert_accessible(page)
    screenshot(page, "public-form-errors")
    assert not Case.objects.exists()


def test_officer_finds_the_case_in_the_queue_and_extends_it(page, controller, officer):
    CaseFactory.create_batch(3, controller=controller)
    case = CaseFactory(controller=controller, requester_name="Grace Hopper")
    page.goto("/queue/")
    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/queue/"))
    assert_accessible(page)
    screenshot(page, "queue")

    page.get_by_label("Search").fill("Grace Hopper")
    page.get_by_role("button", name=re.compile("Filter|Apply|Search")).first.click()
    rows = page.locator("tbody tr")
    assert rows.count() == 1
    rows.first.get_by_role("link", name=case.reference).click()
    page.wait_for_url(re.compile(rf"/cases/{case.reference}/$"))
    assert_accessible(page)

    page.get_by_text("Extend the deadline").click()
    page.get_by_label("The request is complex").check()
    page.locator("#id_extend_reason").fill("Records are held in five separate systems.")
    page.get_by_role("button", name="Extend and tell the requester").click()
    assert "Extended and the requester told: now due" in page.content()
    screenshot(page, "case-extended")
    case.refresh_from_db()
    assert case.extended and case.extension_ground == "complex"
    assert case.due_date > case.original_due_date

"""Issue 18 point 6: with the proof-of-work check on, the browser solves the challenge
itself (static/js/proof-of-work.js, crypto.subtle) when the form is sent."""

import re

import pytest

from dsar.models import Case
from tests.browser.conftest import assert_accessible, assert_no_third_party_requests

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_browser_solves_the_check_and_the_request_is_sent(
    page, live_server, controller, settings
):
    settings.INTAKE_PROOF_OF_WORK_BITS = 8
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"/r/{controller.slug}/")
    assert_accessible(page)
    assert not page.locator("#proof-of-work-noscript").is_visible()

    page.get_by_label("Access (a copy of your data)").check()
    page.get_by_label("Full name").first.fill("Zoë Ó Briain")
    page.get_by_label("Email address").first.fill("zoe@example.net")
    page.locator("#id_declaration").check()
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url(re.compile(r"/sent/$"))

    assert Case.objects.get().requester_email == "zoe@example.net"
    assert_no_third_party_requests(requests, live_server.url)
    sent = [r for r in requests if r.endswith(f"/r/{controller.slug}/")]
    assert len(sent) == 2  # the page, then the one post: no failed first attempt


def test_without_javascript_the_page_says_so_and_gives_other_ways(
    browser, live_server, controller, settings
):
    settings.INTAKE_PROOF_OF_WORK_BITS = 8
    controller.dpo_email = "dpo@acme.example"
    controller.save()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/r/{controller.slug}/")

    notice = page.locator("#proof-of-work-noscript")
    assert notice.is_visible()
    assert "needs JavaScript" in notice.inner_text()
    assert "dpo@acme.example" in notice.inner_text()
    context.close()

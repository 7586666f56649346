"""Issue 18 point 6: the optional self-hosted proof-of-work check on the public side, for
the form at /r/<slug>/ and ``POST /api/v1/requests/`` (``INTAKE_PROOF_OF_WORK_BITS``)."""

from __future__ import annotations

import re
import time

import pytest
from django.core import signing
from django.urls import reverse
from rest_framework.test import APIClient

from dsar.abuse import proof_of_work
from dsar.abuse.proof_of_work import ProofOfWorkError, new_challenge, solve, verify
from dsar.models import Case
from tests.dsar.abuse.test_budgets import api_body, form_answers
from tests.dsar.abuse.test_cache_down import closed_port

BITS = 8  # about 256 hashes: quick to solve here, yet a random answer fails 255 times in 256


def wrong_solution(challenge: str, bits: int) -> str:
    counter = 0
    while proof_of_work.solves(challenge, f"x{counter}", bits):
        counter += 1
    return f"x{counter}"


def reason(challenge: str, solution: str) -> str:
    with pytest.raises(ProofOfWorkError) as caught:
        verify(challenge, solution)
    return caught.value.reason


# --- the functions ----------------------------------------------------------------------


def test_a_solved_challenge_is_accepted_once_and_refused_when_replayed(db):
    challenge = new_challenge(BITS).challenge
    solution = solve(challenge, BITS)

    verify(challenge, solution)

    with pytest.raises(ProofOfWorkError) as caught:
        verify(challenge, solution)
    assert caught.value.reason == "used"
    assert "already been used" in caught.value.message


def test_a_wrong_solution_is_refused(db):
    challenge = new_challenge(BITS).challenge
    assert reason(challenge, wrong_solution(challenge, BITS)) == "wrong"
    assert reason(challenge, "1" * 33) == "wrong"  # too long to be a counter


def test_a_missing_challenge_or_solution_is_refused(db):
    challenge = new_challenge(BITS).challenge
    assert reason("", "1") == "missing"
    assert reason(challenge, "") == "missing"


def test_an_expired_challenge_is_refused_with_a_message_saying_so(db, monkeypatch):
    challenge = new_challenge(BITS).challenge
    solution = solve(challenge, BITS)
    later = time.time() + proof_of_work.MAX_AGE_SECONDS + 5
    monkeypatch.setattr(time, "time", lambda: later)

    with pytest.raises(ProofOfWorkError) as caught:
        verify(challenge, solution)
    assert caught.value.reason == "expired"
    assert "expired" in caught.value.message and "30 minutes" in caught.value.message


def test_a_tampered_challenge_is_refused(db):
    challenge = new_challenge(BITS).challenge
    # Lower the difficulty to 0 bits inside the payload, keeping the old signature.
    rest = challenge.partition(":")[2]
    data = signing.loads(challenge, salt=proof_of_work.SALT)
    forged_payload = signing.b64_encode(signing.JSONSerializer().dumps({**data, "b": 0})).decode()
    assert reason(f"{forged_payload}:{rest}", "0") == "invalid"
    # Signed for another purpose (another salt) is not a challenge either.
    other = signing.dumps({"n": "x", "b": 0, "t": int(time.time())}, salt="another")
    assert reason(other, "0") == "invalid"


def test_a_dead_cache_accepts_a_solved_challenge_rather_than_refusing_the_request(db, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.ReusingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    challenge = new_challenge(BITS).challenge
    verify(challenge, solve(challenge, BITS))  # no exception: accepted


# --- the web form -----------------------------------------------------------------------


def form_challenge(html: str) -> str:
    match = re.search(r'name="pow_challenge" value="([^"]+)" data-pow-bits="(\d+)"', html)
    assert match, "the page carries no challenge"
    return match.group(1)


@pytest.fixture
def pow_on(settings):
    settings.INTAKE_PROOF_OF_WORK_BITS = BITS


def test_with_the_check_on_the_form_refuses_a_post_without_a_solution_and_keeps_the_answers(
    client, controller, pow_on
):
    url = reverse("dsar:request_form", args=[controller.slug])
    controller.dpo_email = "dpo@acme.example"
    controller.save()

    page = client.get(url).content.decode()
    assert "<noscript>" in page and "This form needs JavaScript" in page
    assert "dpo@acme.example" in page.split("</noscript>")[0]
    assert "js/proof-of-work.js" in page

    response = client.post(url, form_answers("ada@example.net"))

    assert response.status_code == 200
    html = response.content.decode()
    summary = html.split('id="error-summary"')[1].split("</div>")[0]
    assert "This form needs JavaScript switched on" in summary
    assert 'value="Ada Lovelace"' in html and 'value="ada@example.net"' in html
    form_challenge(html)  # a fresh challenge to try again with
    assert Case.objects.count() == 0


def test_with_the_check_on_the_form_accepts_a_solved_challenge_once(client, controller, pow_on):
    url = reverse("dsar:request_form", args=[controller.slug])
    challenge = form_challenge(client.get(url).content.decode())
    answers = {
        **form_answers("ada@example.net"),
        "pow_challenge": challenge,
        "pow_solution": solve(challenge, BITS),
    }

    sent = client.post(url, answers)
    replayed = client.post(url, {**answers, "requester_email": "bob@example.net"})

    assert sent.status_code == 302
    assert sent["Location"] == reverse("dsar:request_sent", args=[controller.slug])
    assert replayed.status_code == 200
    assert "already been used" in replayed.content.decode()
    assert list(Case.objects.values_list("requester_email", flat=True)) == ["ada@example.net"]


def test_with_the_check_on_a_wrong_solution_on_the_form_is_an_error(client, controller, pow_on):
    url = reverse("dsar:request_form", args=[controller.slug])
    challenge = form_challenge(client.get(url).content.decode())
    answers = {
        **form_answers("ada@example.net"),
        "pow_challenge": challenge,
        "pow_solution": wrong_solution(challenge, BITS),
    }

    response = client.post(url, answers)

    assert response.status_code == 200
    assert "was not completed" in response.content.decode()
    assert Case.objects.count() == 0


def test_with_the_check_off_the_form_is_as_before(client, controller):
    url = reverse("dsar:request_form", args=[controller.slug])

    page = client.get(url).content.decode()
    response = client.post(url, form_answers("ada@example.net"))

    assert "pow_challenge" not in page and "proof-of-work.js" not in page
    assert "This form needs JavaScript" not in page
    assert response.status_code == 302
    assert Case.objects.count() == 1


# --- the API ------------------------------------------------------------------------------


def test_with_the_check_on_the_api_needs_a_solved_challenge_once(controller, pow_on):
    api = APIClient()
    got = api.get("/api/v1/requests/challenge/")
    assert got.status_code == 200
    assert got["Cache-Control"] == "no-store"
    challenge, bits = got.json()["challenge"], got.json()["bits"]
    assert bits == BITS

    missing = api.post("/api/v1/requests/", api_body("ada@example.net"), format="json")
    body = {
        **api_body("ada@example.net"),
        "proof_of_work": {"challenge": challenge, "solution": solve(challenge, bits)},
    }
    sent = api.post("/api/v1/requests/", body, format="json")
    replayed = api.post(
        "/api/v1/requests/", {**body, "requester_email": "bob@example.net"}, format="json"
    )

    assert missing.status_code == 400
    assert set(missing.json()) >= {"detail", "errors"}
    assert "missing" in missing.json()["errors"]["proof_of_work"][0]
    assert "/api/v1/requests/challenge/" in missing.json()["errors"]["proof_of_work"][0]
    assert sent.status_code == 201
    assert replayed.status_code == 400
    assert "already been used" in replayed.json()["errors"]["proof_of_work"][0]
    assert Case.objects.count() == 1


def test_with_the_check_on_the_api_refuses_a_wrong_solution(controller, pow_on):
    api = APIClient()
    challenge = api.get("/api/v1/requests/challenge/").json()["challenge"]
    body = {
        **api_body("ada@example.net"),
        "proof_of_work": {"challenge": challenge, "solution": wrong_solution(challenge, BITS)},
    }

    response = api.post("/api/v1/requests/", body, format="json")

    assert response.status_code == 400
    assert "was not completed" in response.json()["errors"]["proof_of_work"][0]
    assert Case.objects.count() == 0


def test_challenges_are_limited_per_address(controller, pow_on, settings):
    settings.INTAKE_RATE_LIMIT_PER_HOUR = 1
    api = APIClient()
    codes = [
        api.get("/api/v1/requests/challenge/", REMOTE_ADDR="198.51.100.9").status_code
        for _ in range(12)
    ]
    assert codes == [200] * 10 + [429] * 2


def test_with_the_check_off_the_api_is_as_before(controller):
    api = APIClient()

    challenge = api.get("/api/v1/requests/challenge/")
    sent = api.post("/api/v1/requests/", api_body("ada@example.net"), format="json")

    assert challenge.json() == {"challenge": None, "bits": 0}
    assert sent.status_code == 201

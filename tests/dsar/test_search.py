"""The queue search: every status, exact or partial, by reference, name, email, phone or
customer number; says when matches are closed; never another controller's case."""

import re

import pytest
from django.urls import reverse

from dsar.choices import Relationship, Status
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

QUEUE = reverse("dsar:queue")
ROW = re.compile(r'<th scope="row"[^>]*><a href="[^"]+">(DSAR-\d{4}-\d{6})</a></th>')


def found(client, query: str) -> list[str]:
    response = client.get(QUEUE, {"q": query})
    assert response.status_code == 200
    return ROW.findall(response.content.decode())


@pytest.fixture
def ada(controller):
    return CaseFactory(
        controller=controller,
        reference="DSAR-2026-000123",
        requester_name="Ada Lovelace",
        requester_email="Ada.Lovelace@Example.org",
        requester_phone="+44 20 7946 0123",
        subject_identifiers=[{"kind": "customer_number", "value": "CUS-88412"}],
        status=Status.WITHDRAWN,
    )


@pytest.mark.parametrize(
    "query",
    [
        "DSAR-2026-000123",  # exact
        "dsar-2026-000123",
        "000123",  # partial reference
        "Ada Lovelace",
        "lovelace",
        "ada.lovelace@example.org",
        "lovelace@exam",  # partial email
        "020 7946 0123",  # the phone as written differently
        "02079460123",
        "CUS-88412",
        "cus88412",
    ],
)
def test_search_finds_a_withdrawn_case_by_any_identifier(officer_client, ada, query):
    assert found(officer_client, query) == [ada.reference]


def test_search_says_when_matches_are_closed_cases(officer_client, controller, ada):
    CaseFactory(controller=controller, requester_name="Ada Byron")
    html = officer_client.get(QUEUE, {"q": "ada"}).content.decode()
    assert "1 of the matches on this page is a closed case" in html
    assert "Closed case" in html


def test_search_does_not_match_an_agents_phone_as_the_subject_but_still_finds_it(
    officer_client, controller
):
    agent = CaseFactory(
        controller=controller,
        relationship=Relationship.SOLICITOR,
        requester_name="Bright & Co Solicitors",
        requester_phone="0161 496 0000",
        subject_name="Grace Hopper",
    )
    assert found(officer_client, "0161 496 0000") == [agent.reference]
    assert found(officer_client, "hopper") == [agent.reference]


def test_browsing_without_a_search_still_lists_open_cases_only(officer_client, ada, controller):
    open_case = CaseFactory(controller=controller)
    assert ROW.findall(officer_client.get(QUEUE).content.decode()) == [open_case.reference]


def test_search_never_returns_another_controllers_case(client, outsider, ada):
    client.force_login(outsider)
    for query in ["DSAR-2026-000123", "lovelace", "020 7946 0123", "CUS-88412", "a"]:
        assert found(client, query) == []


def test_search_after_erasure_of_the_fields_finds_only_the_reference(officer_client, ada):
    ada.requester_name = ada.requester_email = ada.requester_phone = ""
    ada.subject_identifiers = []
    ada.save()
    assert found(officer_client, "lovelace") == []
    assert found(officer_client, "000123") == [ada.reference]

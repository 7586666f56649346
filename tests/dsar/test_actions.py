"""The case-action table (dsar.actions) is the one place the case page, the API's
``actions`` field and the action endpoints learn what an officer may do to a case."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from dsar import actions
from dsar.choices import Outcome, RefusalGround, Right, Status
from dsar.models import Case
from tests.factories import CaseFactory, api_client_for

pytestmark = pytest.mark.django_db

NOW = "2026-03-10 10:00 +00:00"


def page_actions(client, case: Case) -> list[str]:
    """The case actions the page offers, from its forms' addresses, in page order (the
    page's panels have forms of their own: messages, letters, identity steps)."""
    html = client.get(reverse("dsar:case_detail", args=[case.reference])).content.decode()
    prefix = re.escape(f"/cases/{case.reference}/")
    posted = re.findall(rf'<form method="post" action="{prefix}([a-z-]+)/"', html)
    return [slug for slug in posted if slug in actions.ACTIONS]


def api_actions(user, case: Case) -> list[str]:
    return api_client_for(user).get(f"/api/v1/cases/{case.reference}/").json()["actions"]


def a_case(controller, status: str, **fields) -> Case:
    return CaseFactory(
        controller=controller, status=status, received_on=dt.date(2026, 3, 2), **fields
    )


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize(
    ("status", "right"),
    [
        (Status.IN_PROGRESS, Right.ACCESS),
        (Status.IN_PROGRESS, Right.ERASURE),
        (Status.AWAITING_IDENTITY, Right.ACCESS),
        (Status.READY_FOR_REVIEW, Right.RECTIFICATION),
        (Status.CLOSED, Right.ACCESS),
    ],
)
def test_the_page_and_the_api_offer_what_the_table_offers(
    officer, officer_client, controller, status, right
):
    case = a_case(controller, status, right=right)
    expected = [a.slug for a in actions.offered(officer, case)]

    assert page_actions(officer_client, case) == expected
    assert api_actions(officer, case) == expected
    if status == Status.CLOSED:
        assert expected == []
    else:
        assert "assign" in expected
    # Clarification stops the clock for access requests only (Art 12A).
    assert ("pause" in expected) == (status == Status.IN_PROGRESS and right == Right.ACCESS)


@time_machine.travel(NOW, tick=False)
def test_an_auditor_is_offered_nothing_anywhere(auditor, client, controller):
    case = a_case(controller, Status.IN_PROGRESS)
    client.force_login(auditor)

    assert actions.offered(auditor, case) == []
    assert page_actions(client, case) == []
    assert api_actions(auditor, case) == []


@time_machine.travel(NOW, tick=False)
def test_a_rule_changed_in_the_table_changes_the_page_the_field_and_the_endpoints(
    officer, officer_client, controller, monkeypatch
):
    """Who may refuse a request, narrowed in the table alone: nobody."""
    case = a_case(controller, Status.IN_PROGRESS)
    assert "refuse" in page_actions(officer_client, case)
    narrowed = dataclasses.replace(actions.ACTIONS["refuse"], may=lambda user, case: False)
    monkeypatch.setitem(actions.ACTIONS, "refuse", narrowed)

    assert "refuse" not in page_actions(officer_client, case)
    assert "refuse" not in api_actions(officer, case)
    assert "assign" in api_actions(officer, case)
    refusal = {"ground": RefusalGround.MANIFESTLY_EXCESSIVE, "reasons": "Asked weekly."}
    posted = officer_client.post(
        reverse("dsar:case_action", args=[case.reference, "refuse"]),
        {"version": case.version, **refusal},
    )
    assert posted.status_code == 403
    api = api_client_for(officer).post(
        f"/api/v1/cases/{case.reference}/refuse/", refusal, format="json"
    )
    assert api.status_code == 403
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS


@time_machine.travel(NOW, tick=False)
def test_a_partly_fulfilled_close_needs_its_exemptions_on_the_page_and_the_api(
    officer, officer_client, controller
):
    """The rule lives in the service, so both ways in give the same message."""
    case = a_case(controller, Status.READY_FOR_REVIEW)
    message = "Give the exemptions applied: it goes on the case record."

    page = officer_client.post(
        reverse("dsar:case_action", args=[case.reference, "close"]),
        {"version": case.version, "outcome": Outcome.PARTLY_FULFILLED, "reasons": " "},
    )
    api = api_client_for(officer).post(
        f"/api/v1/cases/{case.reference}/close/",
        {"outcome": Outcome.PARTLY_FULFILLED},
        format="json",
    )

    assert page.status_code == 400
    assert message in page.content.decode()
    assert api.status_code == 400
    assert message in str(api.json())
    case.refresh_from_db()
    assert case.status == Status.READY_FOR_REVIEW

"""GET /api/v1/deadlines/preview/: "when is this due?" over the API."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from dsar.choices import Role
from tests.factories import ControllerFactory, MembershipFactory, officer_of

URL = "/api/v1/deadlines/preview/"


def preview(client, **params):
    return client.get(URL, params)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # The ICO's examples. 3 Oct 2026 is a Saturday, so the deadline is Monday 5 Oct.
        ("2026-09-03", "2026-10-05"),
        # No 31 February: the last day of the month, Saturday 28 Feb 2026 -> Monday 2 Mar.
        ("2026-01-31", "2026-03-02"),
        ("2028-01-31", "2028-02-29"),  # leap year, a Tuesday
        ("2027-01-01", "2027-02-01"),  # received on a bank holiday: still day one
    ],
)
def test_ico_examples(officer_api, received, due):
    response = preview(officer_api, received=received)

    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["due_date"] == due
    assert data["original_due_date"] == due
    assert data["start_date"] == received
    assert data["paused_days"] == 0
    assert data["explanation"] and all(isinstance(line, str) for line in data["explanation"])


def test_a_clarification_pause_adds_its_days(officer_api):
    response = preview(officer_api, received="2026-09-03", pause="2026-09-10:2026-09-16")

    data = response.json()
    assert data["paused_days"] == 7
    # 3 Oct + 7 days = Saturday 10 Oct -> Monday 12 Oct.
    assert data["due_date"] == "2026-10-12"


def test_several_pauses_add_up(officer_api):
    response = officer_api.get(
        URL + "?received=2026-09-03&pause=2026-09-07:2026-09-08&pause=2026-09-14:2026-09-15"
    )

    assert response.json()["paused_days"] == 4
    assert response.json()["due_date"] == "2026-10-07"


def test_extension_gives_the_extended_date_as_due(officer_api):
    data = preview(officer_api, received="2026-09-03", extended="true").json()

    assert data["due_date"] == "2026-12-03"
    assert data["extended_due_date"] == "2026-12-03"
    assert data["original_due_date"] == "2026-10-05"
    assert data["input"]["extended"] is True


def test_identity_evidence_restarts_the_clock(officer_api):
    data = preview(officer_api, received="2026-09-03", identity_received="2026-09-10").json()

    assert data["start_date"] == "2026-09-10"
    assert data["due_date"] == "2026-10-12"


def test_scottish_bank_holidays_apply_in_scotland(officer_api):
    # 30 Nov 2026 is a Monday and St Andrew's Day, a bank holiday in Scotland only.
    assert preview(officer_api, received="2026-10-30").json()["due_date"] == "2026-11-30"
    scotland = preview(officer_api, received="2026-10-30", region="scotland").json()
    assert scotland["due_date"] == "2026-12-01"


def test_asking_for_days_means_the_days_rule(officer_api):
    data = preview(officer_api, received="2026-09-03", days=28).json()

    assert data["input"]["rule"] == "days"
    assert data["due_date"] == "2026-10-01"


def test_a_controller_with_the_28_day_rule(officer_api, officer):
    quick = ControllerFactory(slug="quick", deadline_rule="days", deadline_days=28)
    MembershipFactory(user=officer, controller=quick)

    data = preview(officer_api, received="2026-09-03", controller="quick").json()

    assert data["due_date"] == "2026-10-01"
    assert data["input"]["controller"] == "quick"
    assert data["input"]["rule"] == "days"
    # An explicit parameter beats the controller's setting.
    override = preview(
        officer_api, received="2026-09-03", controller="quick", rule="calendar_month"
    )
    assert override.json()["due_date"] == "2026-10-05"


def test_an_open_pause_counts_up_to_as_of(officer_api):
    data = preview(
        officer_api, received="2026-09-03", pause="2026-09-10:", as_of="2026-09-12"
    ).json()

    assert data["paused_days"] == 3


def test_bad_input_is_a_json_400_naming_each_field(officer_api):
    response = preview(officer_api, received="3 Sept", rule="fortnight", pause="2026-09-10", days=0)

    assert response.status_code == 400
    data = response.json()
    assert data["detail"]
    assert set(data["errors"]) == {"received", "rule", "pause", "days"}


def test_a_pause_ending_before_it_starts_is_refused(officer_api):
    response = preview(officer_api, received="2026-09-03", pause="2026-09-16:2026-09-10")

    assert response.status_code == 400
    assert "pause" in response.json()["errors"]


def test_identity_evidence_before_the_request_is_refused(officer_api):
    response = preview(officer_api, received="2026-09-03", identity_received="2026-09-01")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["identity_received"]


def test_received_is_required(officer_api):
    response = officer_api.get(URL)

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["received"]


def test_a_controller_the_user_cannot_see_is_refused(officer_api, other_controller):
    response = preview(officer_api, received="2026-09-03", controller="other")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["controller"]


def test_auditors_may_preview(auditor_api):
    assert preview(auditor_api, received="2026-09-03").status_code == 200


def test_anonymous_callers_are_refused(api_client, db):
    assert preview(api_client, received="2026-09-03").status_code == 401


def test_a_controller_role_is_needed(plain_user):
    client = APIClient()
    client.force_authenticate(plain_user)

    assert preview(client, received="2026-09-03").status_code == 403


def test_an_admin_of_any_controller_may_preview(db):
    client = APIClient()
    client.force_authenticate(officer_of(ControllerFactory(), role=Role.ADMIN))

    assert preview(client, received="2026-09-03").status_code == 200

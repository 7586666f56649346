"""SQL and manual sources on the real second database alias: exactly the subject's rows."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError

from exports.data import sql
from exports.data.identifiers import case_identifiers
from exports.data.manual import UploadRejected
from exports.data.models import Collection, DataSource, SourceQuery, SourceResult
from exports.data.services import collection
from exports.routers import SubjectDataRouter
from tests.exports.data.conftest import DATA_DB, JANE, LOOKALIKE, count, rows, subject_case

pytestmark = DATA_DB


def records(found: Collection) -> list[dict]:
    """Every record a search stored, read back from its files."""
    import json

    from django.core.files.storage import default_storage

    out = []
    for result in found.results.filter(status=SourceResult.Status.DONE):
        for name in result.files.values():
            with default_storage.open(name, "rb") as handle:
                out += [json.loads(line) for line in handle]
    return out


def test_search_finds_exactly_the_subjects_rows(demo_db, jane_case, data_officer, run):
    found = run(collection.collection_start, case=jane_case, by=data_officer)
    result = found.results.get(source__kind="sql")
    assert result.status == "done", result.error
    customers = rows("SELECT customer_number FROM customers WHERE email = %s", [JANE["email"]])
    (number,) = customers[0]
    expected = {
        "Identity": 1,
        "Contact": 1,
        "Products & Services": rows(
            "SELECT COUNT(*) FROM orders WHERE customer_number = %s", [number]
        )[0][0],
        "Marketing & Communications": 1,
        # Her calls logged by the demo, plus the one stored as +44 7700-900123.
        "Call recordings": rows(
            "SELECT COUNT(*) FROM call_records WHERE phone IN (%s, %s, %s)",
            ["07700 900123", "+44 7700 900123", "07700-900123"],
        )[0][0]
        + 1,
    }
    assert result.counts == expected
    found_records = records(found)
    assert {r.get("email") for r in found_records if "email" in r} == {JANE["email"]}
    assert not any(r.get("last_name") in {"Doeman", "Dow", "Smith"} for r in found_records)


def test_a_person_whose_email_differs_only_in_case_is_not_found(
    demo_db, mapped_controller, data_officer, run
):
    lookalike_case = subject_case(
        mapped_controller,
        requester_name="Janet Doeman",
        requester_email=LOOKALIKE["email"],
        subject_identifiers=[{"kind": "email", "value": LOOKALIKE["email"]}],
    )
    found = run(collection.collection_start, case=lookalike_case, by=data_officer)
    names = {r["last_name"] for r in records(found) if "last_name" in r}
    assert names == {"Doeman"}
    emails = {r["email"] for r in records(found) if r.get("email")}
    assert emails == {LOOKALIKE["email"]}


def test_the_domain_of_an_email_matches_whatever_its_case(demo_db, jane_case):
    query = SourceQuery(
        table="web_sessions", columns=["ip_address"], match_columns={"email": "email"}
    )
    found = list(sql.find_rows(demo_db, query, case_identifiers(jane_case)))
    assert {"ip_address": "203.0.113.9"} in found


def test_a_phone_matches_in_national_and_international_forms(demo_db, jane_case):
    query = SourceQuery(
        table="call_records", columns=["recording_ref"], match_columns={"phone": "phone"}
    )
    refs = {r["recording_ref"] for r in sql.find_rows(demo_db, query, case_identifiers(jane_case))}
    assert "REC-9002" in refs
    other = rows("SELECT recording_ref FROM call_records WHERE phone LIKE %s", ["%900124%"])
    assert not refs & {r for (r,) in other}


@pytest.mark.parametrize(
    "value",
    [
        "' OR '1'='1",
        "x@example.com' OR 1=1 --",
        "'; DROP TABLE customers; --@example.com",
        "jane.doe@example.com%",
        "%@%",
    ],
)
def test_sql_injection_in_identifiers_finds_nothing_and_breaks_nothing(
    demo_db, mapped_controller, data_officer, run, value
):
    before = {t: count(t) for t in ("customers", "orders", "web_sessions")}
    case = subject_case(
        mapped_controller,
        requester_email="",
        subject_identifiers=[
            {"kind": "email", "value": value},
            {"kind": "customer_number", "value": value},
            {"kind": "phone", "value": value},
        ],
    )
    if not case_identifiers(case):
        return  # nothing usable: the search refuses to start, which is also safe
    found = run(collection.collection_start, case=case, by=data_officer)
    result = found.results.get(source__kind="sql")
    assert result.status == "done", result.error
    assert result.record_count == 0
    assert {t: count(t) for t in before} == before


def test_table_and_column_names_are_checked_before_any_statement(demo_db, jane_case):
    bad = SourceQuery(table="customers; DROP TABLE orders", match_columns={"email": "email"})
    with pytest.raises(sql.SourceConfigError):
        list(sql.find_rows(demo_db, bad, case_identifiers(jane_case)))
    with pytest.raises(ValidationError):
        SourceQuery(
            table="customers", columns=['email" --'], match_columns={"email": "email"}
        ).clean_fields(exclude=["source", "category"])
    assert count("orders") > 0


def test_a_failing_source_does_not_lose_the_others_results(
    demo_db, mapped_controller, jane_case, data_officer, run
):
    broken = DataSource.objects.create(
        controller=mapped_controller, name="Old CRM", kind="sql", database_alias="subject_data"
    )
    SourceQuery.objects.create(
        source=broken,
        category=mapped_controller.data_categories.get(name="Identity"),
        table="no_such_table",
        match_columns={"email": "email"},
    )
    found = run(collection.collection_start, case=jane_case, by=data_officer)
    by_name = {r.source_name: r for r in found.results.all()}
    assert by_name["Old CRM"].status == "failed"
    assert "no_such_table" in by_name["Old CRM"].error
    assert by_name["Customer database (demo)"].status == "done"
    assert by_name["Customer database (demo)"].record_count > 0
    assert jane_case.events.filter(kind="data_search_failed").exists()
    manual = found.results.get(source__kind="manual")
    run(collection.manual_upload, result=manual, by=data_officer, handle=None, note="Nothing.")
    found.refresh_from_db()
    from dsar.errors import CaseActionError

    with pytest.raises(CaseActionError, match="Old CRM failed"):
        collection.collection_release(collection=found, by=data_officer)
    collection.collection_release(collection=found, by=data_officer, note="CRM retired in 2024.")
    found.refresh_from_db()
    assert found.status == "released"


def test_a_search_needs_identity_confirmed_first(mapped_controller, data_officer):
    from dsar.errors import CaseActionError

    case = subject_case(mapped_controller, status="awaiting_identity")
    with pytest.raises(CaseActionError, match="identity"):
        collection.collection_start(case=case, by=data_officer)


def test_manual_upload_is_checked_and_stored(demo_db, jane_case, data_officer, run):
    found = run(collection.collection_start, case=jane_case, by=data_officer)
    manual = found.results.get(source__kind="manual")
    with pytest.raises(UploadRejected, match="Line 3"):
        collection.manual_upload(
            result=manual,
            by=data_officer,
            handle=io.BytesIO(b"date,what\n2024-01-01,call\n2024-01-02\n"),
            filename="calls.csv",
            size=40,
            category="Call recordings",
        )
    with pytest.raises(UploadRejected, match="Not categories"):
        collection.manual_upload(
            result=manual,
            by=data_officer,
            handle=io.BytesIO(b'{"Shoe sizes": [{"size": 9}]}'),
            filename="x.json",
            size=30,
        )
    manual.refresh_from_db()
    assert manual.status == "pending"
    run(
        collection.manual_upload,
        result=manual,
        by=data_officer,
        handle=io.BytesIO("date,what\n2024-01-01,Call about a bill for £20\n".encode()),
        filename="calls.csv",
        size=40,
        category="Call recordings",
    )
    manual.refresh_from_db()
    assert manual.status == "done"
    assert manual.counts == {"Call recordings": 1}
    found.refresh_from_db()
    assert found.status == "collected"


def test_the_router_keeps_the_product_off_the_data_alias():
    router = SubjectDataRouter()
    assert router.allow_migrate("subject_data", "dsar") is False
    assert router.allow_migrate("subject_data", "exports") is False
    assert router.allow_migrate("default", "exports") is None
    assert router.db_for_write(Collection) == "default"
    assert "customers" not in connections_tables("default")


def connections_tables(alias: str) -> list[str]:
    from django.db import connections

    return connections[alias].introspection.table_names()

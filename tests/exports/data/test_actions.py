"""Erasure, rectification and restriction in the demo database, with exemptions and a
record on the case; objections to marketing and the suppression list."""

from __future__ import annotations

import pytest
from django.db import connections

from dsar.choices import Right
from dsar.errors import CaseActionError
from exports.data import selectors
from exports.data.identifiers import case_identifiers
from exports.data.models import ActionStep, SuppressionEntry
from exports.data.services import actions, suppression
from tests.exports.data.conftest import DATA_DB, JANE, rows, search_and_release, subject_case

pytestmark = DATA_DB
TABLES = ("customers", "orders", "marketing_preferences", "call_records", "web_sessions")


JANES_NUMBER = "C100000"  # the first person the demo fill writes


def snapshot_of_others() -> dict[str, list[tuple]]:
    """Every row not Jane's, whole, to prove nobody else was touched."""
    number = JANES_NUMBER
    return {
        "customers": rows(
            "SELECT * FROM customers WHERE customer_number <> %s ORDER BY id", [number]
        ),
        "orders": rows("SELECT * FROM orders WHERE customer_number <> %s ORDER BY id", [number]),
        "marketing": rows(
            "SELECT * FROM marketing_preferences WHERE email <> %s ORDER BY id", [JANE["email"]]
        ),
        "calls": rows(
            "SELECT * FROM call_records WHERE phone NOT LIKE %s ORDER BY id", ["%900123"]
        ),
        "web": rows(
            "SELECT * FROM web_sessions WHERE lower(email) <> %s ORDER BY id", [JANE["email"]]
        ),
    }


@pytest.fixture
def erasure_case(mapped_controller):
    return subject_case(mapped_controller, right=Right.ERASURE)


def test_erasure_removes_the_subjects_rows_keeps_the_exempt_ones_and_records_it(
    demo_db, erasure_case, data_officer, run
):
    case = erasure_case
    search_and_release(run, case, data_officer)
    products = case.controller.data_categories.get(name="Products & Services")
    actions.exemption_add(
        case=case,
        category=products,
        reason="legal_obligation",
        detail="HMRC requires invoices to be kept for six years.",
        by=data_officer,
    )
    others = snapshot_of_others()
    number = JANES_NUMBER
    assert rows("SELECT email FROM customers WHERE customer_number = %s", [number]) == [
        (JANE["email"],)
    ]
    orders_before = rows("SELECT COUNT(*) FROM orders WHERE customer_number = %s", [number])[0][0]

    made = run(actions.action_run_start, case=case, by=data_officer, confirmation="Jane Doe")
    manual = made.steps.get(status=ActionStep.Status.MANUAL)
    run(actions.action_step_complete, step=manual, by=data_officer, note="Deleted 2 emails.")
    made.refresh_from_db()

    assert made.status == "done"
    assert (
        rows("SELECT COUNT(*) FROM marketing_preferences WHERE email = %s", [JANE["email"]])[0][0]
        == 0
    )
    assert rows("SELECT COUNT(*) FROM call_records WHERE phone LIKE %s", ["%900123"])[0][0] == 0
    (customer,) = rows(
        "SELECT first_name, last_name, email, phone, date_of_birth FROM customers "
        "WHERE customer_number = %s",
        [number],
    )
    assert customer == ("Erased", "Erased", None, None, None)
    # The exempt category is kept, as it was, with its reason on the step.
    assert rows("SELECT COUNT(*) FROM orders WHERE customer_number = %s AND email = %s",
                [number, JANE["email"]])[0][0] == orders_before  # fmt: skip
    kept = made.steps.get(category_name="Products & Services")
    assert kept.status == "exempt"
    assert "HMRC requires invoices" in kept.note
    assert snapshot_of_others() == others

    steps = {(s.category_name, s.status): s.rows_affected for s in made.steps.all()}
    assert steps[("Marketing & Communications", "done")] == 1
    assert steps[("Identity", "done")] == 1
    assert "Debt collection agencies" in made.recipients_to_tell
    done = case.events.get(kind="erasure_done")
    assert done.data["rows_per_source"]["Customer database (demo)"] >= 3
    assert "Products & Services" in done.data["kept"]

    # Only proof of the identifiers stays: masked values and keyed hashes, no copies.
    case.refresh_from_db()
    assert all(i.get("erased") and i.get("hmac") for i in case.subject_identifiers)
    assert JANE["email"] not in str(case.subject_identifiers)
    assert "07700900123" not in str(case.subject_identifiers)
    assert all(not r.files for r in selectors.latest_collection(case).results.all())
    assert case.events.filter(kind="identifiers_reduced").exists()
    assert len(made.identifier_proof) == 2


def test_a_failing_statement_is_recorded_and_the_others_still_run(
    demo_db, erasure_case, data_officer, run
):
    search_and_release(run, erasure_case, data_officer)
    with connections["subject_data"].cursor() as cursor:
        cursor.execute("DROP TABLE call_records")
    made = run(
        actions.action_run_start, case=erasure_case, by=data_officer, confirmation="jane  doe"
    )
    failed = made.steps.get(category_name="Call recordings")
    assert failed.status == "failed"
    assert "call_records" in failed.error
    assert made.steps.get(category_name="Identity").status == "done"
    run(
        actions.action_step_complete,
        step=failed,
        by=data_officer,
        note="Recordings deleted from the archive by hand.",
    )
    manual = made.steps.get(status="manual")
    run(actions.action_step_complete, step=manual, by=data_officer, note="Inbox searched.")
    made.refresh_from_db()
    assert made.status == "done"
    assert erasure_case.events.filter(kind="erasure_step", message__contains="failed").exists()


def test_rectification_updates_the_subjects_row_only(demo_db, mapped_controller, data_officer, run):
    case = subject_case(mapped_controller, right=Right.RECTIFICATION)
    with pytest.raises(CaseActionError, match="last_name"):
        actions.action_run_start(case=case, by=data_officer, values={})
    others = snapshot_of_others()
    run(actions.action_run_start, case=case, by=data_officer, values={"last_name": "Doe-Smith"})
    assert rows("SELECT last_name FROM customers WHERE email = %s", [JANE["email"]]) == [
        ("Doe-Smith",)
    ]
    assert snapshot_of_others() == others
    assert case.events.filter(kind="rectification_done").exists()


def test_restriction_marks_the_rows(demo_db, mapped_controller, data_officer, run):
    case = subject_case(mapped_controller, right=Right.RESTRICTION)
    run(actions.action_run_start, case=case, by=data_officer)
    assert rows(
        "SELECT processing_restricted FROM customers WHERE email = %s", [JANE["email"]]
    ) == [(1,)]
    assert rows("SELECT COUNT(*) FROM customers WHERE processing_restricted = 1")[0][0] == 1


def test_an_exemption_needs_a_reason(mapped_controller, data_officer):
    case = subject_case(mapped_controller, right=Right.ERASURE)
    with pytest.raises(CaseActionError, match="rests on"):
        actions.exemption_add(
            case=case,
            category=case.controller.data_categories.first(),
            reason="legal_claims",
            detail=" ",
            by=data_officer,
        )


def test_a_marketing_objection_puts_keyed_hashes_on_the_suppression_list(
    mapped_controller, data_officer
):
    case = subject_case(mapped_controller, right=Right.OBJECTION, objection_direct_marketing=True)
    entries = suppression.suppression_add_for_case(case=case, by=data_officer)
    assert {e.kind for e in entries} == {"email", "phone"}
    stored = " ".join(SuppressionEntry.objects.values_list("digest", flat=True))
    assert "jane" not in stored and "7700" not in stored
    assert all(len(e.digest) == 64 for e in entries)
    assert suppression.is_suppressed([mapped_controller], email="JANE.DOE@example.com")
    assert suppression.is_suppressed([mapped_controller], phone="+44 7700 900123")
    assert not suppression.is_suppressed([mapped_controller], email="bob@example.org")
    # Adding again adds nothing.
    suppression.suppression_add_for_case(case=case, by=data_officer)
    assert SuppressionEntry.objects.count() == 2
    assert case.events.filter(kind="suppression_added").count() == 2


def test_other_objections_are_decided_with_reasons(mapped_controller, data_officer):
    case = subject_case(
        mapped_controller, right=Right.OBJECTION, objection_processing="Credit checks."
    )
    with pytest.raises(CaseActionError, match="suppression"):
        suppression.suppression_add_for_case(case=case, by=data_officer)
    with pytest.raises(CaseActionError, match="reasons"):
        suppression.objection_decide(case=case, by=data_officer, decision="rejected", reasons="")
    made = suppression.objection_decide(
        case=case,
        by=data_officer,
        decision="rejected",
        reasons="Credit checks are needed to defend legal claims over unpaid bills.",
    )
    assert made.processing == "Credit checks."
    assert case.events.get(kind="objection_decided").message.startswith("Not upheld")


def test_identifiers_come_from_the_case_and_are_normalised(mapped_controller):
    case = subject_case(
        mapped_controller,
        subject_identifiers=[
            {"kind": "Email", "value": " Jane.Doe@EXAMPLE.com "},
            {"kind": "mobile", "value": "+44 (0)7700 900123"},
            {"kind": "Customer No", "value": "c 100000"},
            {"kind": "shoe size", "value": "9"},
        ],
    )
    found = {(i.kind, i.value) for i in case_identifiers(case)}
    assert ("email", "Jane.Doe@example.com") in found
    assert ("email", "jane.doe@example.com") in found  # the requester's own
    assert ("customer_number", "C100000") in found
    assert not any(kind == "shoe size" for kind, _ in found)

"""Issue 18 point 9, as someone with a database connection would try it: on PostgreSQL a
raw UPDATE or DELETE of an audit event fails; purging a whole case still works.

Runs when the suite runs on PostgreSQL (``DATABASE_URL=postgres://...``); skips on SQLite,
which has no such triggers (there the models refuse)."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from dsar.configuration.services import record_change
from dsar.models import CaseEvent
from dsar.services import record_event

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only(db):
    if connection.vendor != "postgresql":
        pytest.skip("Needs the suite on PostgreSQL (set DATABASE_URL); CI runs it there too.")


def at_commit() -> None:
    """Run the checks PostgreSQL would run at commit (the test's transaction never commits)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_a_raw_sql_update_of_a_case_event_fails(case):
    event = record_event(case, "note", message="Called the requester.")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        sql = "UPDATE dsar_caseevent SET message = %s WHERE id = %s"
        cursor.execute(sql, ["Nothing", event.pk])
    event.refresh_from_db()
    assert event.message == "Called the requester."


def test_a_raw_sql_delete_of_one_case_event_fails_at_commit(case):
    event = record_event(case, "note", message="Called the requester.")
    with pytest.raises(DatabaseError, match="deleted only with"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM dsar_caseevent WHERE id = %s", [event.pk])
        at_commit()
    assert CaseEvent.objects.filter(pk=event.pk).exists()


def test_purging_a_whole_case_deletes_its_events(case):
    record_event(case, "note", message="Called the requester.")
    with transaction.atomic():
        case.delete()
        at_commit()
    assert not CaseEvent.objects.filter(case_id=case.pk).exists()


def test_a_raw_sql_update_or_delete_of_a_controller_event_fails(controller, officer):
    event = record_change(controller=controller, by=officer, kind="organisation_changed")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE dsar_controllerevent SET kind = 'x' WHERE id = %s", [event.pk])
    with pytest.raises(DatabaseError, match="deleted only with"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM dsar_controllerevent WHERE id = %s", [event.pk])
        at_commit()

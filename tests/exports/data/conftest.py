"""Fixtures for the data map tests: a demo controller with its map and sources, and the
demo customer tables on the real second database alias, filled with a few known people.

Mark a module with ``DATA_DB`` so its tests may use both aliases.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connections

from dsar.demo import seed_controllers
from exports import demo
from tests.factories import CaseFactory, officer_of

ALIAS = "subject_data"
DATA_DB = pytest.mark.django_db(databases=["default", ALIAS])

JANE = {"first_name": "Jane", "last_name": "Doe", "email": "jane.doe@example.com",
        "phone": "07700 900123"}  # fmt: skip
# Another person whose email differs from Jane's only in capital letters.
LOOKALIKE = {"first_name": "Janet", "last_name": "Doeman", "email": "Jane.Doe@example.com",
             "phone": ""}  # fmt: skip
NEIGHBOURS = [
    {"first_name": "Jan", "last_name": "Dow", "email": "xjane.doe@example.com", "phone": ""},
    {"first_name": "Joan", "last_name": "Doe", "email": "jane.doe@example.com.evil.test",
     "phone": "07700 900124"},
    {"first_name": "Bob", "last_name": "Smith", "email": "bob@example.org",
     "phone": "07700 900999"},
]  # fmt: skip
PEOPLE = [JANE, LOOKALIKE, *NEIGHBOURS]


def rows(sql: str, params: list | None = None) -> list[tuple]:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchall()


def count(table: str) -> int:
    return rows(f"SELECT COUNT(*) FROM {table}")[0][0]


@pytest.fixture
def demo_db():
    """The demo tables with PEOPLE only (Jane also has one web session stored with her
    domain in capitals, and calls logged with her number in international form)."""
    demo.create_demo_tables(ALIAS)
    demo.fill_demo_tables(ALIAS, people=PEOPLE)
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(
            "INSERT INTO web_sessions (id, email, ip_address, user_agent, started_at, "
            "pages_viewed, referrer) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [9001, "jane.doe@EXAMPLE.COM", "203.0.113.9", "Firefox", dt.datetime(2025, 1, 2, 10), 3,
             ""],
        )  # fmt: skip
        cursor.execute(
            "INSERT INTO call_records (id, phone, called_at, duration_seconds, direction, "
            "agent, recording_ref) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [9002, "+44 7700-900123", dt.datetime(2025, 1, 3, 11), 60,
             "inbound", "Jo", "REC-9002"],
        )  # fmt: skip
    return ALIAS


@pytest.fixture
def mapped_controller(db):
    """Kynex, with its data map and sources from exports.demo (every kind of category)."""
    controller = next(c for c in seed_controllers() if c.slug == "kynex")
    # One officer acts in these tests; the second pair of eyes is tested on its own.
    controller.approve_release = controller.approve_responses = False
    controller.approve_erasure = False
    controller.save(update_fields=["approve_release", "approve_responses", "approve_erasure"])
    demo.seed_data_map(controller)
    demo.seed_sources(controller)
    return controller


@pytest.fixture
def data_officer(mapped_controller):
    return officer_of(mapped_controller, username="dana", first_name="Dana")


def subject_case(controller, right: str = "access", **fields):
    values = {
        "requester_name": "Jane Doe",
        "requester_email": JANE["email"],
        "subject_identifiers": [
            {"kind": "email", "value": JANE["email"]},
            {"kind": "phone", "value": "07700900123"},
        ],
    }
    values.update(fields)
    return CaseFactory(controller=controller, right=right, **values)


@pytest.fixture
def jane_case(mapped_controller):
    return subject_case(mapped_controller)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call a service and run what it queued after commit (Celery tasks run eagerly)."""

    def _run(function, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(**kwargs)

    return _run


def search_and_release(run, case, officer):
    """Search every source, record 'nothing found' for manual ones, release."""
    from exports.data.services import collection

    found = run(collection.collection_start, case=case, by=officer)
    for result in found.results.filter(source__kind="manual"):
        run(
            collection.manual_upload,
            result=result,
            by=officer,
            handle=None,
            note="Looked; nothing there.",
        )
    found.refresh_from_db()
    run(collection.collection_release, collection=found, by=officer)
    found.refresh_from_db()
    return found

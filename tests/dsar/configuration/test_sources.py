"""Sources: SQL and manual, their searches and steps, and the read-only test button."""

from __future__ import annotations

import pytest
from django.db import connections
from django.urls import reverse

from dsar.configuration import sources
from dsar.configuration.models import ControllerEvent
from exports.data.models import DataCategory, DataSource, SourceQuery

from .conftest import ALIAS, DATA_DB, JANE

pytestmark = DATA_DB


def url(name, controller, *args) -> str:
    return reverse(f"settings:{name}", args=[controller.slug, *args])


def count(table: str) -> int:
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]


def sql_source(controller):
    return DataSource.objects.get(controller=controller, kind="sql")


@pytest.mark.parametrize("name", ["sources", "source_add"])
def test_only_admins_open_sources(client, controller, admin, officer, auditor, other_admin, name):
    for user, status in [(admin, 200), (officer, 403), (auditor, 403), (other_admin, 404)]:
        client.force_login(user)
        assert client.get(url(name, controller)).status_code == status, user


def test_testing_a_source_shows_row_counts_and_writes_nothing(
    client, mapped_admin, mapped_controller, demo_db
):
    client.force_login(mapped_admin)
    source = sql_source(mapped_controller)
    before = {t: count(t) for t in ("customers", "orders", "marketing_preferences")}
    response = client.post(
        url("source_edit", mapped_controller, source.pk),
        {"test": "1", "kind": "email", "value": JANE["email"]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Test results" in page
    assert "Search: Identity in customers: 1 row" in page
    # The erasure steps' dry runs are counted too, and nothing is erased.
    assert "Erasure: delete the rows" in page or "Erasure: anonymise the rows" in page
    assert {t: count(t) for t in before} == before
    assert not ControllerEvent.objects.exists()
    assert JANE["email"] not in str(list(ControllerEvent.objects.values()))


def test_a_statement_that_would_write_fails_and_is_reported(mapped_controller, demo_db):
    before = count("customers")
    with sources.read_only(ALIAS) as connection:
        result = sources.run_read_only(connection, ALIAS, "DELETE FROM customers", [])
        still = sources.run_read_only(connection, ALIAS, "SELECT COUNT(*) FROM customers", [])
    assert result.rows is None
    assert result.error.startswith("The statement tried to change data, which a test never does")
    assert still.rows == before  # later statements still run
    assert count("customers") == before
    # The connection is writable again afterwards (the mode was only for the test).
    with connections[ALIAS].cursor() as cursor:
        cursor.execute("UPDATE customers SET first_name = first_name WHERE 1 = 0")


def test_a_broken_search_is_reported_in_words_and_the_others_still_run(mapped_controller, demo_db):
    source = sql_source(mapped_controller)
    category = DataCategory.objects.filter(controller=mapped_controller).first()
    SourceQuery.objects.create(
        source=source, category=category, table="no_such_table", match_columns={"email": "email"}
    )
    results = sources.try_source(source, "email", JANE["email"])
    broken = [r for r in results if "no_such_table" in r.label]
    assert broken[0].rows is None
    assert "was not found in the source database" in broken[0].error
    assert any(r.rows == 1 for r in results if "customers" in r.label)


def test_an_invalid_sample_is_refused(client, mapped_admin, mapped_controller, demo_db):
    client.force_login(mapped_admin)
    source = sql_source(mapped_controller)
    response = client.post(
        url("source_edit", mapped_controller, source.pk),
        {"test": "1", "kind": "email", "value": "not an email"},
    )
    assert response.status_code == 400
    assert "That is not a valid identifier of this kind." in response.content.decode()


def test_an_admin_adds_an_sql_source_and_a_search(admin_client, admin, controller):
    category = DataCategory.objects.create(controller=controller, name="Contact")
    response = admin_client.post(
        url("source_add", controller),
        {"name": "Shop", "kind": "sql", "database_alias": "subject_data", "is_active": "on"},
    )
    assert response.status_code == 302
    source = DataSource.objects.get(controller=controller, name="Shop")
    response = admin_client.post(
        url("query_add", controller, source.pk),
        {
            "category": str(category.pk),
            "table": "customers",
            "columns": "id, email first_name",
            "match_email": "email",
            "match_phone": "",
        },
    )
    assert response.status_code == 302
    query = source.queries.get()
    assert query.columns == ["id", "email", "first_name"]
    assert query.match_columns == {"email": "email"}
    kinds = list(ControllerEvent.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["source_added", "source_search_added"]


def test_a_search_needs_safe_names_and_an_identifier_column(admin_client, controller):
    category = DataCategory.objects.create(controller=controller, name="Contact")
    source = DataSource.objects.create(
        controller=controller, name="Shop", kind="sql", database_alias="subject_data"
    )
    response = admin_client.post(
        url("query_add", controller, source.pk),
        {"category": str(category.pk), "table": "customers; DROP TABLE x", "columns": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "is not a table name" in page
    assert "Name at least one column that holds the person" in page
    assert 'value="customers; DROP TABLE x"' in page


def test_another_controllers_category_cannot_be_searched(
    admin_client, controller, other_controller
):
    theirs = DataCategory.objects.create(controller=other_controller, name="Identity")
    source = DataSource.objects.create(
        controller=controller, name="Shop", kind="sql", database_alias="subject_data"
    )
    response = admin_client.post(
        url("query_add", controller, source.pk),
        {"category": str(theirs.pk), "table": "customers", "match_email": "email"},
    )
    assert response.status_code == 400
    assert not source.queries.exists()


def test_a_manual_source_needs_instructions_and_takes_manual_steps_only(admin_client, controller):
    response = admin_client.post(
        url("source_add", controller), {"name": "Paper files", "kind": "manual"}
    )
    assert response.status_code == 400
    assert "Say where to look and what to gather." in response.content.decode()
    admin_client.post(
        url("source_add", controller),
        {"name": "Paper files", "kind": "manual", "instructions": "The cabinet in room 2"},
    )
    source = DataSource.objects.get(name="Paper files")
    page = admin_client.get(url("action_add", controller, source.pk)).content.decode()
    assert "Delete the rows" not in page
    assert "Manual task for an officer" in page


def test_an_erasure_step_is_added_and_removed(admin_client, controller):
    category = DataCategory.objects.create(controller=controller, name="Contact")
    source = DataSource.objects.create(
        controller=controller, name="Shop", kind="sql", database_alias="subject_data"
    )
    response = admin_client.post(
        url("action_add", controller, source.pk),
        {
            "right": "erasure",
            "category": str(category.pk),
            "operation": "anonymise",
            "table": "customers",
            "match_email": "email",
            "assignments": "first_name = Erased\nphone = null",
            "order": "10",
        },
    )
    assert response.status_code == 302
    action = source.actions.get()
    assert action.assignments == {"first_name": "Erased", "phone": None}
    response = admin_client.post(
        url("source_part_delete", controller, source.pk, "step", action.pk)
    )
    assert response.status_code == 302
    assert not source.actions.exists()
    assert ControllerEvent.objects.filter(kind="source_step_removed").exists()

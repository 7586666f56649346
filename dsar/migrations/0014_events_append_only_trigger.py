"""On PostgreSQL the database itself keeps the audit trail append-only (issue 18 point 9).

The models refuse to update or delete an event; these triggers refuse it to anything else
that reaches the database too (a raw SQL statement, a shell, another program):

- UPDATE of a case event or a controller event fails at once;
- DELETE is checked when the transaction commits: it passes only if the case (or
  controller) the event belongs to is gone by then, that is for the purge of a whole
  case, never for single events.

SQLite has no such triggers here; there the models' own refusals are the guard.
"""

from django.db import migrations

TABLES = [
    # (events table, its parent table, the column naming the parent)
    ("dsar_caseevent", "dsar_case", "case_id"),
    ("dsar_controllerevent", "dsar_controller", "controller_id"),
]

FUNCTIONS = """
CREATE OR REPLACE FUNCTION dsar_event_refuse_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'Events are append-only: % of % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END $$;

CREATE OR REPLACE FUNCTION dsar_event_delete_only_with_parent() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    parent_left boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE id = $1)', TG_ARGV[0])
        INTO parent_left USING (to_jsonb(OLD) ->> TG_ARGV[1])::bigint;
    IF parent_left THEN
        RAISE EXCEPTION 'Events are append-only: an event of % is deleted only with the % '
            'it belongs to', TG_TABLE_NAME, TG_ARGV[0]
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END $$;
"""


def _sql(create: bool) -> list[str]:
    statements = [FUNCTIONS] if create else []
    for table, parent, column in TABLES:
        if create:
            statements += [
                f"CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION dsar_event_refuse_update()",
                f"CREATE CONSTRAINT TRIGGER {table}_delete_with_parent AFTER DELETE ON {table} "
                "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
                f"EXECUTE FUNCTION dsar_event_delete_only_with_parent('{parent}', '{column}')",
            ]
        else:
            statements += [
                f"DROP TRIGGER IF EXISTS {table}_no_update ON {table}",
                f"DROP TRIGGER IF EXISTS {table}_delete_with_parent ON {table}",
            ]
    if not create:
        statements += [
            "DROP FUNCTION IF EXISTS dsar_event_refuse_update()",
            "DROP FUNCTION IF EXISTS dsar_event_delete_only_with_parent()",
        ]
    return statements


def _run(create: bool):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in _sql(create):
            schema_editor.execute(statement, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("dsar", "0013_outbox_claims_and_attachments")]

    operations = [migrations.RunPython(_run(True), _run(False), elidable=False)]

"""Data sources as the settings pages change and test them.

"Test this source" runs each category's search, and counts the rows each erasure step
would change, for one sample identifier, inside a read-only transaction that is always
rolled back: the database itself refuses any write (PostgreSQL ``SET TRANSACTION READ
ONLY``, SQLite ``PRAGMA query_only``), so a test can never change a source whatever its
configuration says. Each step runs in its own savepoint, so one failure is reported in
words and the others still run. A test is not a change: it writes no event (and the
sample identifier, personal data, is stored nowhere).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, transaction

from dsar.models import Controller

from .services import diff, lock_controller, record_change, snapshot

SOURCE_FIELDS = ("name", "kind", "system", "database_alias", "instructions", "is_active")
QUERY_FIELDS = ("category", "table", "columns", "match_columns", "order_by")
ACTION_FIELDS = (
    "right",
    "category",
    "operation",
    "table",
    "match_columns",
    "assignments",
    "input_columns",
    "instructions",
    "order",
)


def _models():
    from exports.data import models

    return models


@dataclass(frozen=True)
class TestResult:
    """One line of a source test: what ran, and the row count or the error in words."""

    label: str
    rows: int | None
    error: str = ""


@contextmanager
def read_only(alias: str) -> Iterator[Any]:
    """A transaction on ``alias`` in which the database refuses writes; rolled back."""
    connection = connections[alias]
    try:
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    cursor.execute("SET TRANSACTION READ ONLY")
                elif connection.vendor == "sqlite":
                    cursor.execute("PRAGMA query_only = ON")
                else:  # pragma: no cover - the product runs on these two
                    raise DatabaseError(f"No read-only mode known for {connection.vendor}.")
            yield connection
            transaction.set_rollback(True, using=alias)
    finally:
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA query_only = OFF")


def run_read_only(connection: Any, alias: str, sql: str, params: Sequence[Any]) -> TestResult:
    """One statement in its own savepoint of a ``read_only`` block: rows, or why not.

    A statement that would write fails here (the database is read-only) and is reported.
    """
    from exports.data.services.erasure import describe_error

    try:
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            row = cursor.fetchone()
            return TestResult("", int(row[0]) if row else 0)
    except (DatabaseError, ValueError) as exc:
        message = describe_error(exc)
        if any(w in str(exc).lower() for w in ("read-only", "readonly", "read only")):
            message = (
                "The statement tried to change data, which a test never does: the database "
                f"refused it. ({describe_error(exc)})"
            )
        return TestResult("", None, message)


def try_source(source: Any, kind: str, value: str) -> list[TestResult]:
    """Each search's row count and each erasure step's dry-run count for one identifier."""
    from exports.data import sql
    from exports.data.identifiers import normalise

    identifier = normalise(kind, value)
    if identifier is None:
        raise ValidationError({"value": "That is not a valid identifier of this kind."})
    identifiers = [identifier]
    m = _models()
    queries = list(source.queries.select_related("category"))
    actions = [a for a in source.actions.select_related("category") if not a.is_manual]
    results: list[TestResult] = []
    if source.kind != m.DataSource.Kind.SQL:
        return results
    with read_only(source.database_alias) as connection:
        for query in queries:
            label = f"Search: {query.category.name} in {query.table}"
            try:
                select, params = sql.select_statement(connection, query, identifiers)
            except sql.SourceConfigError as exc:
                results.append(TestResult(label, None, f"Not run: {exc}"))
                continue
            counted = f"SELECT COUNT(*) FROM ({select}) AS found"  # noqa: S608 - built quoted
            results.append(_labelled(label, run_read_only(connection, source.database_alias,
                                                          counted, params)))  # fmt: skip
        for action in actions:
            label = (
                f"{action.get_right_display()}: {action.get_operation_display().lower()} "
                f"({action.category.name} in {action.table}), rows it would change"
            )
            try:
                table = sql.quote_table(connection, action.table)
                where, params = sql.match_clause(connection, action.match_columns, identifiers)
            except sql.SourceConfigError as exc:
                results.append(TestResult(label, None, f"Not run: {exc}"))
                continue
            counted = f"SELECT COUNT(*) FROM {table} WHERE {where}"  # noqa: S608 - quoted
            results.append(
                _labelled(label, run_read_only(connection, source.database_alias, counted, params))
            )
    return results


def _labelled(label: str, result: TestResult) -> TestResult:
    return TestResult(label, result.rows, result.error)


def _save(
    *,
    controller: Controller,
    by: Any,
    model: Any,
    row: Any,
    fields: Sequence[str],
    values: Mapping[str, Any],
    kinds: tuple[str, str],
    target: str,
    parent: Mapping[str, Any],
) -> Any:
    created = row is None
    if created:
        row = model(**parent)
    before = {} if created else snapshot(row, fields)
    for name in fields:
        if name in values:
            setattr(row, name, values[name])
    row.full_clean(validate_constraints=False)
    old, new = diff(before, snapshot(row, fields))
    if created or old or new:
        row.save()
        record_change(
            controller=controller,
            by=by,
            kind=kinds[0] if created else kinds[1],
            target=target or str(row),
            before=old,
            after=new,
        )
    return row


def _check_own(controller: Controller, values: Mapping[str, Any]) -> None:
    for name in ("system", "category"):
        row = values.get(name)
        if row is not None and row.controller_id != controller.pk:
            raise ValidationError({name: "Choose one of this organisation's own."})


def source_save(
    *, controller: Controller, by: Any, values: Mapping[str, Any], source: Any = None
) -> Any:
    m = _models()
    _check_own(controller, values)
    with transaction.atomic():
        fresh = lock_controller(controller)
        if source is not None:
            source = m.DataSource.objects.select_for_update().get(pk=source.pk, controller=fresh)
        name = values.get("name") or (source.name if source else "")
        clash = m.DataSource.objects.filter(controller=fresh, name__iexact=name)
        if clash.exclude(pk=getattr(source, "pk", None)).exists():
            raise ValidationError({"name": f"There is already a source called {name}."})
        return _save(
            controller=fresh,
            by=by,
            model=m.DataSource,
            row=source,
            fields=SOURCE_FIELDS,
            values=values,
            kinds=("source_added", "source_changed"),
            target=f"Source {name}",
            parent={"controller": fresh},
        )


def _part_save(
    *,
    controller: Controller,
    by: Any,
    source: Any,
    model: Any,
    row: Any,
    fields: Sequence[str],
    values: Mapping[str, Any],
    kinds: tuple[str, str],
    target: str,
) -> Any:
    """A search or step of ``source``: locked, checked, saved and recorded."""
    _check_own(controller, values)
    with transaction.atomic():
        fresh = lock_controller(controller)
        if row is not None:
            row = model.objects.select_for_update().get(pk=row.pk, source=source)
        return _save(
            controller=fresh,
            by=by,
            model=model,
            row=row,
            fields=fields,
            values=values,
            kinds=kinds,
            target=target,
            parent={"source": source},
        )


def query_save(
    *, controller: Controller, by: Any, source: Any, values: Mapping[str, Any], query: Any = None
) -> Any:
    m = _models()
    if source.kind != m.DataSource.Kind.SQL:
        raise ValidationError("Searches belong to SQL sources; a manual source has instructions.")
    return _part_save(
        controller=controller,
        by=by,
        source=source,
        model=m.SourceQuery,
        row=query,
        fields=QUERY_FIELDS,
        values=values,
        kinds=("source_search_added", "source_search_changed"),
        target=f"Source {source.name}: search of {values.get('table', '')}",
    )


def action_save(
    *, controller: Controller, by: Any, source: Any, values: Mapping[str, Any], action: Any = None
) -> Any:
    return _part_save(
        controller=controller,
        by=by,
        source=source,
        model=_models().SourceAction,
        row=action,
        fields=ACTION_FIELDS,
        values=values,
        kinds=("source_step_added", "source_step_changed"),
        target=f"Source {source.name}: {values.get('right', '')} step",
    )


def part_delete(*, controller: Controller, by: Any, row: Any) -> None:
    """Remove a source's search or step (the source's own past runs keep their record)."""
    m = _models()
    fields = QUERY_FIELDS if isinstance(row, m.SourceQuery) else ACTION_FIELDS
    kind = "source_search_removed" if isinstance(row, m.SourceQuery) else "source_step_removed"
    with transaction.atomic():
        fresh = lock_controller(controller)
        before = snapshot(row, fields)
        target = f"Source {row.source.name}: {row}"
        row.delete()
        record_change(controller=fresh, by=by, kind=kind, target=target, before=before)

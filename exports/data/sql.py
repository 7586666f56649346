"""SQL sources: find, and change, a subject's rows in another database alias.

Statements are built from configuration only: table and column names pass the pattern
check of ``exports.data.models`` again here and are quoted by the connection's
``quote_name``; every value (the subject's identifiers, anonymised or corrected values)
is a query parameter. No value is ever formatted into SQL.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from django.db import connections, transaction

from .identifiers import Identifier, phone_forms
from .models import COLUMN, IDENTIFIER, SourceAction, SourceQuery

FETCH_SIZE = 2000


class SourceConfigError(ValueError):
    """The configuration cannot make a safe statement (bad name, nothing to match on)."""


def quote_table(connection: Any, table: str) -> str:
    if not IDENTIFIER.match(table or ""):
        raise SourceConfigError(f"“{table}” is not a valid table name.")
    return ".".join(connection.ops.quote_name(part) for part in table.split("."))


def quote_column(connection: Any, column: str) -> str:
    if not isinstance(column, str) or not COLUMN.match(column):
        raise SourceConfigError(f"“{column}” is not a valid column name.")
    return connection.ops.quote_name(column)


def match_clause(
    connection: Any, match_columns: Mapping[str, str], identifiers: Sequence[Identifier]
) -> tuple[str, list[Any]]:
    """``(a) OR (b) ...`` over every identifier the configuration has a column for.

    Raises SourceConfigError when nothing can be matched: a statement without a WHERE
    clause must never run.
    """
    parts: list[str] = []
    params: list[Any] = []
    for ident in identifiers:
        column = match_columns.get(ident.kind)
        if not column:
            continue
        col = quote_column(connection, column)
        if ident.kind == "email":
            local = ident.value.rsplit("@", 1)[0] + "@"
            # Exact before the @ (SUBSTR is 1-based in SQLite and PostgreSQL alike),
            # case-insensitive after it.
            parts.append(f"(SUBSTR({col}, 1, %s) = %s AND LOWER({col}) = %s)")
            params += [len(local), local, ident.value.lower()]
        elif ident.kind == "phone":
            forms = phone_forms(ident.value)
            stripped = col
            for char in (" ", "-", "(", ")", "."):
                stripped = f"REPLACE({stripped}, '{char}', '')"
            parts.append(f"{stripped} IN ({', '.join(['%s'] * len(forms))})")
            params += forms
        else:
            parts.append(f"UPPER(REPLACE({col}, ' ', '')) = %s")
            params.append(ident.value)
    if not parts:
        raise SourceConfigError("None of the case's identifiers can be matched here.")
    return " OR ".join(parts), params


def select_statement(
    connection: Any, query: SourceQuery, identifiers: Sequence[Identifier]
) -> tuple[str, list[Any]]:
    columns = (
        ", ".join(quote_column(connection, c) for c in query.columns) if query.columns else "*"
    )
    where, params = match_clause(connection, query.match_columns, identifiers)
    sql = f"SELECT {columns} FROM {quote_table(connection, query.table)} WHERE {where}"  # noqa: S608 - names quoted, values are parameters
    if query.order_by:
        sql += f" ORDER BY {quote_column(connection, query.order_by)}"
    return sql, params


def can_match(match_columns: Mapping[str, str], identifiers: Sequence[Identifier]) -> bool:
    return any(match_columns.get(ident.kind) for ident in identifiers)


def json_default(value: Any) -> Any:
    """Dates and times as ISO 8601; decimals and UUIDs as text; bytes as hex."""
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    raise TypeError(f"Cannot export a {type(value).__name__}.")


def record_line(record: Mapping[str, Any]) -> bytes:
    return (json.dumps(record, default=json_default, ensure_ascii=False) + "\n").encode()


def find_rows(
    alias: str, query: SourceQuery, identifiers: Sequence[Identifier]
) -> Iterator[dict[str, Any]]:
    """The subject's rows, one dict at a time.

    A server-side cursor where the backend has one (PostgreSQL): a client-side cursor
    would hold the whole result in the driver however small the batches we fetch.
    """
    connection = connections[alias]
    sql, params = select_statement(connection, query, identifiers)
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        while True:
            batch = cursor.fetchmany(FETCH_SIZE)
            if not batch:
                break
            for row in batch:
                yield dict(zip(names, row, strict=True))


def change_statement(
    connection: Any,
    action: SourceAction,
    identifiers: Sequence[Identifier],
    values: Mapping[str, Any] | None = None,
) -> tuple[str, list[Any]]:
    """DELETE or UPDATE for one configured action; values only as parameters."""
    table = quote_table(connection, action.table)
    where, where_params = match_clause(connection, action.match_columns, identifiers)
    if action.operation == SourceAction.Operation.DELETE:
        return f"DELETE FROM {table} WHERE {where}", where_params  # noqa: S608 - quoted
    assignments: dict[str, Any] = dict(action.assignments or {})
    if action.operation == SourceAction.Operation.UPDATE:
        for column in action.input_columns or []:
            if values is None or column not in values:
                raise SourceConfigError(f"Give the new value for “{column}”.")
            assignments[column] = values[column]
    if not assignments:
        raise SourceConfigError("Nothing to set.")
    sets = ", ".join(f"{quote_column(connection, column)} = %s" for column in assignments)
    sql = f"UPDATE {table} SET {sets} WHERE {where}"  # noqa: S608 - names quoted
    return sql, [*assignments.values(), *where_params]


def run_change(
    alias: str,
    action: SourceAction,
    identifiers: Sequence[Identifier],
    values: Mapping[str, Any] | None = None,
) -> int:
    """Run one action's statement in its own transaction on the source; rows affected."""
    connection = connections[alias]
    sql, params = change_statement(connection, action, identifiers, values)
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)

"""Writing many rows: COPY through psycopg 3 on PostgreSQL, bulk_create elsewhere."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.db import connection, models


class Table:
    """A model's concrete columns, with each field's default for the values not given.

    The primary key is left to the database unless ``with_pk`` (rows give their own ids).
    """

    def __init__(self, model: type[models.Model], *, with_pk: bool = False) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if with_pk or f is not model._meta.pk]
        self.json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        for name in self.json:
            self.defaults[name] = json.dumps(self.defaults[name])
        self.required = {
            f.attname for f in self.fields if not f.null and self.defaults[f.attname] is None
        }
        self.names = [f.attname for f in self.fields]
        self._checked = False

    def row(self, values: dict[str, Any]) -> list[Any]:
        """Column values in order. JSON fields are given as JSON text."""
        if not self._checked:
            missing = self.required - values.keys()
            if missing:
                raise RuntimeError(
                    f"The bench generator gives no value for {self.model.__name__}."
                    f"{', '.join(sorted(missing))} (NOT NULL, no default): "
                    "add it in bench/shape.py."
                )
            self._checked = True
        merged = {**self.defaults, **values}
        return [merged[name] for name in self.names]


def copy_rows(table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows: COPY on PostgreSQL, bulk_create elsewhere. Returns the count."""
    count = 0
    if connection.vendor == "postgresql":
        columns = ", ".join(connection.ops.quote_name(f.column) for f in table.fields)
        sql = f"COPY {connection.ops.quote_name(table.model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for values in rows:
                copy.write_row(table.row(values))
                count += 1
        return count
    objects = []
    for values in rows:
        kwargs = dict(zip(table.names, table.row(values), strict=True))
        for name in table.json:
            kwargs[name] = json.loads(kwargs[name])
        objects.append(table.model(**kwargs))
    table.model.objects.bulk_create(objects, batch_size=500)
    return len(objects)

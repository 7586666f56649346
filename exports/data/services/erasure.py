"""Erasure with care: a completed search first, a preview of what each statement would
change, a confirmation naming the subject, and errors in words.

The preview runs each configured statement inside a transaction on its source that is
always rolled back, and reports the rows it affected: the same statement, parameters and
database as the erasure itself, so the count is what the erasure would do at that
moment (rows added or removed in between change it, and the run records its own counts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import DatabaseError, IntegrityError, InterfaceError, connections, transaction

from dsar.errors import CaseActionError
from dsar.formats import plural
from dsar.models import Case

from .. import sql
from ..identifiers import case_identifiers
from ..models import ActionRight, Collection, SourceAction


@dataclass(frozen=True)
class PreviewRow:
    source: str
    category: str
    operation: str
    rows: int | None  # None: a manual task, a kept category, or the dry run failed
    note: str


def describe_error(exc: BaseException) -> str:
    """A failure in words an officer can act on, never an exception class name."""
    detail = " ".join(str(exc).split())[:300]
    if isinstance(exc, sql.SourceConfigError):
        return f"The step is set up in a way that cannot run safely: {detail}"
    if isinstance(exc, IntegrityError):
        return (
            "The source database refused the change because other data depends on these "
            f"rows (it said: {detail}). Erase the dependent data first, or do this step by hand."
        )
    if isinstance(exc, InterfaceError):
        return "The source database could not be reached. Try again later."
    if isinstance(exc, DatabaseError):
        if re.search(r"no such table|does not exist|undefined table", detail, re.IGNORECASE):
            return (
                "A table or column named in this step's configuration was not found in the "
                f"source database (it said: {detail}). Check the data map's source settings."
            )
        if re.search(r"connect|connection|timeout|timed out", detail, re.IGNORECASE):
            return "The source database could not be reached. Try again later."
        return f"The source database refused the statement (it said: {detail})."
    return "Something went wrong running this step; nothing is known to have changed. " + (
        f"Details: {detail}" if detail else ""
    )


def completed_search(case: Case) -> Collection | None:
    """The latest search, if every source has been searched (collected or released)."""
    latest = case.collections.order_by("-started_at", "-id").first()
    if latest is None or latest.status == Collection.Status.COLLECTING:
        return None
    return latest


def check_search(case: Case) -> Collection:
    found = completed_search(case)
    if found is None:
        raise CaseActionError(
            "Search every source for the subject's data, and wait until the search has "
            "finished, before erasing: the search shows what the erasure will remove."
        )
    return found


def _normal(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def check_confirmation(case: Case, confirmation: str) -> None:
    """The officer typed the subject's name: nobody erases the wrong person on one click."""
    name = case.data_subject_name
    if not _normal(confirmation):
        raise CaseActionError(
            f"Type the subject's name, {name}, to confirm the erasure.", field="confirmation"
        )
    if _normal(confirmation) != _normal(name):
        raise CaseActionError(
            f"That is not the subject's name: type {name} to confirm.", field="confirmation"
        )


def dry_run(alias: str, action: SourceAction, identifiers) -> int:
    """Rows the statement would affect, from running it in a transaction rolled back."""
    connection = connections[alias]
    statement, params = sql.change_statement(connection, action, identifiers, values=None)
    with transaction.atomic(using=alias):
        with connection.cursor() as cursor:
            cursor.execute(statement, params)
            rows = max(cursor.rowcount, 0)
        transaction.set_rollback(True, using=alias)
    return rows


def preview(case: Case) -> list[PreviewRow]:
    """What the erasure would do in each source, step by step, changing nothing."""
    identifiers = case_identifiers(case)
    kept = {e.category_id: e for e in case.exemptions.select_related("category")}
    rows = []
    actions = SourceAction.objects.filter(
        source__controller=case.controller, source__is_active=True, right=ActionRight.ERASURE
    ).select_related("source", "category")
    for action in actions.order_by("order", "id"):
        operation = action.get_operation_display().split(" (")[0]
        base = {"source": action.source.name, "category": action.category.name}
        if action.category_id in kept:
            exemption = kept[action.category_id]
            note = f"Kept: {exemption.get_reason_display()}. {exemption.detail}"
            rows.append(PreviewRow(**base, operation=operation, rows=None, note=note))
        elif action.is_manual:
            note = action.instructions or "A task to do by hand."
            rows.append(PreviewRow(**base, operation=operation, rows=None, note=note))
        else:
            try:
                count = dry_run(action.source.database_alias, action, identifiers)
            except Exception as exc:
                rows.append(
                    PreviewRow(**base, operation=operation, rows=None, note=describe_error(exc))
                )
            else:
                rows.append(
                    PreviewRow(
                        **base,
                        operation=operation,
                        rows=count,
                        note=f"{plural(count, 'row')} would be affected.",
                    )
                )
    return rows

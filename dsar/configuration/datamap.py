"""The data map as the settings pages change it: systems, categories and their purposes.

Above the core: composes ``exports.data`` (its models) with the change record. Choices
are only ever this controller's own rows, and a category that a source searches or an
erasure step changes cannot be deleted (``where_used`` says where, in words).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dsar.models import Controller

from .services import diff, lock_controller, record_change, snapshot

SYSTEM_FIELDS = ("name", "description", "hosted_in", "outside_uk", "transfer_safeguard")
CATEGORY_FIELDS = (
    "name",
    "description",
    "order",
    "special_category",
    "recipients",
    "retention",
    "source",
    "provided_by_subject",
    "automated_means",
)
PURPOSE_FIELDS = ("purpose", "lawful_basis", "basis_detail")


def _models():
    from exports.data import models

    return models


def _own(controller: Controller, rows: Sequence[Any]) -> list[Any]:
    """Refuse rows of another controller (a forged form field), whatever the caller did."""
    for row in rows:
        if row.controller_id != controller.pk:
            raise ValidationError("Choose only this organisation's own systems.")
    return list(rows)


def system_save(
    *, controller: Controller, by: Any, values: Mapping[str, Any], system: Any = None
) -> Any:
    m = _models()
    with transaction.atomic():
        fresh = lock_controller(controller)
        created = system is None
        row = (
            m.DataSystem(controller=fresh)
            if created
            else (m.DataSystem.objects.select_for_update().get(pk=system.pk, controller=fresh))
        )
        before = {} if created else snapshot(row, SYSTEM_FIELDS)
        for name in SYSTEM_FIELDS:
            if name in values:
                setattr(row, name, values[name])
        row.full_clean()
        row.require_safeguard()
        old, new = diff(before, snapshot(row, SYSTEM_FIELDS))
        if created or old or new:
            row.save()
            record_change(
                controller=fresh,
                by=by,
                kind="system_added" if created else "system_changed",
                target=row.name,
                before=old,
                after=new,
            )
    return row


def system_delete(*, controller: Controller, by: Any, system: Any) -> None:
    """Categories lose the system; sources that named it keep working without it."""
    m = _models()
    with transaction.atomic():
        fresh = lock_controller(controller)
        row = m.DataSystem.objects.select_for_update().get(pk=system.pk, controller=fresh)
        before = snapshot(row, SYSTEM_FIELDS)
        row.delete()
        record_change(
            controller=fresh, by=by, kind="system_removed", target=before["name"], before=before
        )


def _category_state(category: Any) -> dict[str, Any]:
    state = snapshot(category, CATEGORY_FIELDS)
    state["systems"] = sorted(s.name for s in category.systems.all())
    state["purposes"] = [
        {name: getattr(p, name) for name in PURPOSE_FIELDS}
        for p in category.purposes.order_by("order", "id")
    ]
    return state


def category_save(
    *,
    controller: Controller,
    by: Any,
    values: Mapping[str, Any],
    systems: Sequence[Any] = (),
    purposes: Sequence[Mapping[str, str]] = (),
    category: Any = None,
) -> Any:
    """Create or change a category with its systems and purposes (replaced as a whole)."""
    m = _models()
    systems = _own(controller, systems)
    with transaction.atomic():
        fresh = lock_controller(controller)
        created = category is None
        row = (
            m.DataCategory(controller=fresh)
            if created
            else (m.DataCategory.objects.select_for_update().get(pk=category.pk, controller=fresh))
        )
        before = {} if created else _category_state(row)
        for name in CATEGORY_FIELDS:
            if name in values:
                setattr(row, name, values[name])
        row.full_clean(validate_constraints=False)
        clash = m.DataCategory.objects.filter(controller=fresh, name__iexact=row.name)
        if clash.exclude(pk=row.pk).exists():
            raise ValidationError({"name": f"There is already a category called {row.name}."})
        row.save()
        row.systems.set(systems)
        row.purposes.all().delete()
        for order, purpose in enumerate(purposes, start=1):
            item = m.ProcessingPurpose(category=row, order=order * 10, **purpose)
            item.full_clean(exclude=["category"])
            item.save()
        old, new = diff(before, _category_state(row))
        if created or old or new:
            record_change(
                controller=fresh,
                by=by,
                kind="category_added" if created else "category_changed",
                target=row.name,
                before=old,
                after=new,
            )
    return row


def where_used(category: Any) -> list[str]:
    """Each source search or erasure step that uses the category, in words."""
    m = _models()
    places = [
        f"the search of table “{q.table}” in the source {q.source.name}"
        for q in m.SourceQuery.objects.filter(category=category).select_related("source")
    ]
    places += [
        f"the {a.get_right_display().lower()} step “{a.get_operation_display()}” in the "
        f"source {a.source.name}"
        for a in m.SourceAction.objects.filter(category=category).select_related("source")
    ]
    return places


def category_delete(*, controller: Controller, by: Any, category: Any) -> None:
    """Refused, saying where, while a source uses the category."""
    m = _models()
    with transaction.atomic():
        fresh = lock_controller(controller)
        row = m.DataCategory.objects.select_for_update().get(pk=category.pk, controller=fresh)
        places = where_used(row)
        if places:
            raise ValidationError(
                f"{row.name} cannot be deleted: it is used by "
                + "; ".join(places)
                + ". Change or remove those first."
            )
        before = _category_state(row)
        row.delete()
        record_change(
            controller=fresh, by=by, kind="category_removed", target=before["name"], before=before
        )


STATEMENT_FIELDS = ("automated_decisions", "transfers")


def statements_save(*, controller: Controller, by: Any, values: Mapping[str, Any]) -> Any:
    """What applies to the whole controller: automated decisions, transfers abroad."""
    m = _models()
    with transaction.atomic():
        fresh = lock_controller(controller)
        row, _ = m.DataMapSettings.objects.select_for_update().get_or_create(controller=fresh)
        before = snapshot(row, STATEMENT_FIELDS)
        for name in STATEMENT_FIELDS:
            setattr(row, name, values.get(name, ""))
        old, new = diff(before, snapshot(row, STATEMENT_FIELDS))
        if old or new:
            row.save()
            record_change(
                controller=fresh,
                by=by,
                kind="data_map_statements_changed",
                target="Automated decisions and transfers",
                before=old,
                after=new,
            )
    return row

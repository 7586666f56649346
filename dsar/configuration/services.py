"""Changes to a controller's settings: one function per change, each recording itself.

Every function here locks what it changes, writes it and calls ``record_change`` in the
same transaction, so the "Changes" tab is complete: there is no way to change a setting
through the officer app or the API without leaving who, what, before and after (the
admin records its own, dsar.admin_scope). A change that changes nothing records nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction

from dsar.choices import Role
from dsar.models import Controller, Membership

from .models import ControllerEvent

# Controller fields the Organisation page changes (the slug never changes here: it is the
# public form's address, printed on letters already sent).
ORGANISATION_FIELDS = (
    "name",
    "legal_name",
    "company_number",
    "ico_registration",
    "dpo_name",
    "dpo_email",
    "dpo_phone",
    "postal_address",
    "team_email",
    "website",
    "accepts_web",
    "accepts_email",
    "accepts_post",
    "accepts_phone",
    "holiday_region",
    "time_zone",
    "deadline_rule",
    "deadline_days",
    "extension_months",
    "clock_starts",
    "reminder_days",
    "digest_hour",
    "closed_case_retention_days",
    "letterhead_required_for_organisations",
    "approve_release",
    "approve_responses",
    "approve_erasure",
)


def _plain(value: Any) -> Any:
    """A value as JSON keeps it: files by name, dates as ISO text, model rows by str()."""
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or ""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of a row as JSON-ready values (for before/after)."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict, dict]:
    """Only what differs, each side keeping its own value."""
    keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys if k in before}, {
        k: after.get(k) for k in keys if k in after
    }


def record_change(
    *,
    controller: Controller,
    by: Any,
    kind: str,
    target: str = "",
    message: str = "",
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> ControllerEvent:
    """Write one event on the controller. Call it inside the change's own transaction.

    ``by`` is the admin (None for the system); ``before``/``after`` hold only the values
    that matter to a reader (what changed, or what was created or removed).
    """
    actor = by if getattr(by, "is_authenticated", False) else None
    return ControllerEvent.objects.create(
        controller=controller,
        actor=actor,
        kind=kind,
        target=target[:200],
        message=message,
        before={k: _plain(v) for k, v in (before or {}).items()},
        after={k: _plain(v) for k, v in (after or {}).items()},
    )


def lock_controller(controller: Controller) -> Controller:
    """Re-read the controller under a row lock: its settings' writers queue behind one another."""
    return Controller.objects.select_for_update().get(pk=controller.pk)


def update_fields(
    *,
    instance: models.Model,
    controller: Controller,
    by: Any,
    values: Mapping[str, Any],
    kind: str,
    target: str = "",
    message: str = "",
) -> dict[str, Any]:
    """Set ``values`` on ``instance`` (locked by the caller), save and record what changed.

    Returns the fields that changed (empty when nothing did: no save, no event).
    """
    before = snapshot(instance, values)
    for name, value in values.items():
        setattr(instance, name, value)
    after = snapshot(instance, values)
    old, new = diff(before, after)
    if not new and not old:
        return {}
    instance.full_clean()
    instance.save(update_fields=list(new or old))
    record_change(
        controller=controller,
        by=by,
        kind=kind,
        target=target,
        message=message,
        before=old,
        after=new,
    )
    return new


def controller_update(
    *, controller: Controller, by: Any, values: Mapping[str, Any], target: str = "Organisation"
) -> Controller:
    """Change a controller's own settings (the Organisation page, the API): locked, saved
    and recorded in one transaction, so no door changes a setting without a record."""
    with transaction.atomic():
        fresh = lock_controller(controller)
        update_fields(
            instance=fresh,
            controller=fresh,
            by=by,
            values=values,
            kind="organisation_changed",
            target=target,
        )
    return fresh


def organisation_update(
    *, controller: Controller, by: Any, values: Mapping[str, Any]
) -> Controller:
    """Change the organisation's details and rules (the Organisation page)."""
    unknown = set(values) - set(ORGANISATION_FIELDS)
    if unknown:
        raise ValueError(f"Not organisation settings: {', '.join(sorted(unknown))}")
    return controller_update(controller=controller, by=by, values=values)


def letterhead_update(
    *,
    controller: Controller,
    by: Any,
    text: str,
    logo_description: str,
    logo: UploadedFile | None = None,
    remove_logo: bool = False,
) -> Controller:
    """The letterhead in one place: the lines on the controller and the logo beside them.

    The logo must already have passed ``dsar.uploads.check_image`` (the form does it).
    The old logo file is deleted after commit, once nothing points at it.
    """
    from exports.letters.models import Letterhead

    old_file = ""
    with transaction.atomic():
        fresh = lock_controller(controller)
        head, _ = Letterhead.objects.select_for_update().get_or_create(controller=fresh)
        before = {"letterhead": fresh.letterhead, **snapshot(head, ["logo", "logo_description"])}
        fresh.letterhead = text
        head.logo_description = logo_description
        if logo is not None or remove_logo:
            old_file = head.logo.name or ""
            head.logo = logo or ""
        head.full_clean()
        fresh.save(update_fields=["letterhead"])
        head.save()
        after = {"letterhead": fresh.letterhead, **snapshot(head, ["logo", "logo_description"])}
        old, new = diff(before, after)
        if old or new:
            record_change(
                controller=fresh,
                by=by,
                kind="letterhead_changed",
                target="Letterhead",
                before=old,
                after=new,
            )
        if old_file and old_file != head.logo.name:
            storage = head.logo.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    return fresh


def controller_create(*, by: Any, fields: Mapping[str, Any]) -> Controller:
    """A new controller (settings wizard or API), its creator its first admin (someone must
    be able to change it) and its creation the first change on its record."""
    with transaction.atomic():
        controller = Controller.objects.create(**fields)
        Membership.objects.create(user=by, controller=controller, role=Role.ADMIN)
        record_change(
            controller=controller,
            by=by,
            kind="controller_created",
            target=controller.name,
            after=dict(fields),
        )
    return controller

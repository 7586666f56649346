"""A controller's configuration as one JSON document: export, diff and import.

What travels: the controller's own fields (all but its id and slug: the slug is the
target given on import), the letterhead with its logo (base64), the identity policies,
the data map (statements, systems, categories with their purposes), the sources with their
searches and steps, and the webhooks' addresses. What does not: cases, people, team
members, API tokens and webhook secrets (a new environment gets new ones).

Rows are matched by their natural keys (a policy by right, a system, category or source
by name, a webhook by URL): an import updates what matches, adds what is new and removes
what the document does not have, so afterwards the configuration is the document's, field
by field. A source's searches and steps are replaced as a whole. The import is one
transaction, recorded as one ``ControllerEvent``.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import ProtectedError

from dsar.formats import plural
from dsar.models import Controller

from .services import _plain, record_change

FORMAT = "dsar-controller-config"
VERSION = 1
NOT_EXPORTED = {"id", "slug"}
POLICY = (
    "require_email_ownership",
    "require_identity_document",
    "require_knowledge_check",
    "require_authority",
    "accepted_documents",
    "evidence_retention_days",
    "chase_after_days",
    "close_unverified_after_days",
)
SYSTEM = ("name", "description", "hosted_in", "outside_uk", "transfer_safeguard")
CATEGORY = ("name", "description", "order", "special_category", "recipients", "retention",
            "source", "provided_by_subject", "automated_means")  # fmt: skip
PURPOSE = ("purpose", "lawful_basis", "basis_detail", "order")
SOURCE = ("name", "kind", "database_alias", "instructions", "is_active")
SEARCH = ("table", "columns", "match_columns", "order_by")
STEP = ("right", "operation", "table", "match_columns", "assignments", "input_columns",
        "instructions", "order")  # fmt: skip
WEBHOOK = ("url", "description", "event_types", "is_active")


def controller_fields() -> list[str]:
    return [f.name for f in Controller._meta.concrete_fields if f.name not in NOT_EXPORTED]


def _pick(row: Any, names: Iterable[str]) -> dict[str, Any]:
    return {n: _plain(getattr(row, n)) for n in names}


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))


def export_config(controller: Controller) -> dict[str, Any]:
    """The configuration as plain JSON values, in an order that does not depend on ids."""
    from dsar.webhooks.models import WebhookEndpoint
    from exports.data import models as m
    from exports.letters.models import Letterhead
    from identity.models import IdentityPolicy

    head = Letterhead.objects.filter(controller=controller).first()
    logo = None
    if head and head.logo:
        with head.logo.open("rb") as handle:
            # The content only: the stored name is random (exports.letters.models.logo_path).
            logo = {"base64": base64.b64encode(handle.read()).decode()}
    statements = m.DataMapSettings.objects.filter(controller=controller).first()
    categories = m.DataCategory.objects.filter(controller=controller).prefetch_related(
        "systems", "purposes"
    )
    sources = m.DataSource.objects.filter(controller=controller).select_related("system")
    return {
        "format": FORMAT,
        "version": VERSION,
        "controller": _pick(controller, controller_fields()),
        "letterhead": {
            "logo_description": head.logo_description if head else "",
            "logo": logo,
        },
        "identity_policies": [
            {"right": p.right, **_pick(p, POLICY)}
            for p in IdentityPolicy.objects.filter(controller=controller).order_by("right")
        ],
        "data_map": _pick(statements, ("automated_decisions", "transfers")) if statements else None,
        "systems": [
            _pick(s, SYSTEM)
            for s in m.DataSystem.objects.filter(controller=controller).order_by("name")
        ],
        "categories": sorted(
            (
                {
                    **_pick(c, CATEGORY),
                    "systems": sorted(s.name for s in c.systems.all()),
                    "purposes": [
                        _pick(p, PURPOSE)
                        for p in sorted(c.purposes.all(), key=lambda p: (p.order, p.id))
                    ],
                }
                for c in categories
            ),
            key=lambda c: c["name"],
        ),
        "sources": sorted((_source(s) for s in sources), key=lambda s: s["name"]),
        "webhooks": sorted(
            (_pick(w, WEBHOOK) for w in WebhookEndpoint.objects.filter(controller=controller)),
            key=lambda w: w["url"],
        ),
    }


def _source(source: Any) -> dict[str, Any]:
    searches = [
        {"category": q.category.name, **_pick(q, SEARCH)}
        for q in source.queries.select_related("category")
    ]
    steps = [
        {"category": a.category.name, **_pick(a, STEP)}
        for a in source.actions.select_related("category")
    ]
    return {
        **_pick(source, SOURCE),
        "system": source.system.name if source.system else None,
        "searches": _sorted(searches),
        "steps": _sorted(steps),
    }


# --- diff ---------------------------------------------------------------------------------

KEYS = {
    "identity_policies": "right",
    "systems": "name",
    "categories": "name",
    "sources": "name",
    "webhooks": "url",
}


def _flatten(value: Any, path: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        if not value and path:
            out[path] = {}
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else key, out)
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        key = KEYS.get(path.rsplit(".", 1)[-1])
        for index, item in enumerate(value):
            label = item.get(key) if key else index
            _flatten(item, f"{path}[{label}]", out)
    else:
        out[path] = value


@dataclass(frozen=True)
class Change:
    """One setting an import would add, change or remove, shown as text."""

    path: str
    before: str | None  # None: not there now
    after: str | None  # None: removed

    @property
    def line(self) -> str:
        if self.before is None:
            return f"+ {self.path}: {self.after}"
        if self.after is None:
            return f"- {self.path}: {self.before}"
        return f"~ {self.path}: {self.before} -> {self.after}"


def changes_between(current: Mapping[str, Any] | None, incoming: Mapping[str, Any]) -> list[Change]:
    """Each setting that differs, by its path in the document. A logo is compared by
    content and shown as "(logo)"."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    _flatten(dict(current or {}), "", before)
    _flatten(dict(incoming), "", after)
    changes = []
    for path in sorted(set(before) | set(after)):
        old, new = before.get(path, _MISSING), after.get(path, _MISSING)
        if old != new:
            changes.append(
                Change(
                    path,
                    None if old is _MISSING else _show(path, old),
                    None if new is _MISSING else _show(path, new),
                )
            )
    return changes


def diff_configs(current: Mapping[str, Any] | None, incoming: Mapping[str, Any]) -> list[str]:
    """Lines a person can read: "~ path: old -> new", "+ path: new", "- path: old"."""
    return [change.line for change in changes_between(current, incoming)]


_MISSING = object()


def _show(path: str, value: Any) -> str:
    if path.endswith("logo.base64"):
        return "(logo)"
    return json.dumps(value, ensure_ascii=False, default=str)


# --- import -------------------------------------------------------------------------------


def check_document(data: Any) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValidationError(f"Not a controller configuration (expected format {FORMAT!r}).")
    if data.get("version") != VERSION:
        raise ValidationError(f"Unsupported version {data.get('version')!r}; expected {VERSION}.")


def current_config(slug: str) -> dict[str, Any] | None:
    controller = Controller.objects.filter(slug=slug).first()
    return export_config(controller) if controller else None


def import_config(*, slug: str, data: Mapping[str, Any], by: Any = None) -> Controller:
    """Make ``slug``'s configuration the document's (creating the controller if needed)."""
    check_document(data)
    before = current_config(slug)
    changes = diff_configs(before, data)
    with transaction.atomic():
        controller = Controller.objects.select_for_update().filter(slug=slug).first()
        if controller is None:
            controller = Controller(slug=slug)
        fields = data["controller"]
        unknown = set(fields) - set(controller_fields())
        if unknown:
            raise ValidationError(f"Unknown controller fields: {', '.join(sorted(unknown))}.")
        for name, value in fields.items():
            setattr(controller, name, value)
        controller.full_clean()
        controller.save()
        _letterhead(controller, data.get("letterhead") or {})
        _policies(controller, data.get("identity_policies") or [])
        systems = _systems(controller, data.get("systems") or [])
        categories = _categories(controller, data.get("categories") or [], systems)
        _statements(controller, data.get("data_map"))
        _sources(controller, data.get("sources") or [], systems, categories)
        _remove_missing_categories(controller, categories)
        _remove_missing_systems(controller, systems)
        _webhooks(controller, data.get("webhooks") or [], by)
        record_change(
            controller=controller,
            by=by,
            kind="configuration_imported",
            target="Whole configuration",
            message=f"{plural(len(changes), 'change')} from an imported configuration.",
            after={"changes": changes[:200]},
        )
    return controller


def _save(row: Any, values: Mapping[str, Any], names: Iterable[str], **clean: Any) -> Any:
    for name in names:
        if name in values:
            setattr(row, name, values[name])
    row.full_clean(validate_constraints=False, **clean)
    row.save()
    return row


def _letterhead(controller: Controller, data: Mapping[str, Any]) -> None:
    import io

    from dsar.uploads import check_image
    from exports.letters.models import Letterhead

    from .forms import sniff_image

    head, _ = Letterhead.objects.get_or_create(controller=controller)
    head.logo_description = data.get("logo_description", "")
    logo = data.get("logo")
    if logo:
        content = base64.b64decode(logo["base64"])
        kind = sniff_image(content[:16])
        if kind is None:
            raise ValidationError("The letterhead logo must be a PNG or JPEG image.")
        check_image(io.BytesIO(content), kind)
        current = b""
        if head.logo:
            with head.logo.open("rb") as handle:
                current = handle.read()
        if current != content:
            name = "logo.png" if kind == "image/png" else "logo.jpg"
            head.logo.save(name, ContentFile(content), save=False)
    elif head.logo:
        head.logo.delete(save=False)
        head.logo = ""
    head.save()


def _policies(controller: Controller, rows: list[Mapping[str, Any]]) -> None:
    from identity.models import IdentityPolicy

    keep = set()
    for row in rows:
        policy = IdentityPolicy.objects.filter(controller=controller, right=row["right"]).first()
        policy = policy or IdentityPolicy(controller=controller, right=row["right"])
        _save(policy, row, POLICY)
        keep.add(row["right"])
    IdentityPolicy.objects.filter(controller=controller).exclude(right__in=keep).delete()


def _systems(controller: Controller, rows: list[Mapping[str, Any]]) -> dict[str, Any]:
    from exports.data.models import DataSystem

    found = {s.name: s for s in DataSystem.objects.filter(controller=controller)}
    kept = {}
    for row in rows:
        system = found.get(row["name"]) or DataSystem(controller=controller)
        kept[row["name"]] = _save(system, row, SYSTEM)
    return kept


def _remove_missing_systems(controller: Controller, kept: Mapping[str, Any]) -> None:
    from exports.data.models import DataSystem

    DataSystem.objects.filter(controller=controller).exclude(
        pk__in=[s.pk for s in kept.values()]
    ).delete()


def _categories(
    controller: Controller, rows: list[Mapping[str, Any]], systems: Mapping[str, Any]
) -> dict[str, Any]:
    from exports.data.models import DataCategory, ProcessingPurpose

    found = {c.name: c for c in DataCategory.objects.filter(controller=controller)}
    kept = {}
    for row in rows:
        category = _save(found.get(row["name"]) or DataCategory(controller=controller), row,
                         CATEGORY)  # fmt: skip
        missing = [n for n in row.get("systems", []) if n not in systems]
        if missing:
            raise ValidationError(f"Category {row['name']} names unknown systems: {missing}.")
        category.systems.set([systems[n] for n in row.get("systems", [])])
        category.purposes.all().delete()
        for purpose in row.get("purposes", []):
            _save(ProcessingPurpose(category=category), purpose, PURPOSE, exclude=["category"])
        kept[row["name"]] = category
    return kept


def _remove_missing_categories(controller: Controller, kept: Mapping[str, Any]) -> None:
    from exports.data.models import DataCategory

    gone = DataCategory.objects.filter(controller=controller).exclude(
        pk__in=[c.pk for c in kept.values()]
    )
    for category in gone:
        try:
            category.delete()
        except ProtectedError:
            raise ValidationError(
                f"The category {category.name} is not in the document but cases refer to it; "
                "add it to the document to keep it."
            ) from None


def _statements(controller: Controller, data: Mapping[str, Any] | None) -> None:
    from exports.data.models import DataMapSettings

    if data is None:
        DataMapSettings.objects.filter(controller=controller).delete()
        return
    row = DataMapSettings.objects.filter(controller=controller).first()
    _save(row or DataMapSettings(controller=controller), data,
          ("automated_decisions", "transfers"))  # fmt: skip


def _sources(
    controller: Controller,
    rows: list[Mapping[str, Any]],
    systems: Mapping[str, Any],
    categories: Mapping[str, Any],
) -> None:
    from exports.data.models import DataSource, SourceAction, SourceQuery

    def category(name: str) -> Any:
        if name not in categories:
            raise ValidationError(f"A source names the unknown category {name}.")
        return categories[name]

    found = {s.name: s for s in DataSource.objects.filter(controller=controller)}
    keep = []
    for row in rows:
        source = found.get(row["name"]) or DataSource(controller=controller)
        source.system = systems.get(row["system"]) if row.get("system") else None
        _save(source, row, SOURCE)
        source.queries.all().delete()
        source.actions.all().delete()
        for search in row.get("searches", []):
            _save(SourceQuery(source=source, category=category(search["category"])), search,
                  SEARCH)  # fmt: skip
        for step in row.get("steps", []):
            _save(SourceAction(source=source, category=category(step["category"])), step, STEP)
        keep.append(source.pk)
    DataSource.objects.filter(controller=controller).exclude(pk__in=keep).delete()


def _webhooks(controller: Controller, rows: list[Mapping[str, Any]], by: Any) -> None:
    from dsar.webhooks.models import WebhookEndpoint

    found = {w.url: w for w in WebhookEndpoint.objects.filter(controller=controller)}
    keep = []
    for row in rows:
        endpoint = found.get(row["url"]) or WebhookEndpoint(
            controller=controller, created_by=by if getattr(by, "pk", None) else None
        )
        keep.append(_save(endpoint, row, WEBHOOK).pk)
    WebhookEndpoint.objects.filter(controller=controller).exclude(pk__in=keep).delete()

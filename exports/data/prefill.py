"""Letter text from the data map and the work done on the case.

Registered as a prefill provider (``exports.letters.register_prefill_provider``): it gives
the starting text of an access response's Art 15 sections (worded by
``exports.letters.art15`` from the categories below: purposes with lawful bases,
categories, recipients, retention, source, automated decision-making, transfers and
safeguards), the files enclosed with their SHA-256 (each export and every file inside it,
from its manifest), and the exemptions applied, named. The portability response gets the
enclosures and exemptions; the erasure, rectification and restriction outcomes get what
was kept and the recipients told (Art 19). The officer still checks and may edit every
part before issuing; a part the map cannot fill is left for them.

Which categories: those in which the released search found records (plus any with an
exemption); before a search is released, every category in the map.
"""

from __future__ import annotations

from collections.abc import Mapping

from dsar.formats import plural
from dsar.models import Case
from exports.letters import art15

from .models import (
    ActionRun,
    DataCategory,
    Exemption,
    Export,
)
from .selectors import released_collection


def _categories(case: Case) -> list[DataCategory]:
    categories = list(
        DataCategory.objects.filter(controller=case.controller)
        .prefetch_related("purposes", "systems")
        .order_by("order", "name")
    )
    collection = released_collection(case)
    if collection is None:
        return categories
    found: set[str] = set()
    for result in collection.results.all():
        found.update(name for name, n in (result.counts or {}).items() if n)
    found.update(e.category.name for e in case.exemptions.select_related("category"))
    return [c for c in categories if c.name in found]


def enclosures_text(case: Case) -> str:
    """Each export with its SHA-256, then every file inside it from the manifest."""
    lines = []
    exports = (
        Export.objects.filter(document__case=case, document__status="ready")
        .select_related("document")
        .order_by("document__produced_at", "document_id")
    )
    for export in exports:
        document = export.document
        lines.append(f"- {document.download_name}: SHA-256 {document.sha256}")
        for entry in (export.manifest or {}).get("files", []):
            rows = entry.get("rows")
            count = f", {plural(rows, 'record')}" if rows is not None else ""
            lines.append(f"- {entry['name']} (in the ZIP{count}): SHA-256 {entry['sha256']}")
        if export.manifest:
            lines.append(
                f"- manifest.json (in the ZIP): lists each file above with its SHA-256, "
                f"generated {export.manifest.get('generated_at', '')}"
            )
    return "\n".join(lines)


def exemptions_text(case: Case) -> str:
    return "\n".join(
        f"- {e.category.name}: {e.get_reason_display()}. {e.detail.strip()}"
        for e in Exemption.objects.filter(case=case).select_related("category")
    )


def withheld_text(case: Case) -> str:
    """The exemptions, then what review and redaction withheld, per DPA 2018 exemption."""
    from .services.review import withheld_text as decisions

    return "\n".join(part for part in (exemptions_text(case), decisions(case)) if part)


def _last_run(case: Case) -> ActionRun | None:
    return case.action_runs.order_by("-started_at", "-id").first()


def prefill(case: Case, kind: str) -> Mapping[str, str]:
    """Text for the letter ``kind`` from the data map and the work done on the case."""
    if not case.pk:
        return {}
    if kind == "access_response":
        return {
            "enclosures": enclosures_text(case),
            "withheld": withheld_text(case),
            **art15.from_data_map(case, _categories(case)),
        }
    if kind == "portability_response":
        return {"enclosures": enclosures_text(case), "withheld": withheld_text(case)}
    if kind in {"erasure_outcome", "rectification_outcome", "restriction_outcome"}:
        run = _last_run(case)
        values = {"kept": exemptions_text(case)}
        if run is not None:
            values["recipients_told"] = run.recipients_to_tell
        return values
    return {}

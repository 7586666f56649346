"""Letter text from the data map: the Art 15 items, enclosures and exemptions.

Registered as a prefill provider (``exports.letters.register_prefill_provider``): it gives
the starting text of an access response's sections (purposes with lawful bases,
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

from dsar.models import Case

from .models import (
    ActionRun,
    DataCategory,
    DataMapSettings,
    DataSystem,
    Exemption,
    Export,
    LawfulBasis,
)
from .selectors import released_collection

BASIS_WORDS = {
    LawfulBasis.CONSENT: "your consent",
    LawfulBasis.CONTRACT: "our contract with you",
    LawfulBasis.LEGAL_OBLIGATION: "a legal obligation",
    LawfulBasis.VITAL_INTERESTS: "to protect someone's vital interests",
    LawfulBasis.PUBLIC_TASK: "a task in the public interest",
    LawfulBasis.LEGITIMATE_INTERESTS: "our legitimate interests",
}


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


def _names(categories: list[DataCategory]) -> str:
    return ", ".join(c.name for c in categories)


def purposes_text(categories: list[DataCategory]) -> str:
    grouped: dict[str, dict[str, list]] = {}
    for category in categories:
        for p in category.purposes.all():
            entry = grouped.setdefault(p.purpose, {"categories": [], "bases": []})
            entry["categories"].append(category)
            basis = BASIS_WORDS.get(p.lawful_basis, p.get_lawful_basis_display())
            if p.basis_detail:
                basis += f" ({p.basis_detail})"
            if basis not in entry["bases"]:
                entry["bases"].append(basis)
    return "\n".join(
        f"- {purpose} ({_names(v['categories'])}). Lawful basis: {'; '.join(v['bases'])}."
        for purpose, v in grouped.items()
    )


def categories_text(categories: list[DataCategory]) -> str:
    return "\n".join(
        f"- {c.name}" + (f": {c.description.strip().rstrip('.')}." if c.description else "")
        for c in categories
    )


def recipients_text(categories: list[DataCategory]) -> str:
    recipients: dict[str, list[str]] = {}
    for category in categories:
        for line in category.recipient_lines():
            recipients.setdefault(line, []).append(category.name)
    if not recipients and categories:
        return "We do not share this personal data with other organisations."
    return "\n".join(f"- {who} ({', '.join(cats)})" for who, cats in recipients.items())


def retention_text(categories: list[DataCategory]) -> str:
    """One line per retention period, naming the categories kept that long: a notice
    often gives one period for most categories, and a letter should not repeat it."""
    periods: dict[str, list[str]] = {}
    for category in categories:
        if category.retention.strip():
            periods.setdefault(category.retention.strip(), []).append(category)
    return "\n".join(f"- {_names(cats)}: {period}" for period, cats in periods.items())


def source_text(categories: list[DataCategory]) -> str:
    if categories and all(c.provided_by_subject and not c.source.strip() for c in categories):
        return "All of it came from you."
    return "\n".join(
        f"- {c.name}: " + (c.source.strip() if c.source.strip() else "provided by you.")
        for c in categories
    )


def transfers_text(case: Case) -> str:
    """What the map says of transfers, only where it is true and complete: a system abroad
    with no safeguard, or one relying on a mechanism no longer valid (the EU-US Privacy
    Shield), leaves the section for the officer to write (exports.letters.truth flags it)."""
    from exports.letters.truth import has_placeholder, invalid_mechanism

    def usable(text: str) -> bool:
        return bool(text.strip()) and not invalid_mechanism(text) and not has_placeholder(text)

    settings = DataMapSettings.objects.filter(controller=case.controller).first()
    general = settings.transfers.strip() if settings else ""
    if general and not usable(general):
        return ""
    lines = [general] if general else []
    systems = DataSystem.objects.filter(controller=case.controller)
    abroad = [s for s in systems if s.outside_uk]
    if any(not usable(s.transfer_safeguard) for s in abroad):
        return ""
    if abroad:
        lines.append(
            "\n".join(
                f"- {s.name}" + (f" ({s.hosted_in})" if s.hosted_in else "") + f": "
                f"{s.transfer_safeguard}"
                for s in abroad
            )
        )
    elif not lines and systems:
        lines.append("We do not transfer your personal data outside the UK.")
    return "\n\n".join(lines)


def automated_text(case: Case) -> str:
    """The map's words, as its notice gives them; silent means the officer writes it."""
    from exports.letters.truth import has_placeholder

    settings = DataMapSettings.objects.filter(controller=case.controller).first()
    text = settings.automated_decisions.strip() if settings else ""
    return "" if has_placeholder(text) else text


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
            count = f", {rows} record{'s' if rows != 1 else ''}" if rows is not None else ""
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
        categories = _categories(case)
        values = {
            "enclosures": enclosures_text(case),
            "withheld": withheld_text(case),
            "transfers": transfers_text(case),
            "automated": automated_text(case),
        }
        if categories:
            values.update(
                purposes=purposes_text(categories),
                categories=categories_text(categories),
                recipients=recipients_text(categories),
                retention=retention_text(categories),
                source=source_text(categories),
            )
        return values
    if kind == "portability_response":
        return {"enclosures": enclosures_text(case), "withheld": withheld_text(case)}
    if kind in {"erasure_outcome", "rectification_outcome", "restriction_outcome"}:
        run = _last_run(case)
        values = {"kept": exemptions_text(case)}
        if run is not None:
            values["recipients_told"] = run.recipients_to_tell
        return values
    return {}

"""UK GDPR Art 15: the access response's sections, and their text from the data map.

Each section is a free-text part the officer checks before issuing. Without a data map
they start empty ("To be completed" in the preview) or with text that follows from the
law. ``from_data_map`` words what the map says for ``purposes``, ``categories``,
``recipients``, ``retention``, ``source``, ``automated`` and ``transfers``: the data half's
prefill provider (``exports.data.prefill``) and the data map's sample letter both use it.
The rights (Art 15(1)(e)) and the ICO complaint route (Art 15(1)(f)) are fixed text in the
template: the law decides them, not the officer.

The data map's models are imported where they are read, not at the top: this module is
part of ``exports.letters``, which is imported while the app's models are loading.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from dsar.choices import Outcome
from dsar.models import Case

from .base import FieldSpec

if TYPE_CHECKING:
    from exports.data.models import DataCategory


def ready_exports(case: Case) -> QuerySet:
    """Exports made for the case (issue 5): listed as enclosures with their SHA-256."""
    from exports.models import Document

    return case.documents.filter(
        category=Document.Category.EXPORT, status=Document.Status.READY
    ).order_by("produced_at", "id")


def _holds_data(case: Case) -> bool:
    return case.outcome != Outcome.NO_DATA_HELD


def _summary(case: Case) -> str:
    if case.outcome == Outcome.NO_DATA_HELD:
        return (
            "We have searched our systems for personal data about you, using the details "
            "you gave us, and found none. We therefore hold no personal data about you."
        )
    return (
        "We have searched our systems for personal data about you, using the details you "
        "gave us. We do hold personal data about you. A copy is enclosed, as listed under "
        "'What is enclosed' below, and this letter gives the other information you are "
        "entitled to under Article 15 of the UK GDPR."
    )


def _withheld(case: Case) -> str:
    if case.outcome == Outcome.PARTLY_FULFILLED:
        return case.outcome_reasons
    return ""


def _needs_enclosures(case: Case) -> bool:
    return _holds_data(case) and not ready_exports(case).exists()


# (field, heading, article): the order they appear in the letter.
SECTIONS: tuple[tuple[FieldSpec, str, str], ...] = (
    (
        FieldSpec("summary", "The personal data we hold", required=True, default=_summary),
        "The personal data we hold",
        "Article 15(1) and (3)",
    ),
    (
        FieldSpec(
            "enclosures",
            "What is enclosed",
            help="One file a line with its SHA-256; exports made on the case are listed "
            "automatically above this text.",
            required=_needs_enclosures,
        ),
        "What is enclosed",
        "Article 15(3)",
    ),
    (
        FieldSpec(
            "withheld",
            "What we have withheld, and the exemption",
            help="Name the exemption for anything withheld (e.g. third-party data, DPA 2018 "
            "Sch 2 para 16), or say nothing was withheld.",
            required=_holds_data,
            default=_withheld,
        ),
        "What we have withheld",
        "Data Protection Act 2018, Schedules 2 to 4",
    ),
    (
        FieldSpec(
            "purposes",
            "Why we use your data (purposes)",
            help="Each purpose, with its lawful basis.",
            required=_holds_data,
            rows=5,
        ),
        "Why we use your data",
        "Article 15(1)(a)",
    ),
    (
        FieldSpec(
            "categories",
            "The kinds of data we hold (categories)",
            help="e.g. Identity, Contact, Marketing and communications, Technical.",
            required=_holds_data,
        ),
        "The kinds of personal data we hold",
        "Article 15(1)(b)",
    ),
    (
        FieldSpec(
            "recipients",
            "Who we share it with (recipients)",
            help="Recipients or categories of recipient, including any outside the UK.",
            required=_holds_data,
        ),
        "Who we share it with",
        "Article 15(1)(c)",
    ),
    (
        FieldSpec(
            "retention",
            "How long we keep it (retention)",
            help="The period for each category, or the criteria used to decide it.",
            required=_holds_data,
        ),
        "How long we keep it",
        "Article 15(1)(d)",
    ),
    (
        FieldSpec(
            "source",
            "Where we got it (source)",
            help="Where data did not come from the requester, where it came from; otherwise "
            "say it all came from them.",
            required=_holds_data,
            rows=3,
        ),
        "Where we got your data",
        "Article 15(1)(g)",
    ),
    (
        FieldSpec(
            "automated",
            "Automated decision-making and profiling",
            help="Whether we make decisions solely by automated means, including profiling; "
            "if so, the logic involved and the significance and consequences for them.",
            required=_holds_data,
            rows=3,
        ),
        "Automated decision-making, including profiling",
        "Article 15(1)(h)",
    ),
    (
        FieldSpec(
            "transfers",
            "Transfers outside the UK and their safeguards",
            help="Where data goes outside the UK, to where and under which safeguard "
            "(adequacy regulations, the IDTA or the Addendum); or that it does not.",
            required=_holds_data,
            rows=3,
        ),
        "Transfers outside the UK",
        "Article 15(2)",
    ),
)

NOTE = FieldSpec("note", "Anything else to say (optional)", rows=3)
FIELDS: tuple[FieldSpec, ...] = (*(spec for spec, _, _ in SECTIONS), NOTE)
# The headings every access response carries (the fixed ones included), in order.
HEADINGS: tuple[str, ...] = (
    *(heading for _, heading, _ in SECTIONS),
    "Your other rights",
    "Your right to complain",
)


def context(case: Case, values: Mapping[str, str]) -> dict[str, Any]:
    """Sections in letter order; the fixed rights and ICO sections follow them."""
    return {
        "holds_data": _holds_data(case),
        "sections": [
            {"key": spec.name, "heading": heading, "article": article}
            for spec, heading, article in SECTIONS
        ],
        "exports": list(ready_exports(case)),
    }


# Keyed by exports.data.models.LawfulBasis values (not imported: see the module's note).
BASIS_WORDS = {
    "consent": "your consent",
    "contract": "our contract with you",
    "legal_obligation": "a legal obligation",
    "vital_interests": "to protect someone's vital interests",
    "public_task": "a task in the public interest",
    "legitimate_interests": "our legitimate interests",
}


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
    often gives one period for most categories, and a letter should not repeat it. A
    category the map gives no period for leaves the section to the officer (Art 15(1)(d)
    asks for every category's period or the criteria for it)."""
    if any(not category.retention.strip() for category in categories):
        return ""
    periods: dict[str, list[str]] = {}
    for category in categories:
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
    Shield), leaves the section for the officer to write (``truth`` flags it)."""
    from exports.data.models import DataMapSettings, DataSystem

    from .truth import has_placeholder, invalid_mechanism

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
    from exports.data.models import DataMapSettings

    from .truth import has_placeholder

    settings = DataMapSettings.objects.filter(controller=case.controller).first()
    text = settings.automated_decisions.strip() if settings else ""
    return "" if has_placeholder(text) else text


def from_data_map(case: Case, categories: list[DataCategory]) -> dict[str, str]:
    """The sections the data map can word, for these categories; a section it cannot
    word truthfully is left out, for the officer to write."""
    values = {"transfers": transfers_text(case), "automated": automated_text(case)}
    if categories:
        values.update(
            purposes=purposes_text(categories),
            categories=categories_text(categories),
            recipients=recipients_text(categories),
            retention=retention_text(categories),
            source=source_text(categories),
        )
    return values

"""The access response's sections: every item of UK GDPR Art 15(1) and (2).

Each section is a free-text part the officer checks before issuing. Until the data map
(issue 5) exists they start empty ("To be completed" in the preview) or with text that
follows from the law; the data map fills them by registering a prefill provider
(``base.register_prefill_provider``) that returns text for these field names:
``purposes``, ``categories``, ``recipients``, ``retention``, ``source``, ``automated``,
``transfers``. The rights (Art 15(1)(e)) and the ICO complaint route (Art 15(1)(f)) are
fixed text in the template: the law decides them, not the officer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from dsar.choices import Outcome
from dsar.models import Case

from .base import FieldSpec


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

"""The letter kinds: one registry entry each, with its free-text parts and rules.

The order here is the order the case page and ``render_letter --help`` list them.
The access response's Art 15 sections live in ``art15.py``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from dsar import clock
from dsar.choices import Outcome, PortabilityDestination, RefusalGround, Right, Status
from dsar.formats import long_date
from dsar.models import Case

from . import art15
from .base import FieldSpec, LetterKind, register_letter_kind
from .context import period_words

NOTE = FieldSpec(
    "note",
    "Anything else to say (optional)",
    help="Printed as its own paragraph before the closing.",
    rows=3,
)
RECIPIENTS_TOLD = FieldSpec(
    "recipients_told",
    "Who we told (Art 19)",
    help="The organisations we passed the data to and have told of this change, or why "
    "telling them is impossible or would take disproportionate effort.",
    rows=3,
)


def _right(*rights: str):
    return lambda case: case.right in rights


def _identity_documents(case: Case) -> str:
    documents = case.controller.accepted_identity_documents or []
    if documents:
        listed = "\n".join(f"- {doc}" for doc in documents)
        return f"Please send us one of the following:\n{listed}"
    return (
        "Please send us a copy of one document that shows your name, such as a passport, "
        "a driving licence or a recent utility bill."
    )


def _identity_needed(case: Case) -> str:
    parts = [_identity_documents(case)]
    if case.acting_for_other:
        parts.append(
            f"As you are asking on behalf of {case.data_subject_name}, please also send "
            "evidence that you may act for them, such as their signed authority, a power of "
            "attorney or proof of parental responsibility."
        )
    if case.organisation_name and case.controller.letterhead_required_for_organisations:
        parts.append(
            f"As the request comes from {case.organisation_name}, it would help us if you "
            "could also send it on the organisation's letterhead. This is not a condition: "
            "your request is valid without it."
        )
    return "\n\n".join(parts)


def _outcome_reasons(case: Case) -> str:
    return case.outcome_reasons


def _waiting_for(what: str):
    """The clock starts again when `what` arrives: no date can be promised yet."""

    def context(case: Case, values: Mapping[str, str]) -> dict[str, Any]:
        period = period_words(case.controller)["period"]
        return {"due_note": f"Within {period} of receiving {what}"}

    return context


def _extension_refusal(case: Case, today: dt.date) -> str | None:
    if not case.extended:
        return "This case has not been extended: extend it first, with the reason."
    from dsar.services import deadline_input

    last = clock.last_day_to_extend(deadline_input(case), as_of=today)
    if today > last:
        return (
            f"The original period ended on {long_date(last)}: an extension notice must be "
            "sent within the original period, so it can no longer be issued."
        )
    return None


def _extension_context(case: Case, values: Mapping[str, str]) -> dict[str, Any]:
    return {"original_due": case.original_due_date, "new_due": case.due_date}


def _refusal_context(case: Case, values: Mapping[str, str]) -> dict[str, Any]:
    return {"ground": case.refusal_ground, "ground_label": case.get_refusal_ground_display()}


def _objection_decision(case: Case) -> str:
    if case.objection_direct_marketing:
        return (
            "We have stopped using your personal data for direct marketing, as the law "
            "requires. We have added you to our marketing suppression list so that you are "
            "not contacted for marketing again; we keep only the details needed to do that."
        )
    return ""


def _erasure_decision(case: Case) -> str:
    if case.outcome == Outcome.FULFILLED:
        return "We have erased the personal data we held about you."
    if case.outcome == Outcome.NO_DATA_HELD:
        return "We searched our systems and found no personal data about you to erase."
    return ""


def _rectification_context(case: Case, values: Mapping[str, str]) -> dict[str, Any]:
    return {
        "inaccurate": case.rectification_inaccurate,
        "correction": case.rectification_correction,
    }


def _portability_sent_to(case: Case) -> str:
    if case.portability_destination == PortabilityDestination.ORGANISATION:
        recipient = case.portability_recipient or "the organisation you named"
        return f"As you asked, we have also sent the same files directly to {recipient}."
    return ""


def _portability_context(case: Case, values: Mapping[str, str]) -> dict[str, Any]:
    from exports.data.models import DataCategory

    categories = list(
        DataCategory.objects.filter(controller=case.controller)
        .prefetch_related("purposes")
        .order_by("order", "name")
    )
    return {
        "exports": list(art15.ready_exports(case)),
        "portable": [c.name for c in categories if c.portable],
        "not_portable": [c.name for c in categories if not c.portable],
    }


KINDS = (
    LetterKind(
        key="acknowledgement",
        title="Acknowledgement of your request",
        summary="Confirms the request arrived, its reference and when the answer is due.",
        suits=lambda case: case.status in {Status.IN_PROGRESS, Status.AWAITING_IDENTITY},
        fields=(
            FieldSpec(
                "next_steps",
                "What happens next",
                required=True,
                default="We are now working on your request. If we need anything more from "
                "you to find your information, we will tell you.",
            ),
            NOTE,
        ),
    ),
    LetterKind(
        key="identity_request",
        title="We need to confirm your identity",
        summary="Asks for identity (or authority) evidence; the clock waits for it.",
        suits=lambda case: case.status == Status.AWAITING_IDENTITY,
        context=_waiting_for("your evidence"),
        fields=(
            FieldSpec(
                "needed",
                "What we need",
                help="Only what the case's identity policy requires (the identity app fills "
                "it in: an email check asks for no document). Start lines with '- ' for a "
                "list.",
                required=True,
                default=_identity_needed,
                rows=6,
            ),
            FieldSpec(
                "kept",
                "How long we keep what you send",
                help="Filled in from the identity policy's evidence retention; say it as it "
                "is done.",
                required=True,
                rows=2,
            ),
            NOTE,
        ),
    ),
    LetterKind(
        key="clarification_request",
        title="We need more information to answer your request",
        summary="Asks the requester to clarify; the clock is paused until they answer.",
        suits=lambda case: case.status == Status.AWAITING_REQUESTER,
        fields=(
            FieldSpec(
                "questions",
                "What we need to know",
                help="Ask only what you need to find the information.",
                required=True,
                rows=5,
            ),
            NOTE,
        ),
    ),
    LetterKind(
        key="extension_notice",
        title="We need more time to answer your request",
        summary="Tells the requester of an extension and why; only within the original period.",
        suits=lambda case: case.extended and case.is_open,
        refuse_issue=_extension_refusal,
        context=_extension_context,
        fields=(
            FieldSpec(
                "reasons",
                "Why we need more time",
                required=True,
                default=lambda case: case.extension_reason,
            ),
            NOTE,
        ),
    ),
    LetterKind(
        key="access_response",
        title="Your subject access request: our response",
        summary="The response to an access request, with every item Art 15 requires.",
        suits=_right(Right.ACCESS),
        fields=art15.FIELDS,
        context=art15.context,
    ),
    LetterKind(
        key="portability_response",
        title="Your data portability request: our response",
        summary="Sends the data the requester provided, in a machine-readable format.",
        suits=_right(Right.PORTABILITY),
        context=_portability_context,
        fields=(
            FieldSpec(
                "summary",
                "What we are providing",
                required=True,
                default="Enclosed is the personal data you provided to us, in a structured, "
                "commonly used and machine-readable format (JSON and CSV files in a ZIP "
                "archive), as Article 20 of the UK GDPR provides.",
            ),
            FieldSpec(
                "sent_to",
                "Sent directly to another organisation",
                help="Filled in when the requester asked us to send it on (Art 20(2)).",
                default=_portability_sent_to,
                rows=2,
            ),
            FieldSpec(
                "enclosures",
                "Files enclosed",
                help="One file a line with its SHA-256; exports made on the case are listed "
                "automatically.",
                required=lambda case: not art15.ready_exports(case).exists(),
            ),
            FieldSpec("withheld", "What we have withheld, and why (optional)", rows=3),
            NOTE,
        ),
    ),
    LetterKind(
        key="erasure_outcome",
        title="Your erasure request: what we have done",
        summary="What was erased, what was kept and why, and who was told.",
        suits=_right(Right.ERASURE),
        fields=(
            FieldSpec("decision", "What we did", required=True, default=_erasure_decision),
            FieldSpec(
                "kept",
                "What we kept, and why (optional)",
                help="Name the exemption or reason, e.g. a legal obligation to keep invoices "
                "for six years, or the defence of legal claims.",
            ),
            RECIPIENTS_TOLD,
            NOTE,
        ),
    ),
    LetterKind(
        key="rectification_outcome",
        title="Your rectification request: what we have done",
        summary="The correction made (or why not), and who was told.",
        suits=_right(Right.RECTIFICATION),
        context=_rectification_context,
        fields=(
            FieldSpec(
                "decision",
                "What we did",
                required=True,
                default="We have corrected our records as you asked.",
            ),
            FieldSpec(
                "not_done",
                "What we have not corrected, and why (optional)",
                help="If we refused any part: the reasons. The letter then gives the right to "
                "complain to the ICO and to go to court.",
                rows=3,
            ),
            RECIPIENTS_TOLD,
            NOTE,
        ),
    ),
    LetterKind(
        key="restriction_outcome",
        title="Your restriction request: what we have done",
        summary="What use is restricted and until when, and who was told.",
        suits=_right(Right.RESTRICTION),
        fields=(
            FieldSpec(
                "decision",
                "What we have restricted",
                help="Which data, which uses stop, and what we may still do (store it; use it "
                "with your consent or for legal claims).",
                required=True,
            ),
            RECIPIENTS_TOLD,
            NOTE,
        ),
    ),
    LetterKind(
        key="objection_outcome",
        title="Your objection: what we have done",
        summary="Stopping processing (always, for direct marketing) or the grounds to go on.",
        suits=_right(Right.OBJECTION),
        fields=(
            FieldSpec("decision", "What we did", required=True, default=_objection_decision),
            FieldSpec(
                "grounds",
                "If we are not stopping: our compelling legitimate grounds (optional)",
                help="Never for direct marketing, which must always stop (Art 21(3)). The "
                "letter then gives the right to complain to the ICO and to go to court.",
                rows=4,
            ),
            NOTE,
        ),
    ),
    LetterKind(
        key="automated_decision_outcome",
        title="Your request for a review of an automated decision: the outcome",
        summary="The outcome of a human review of a decision made solely by automated means "
        "(Arts 22A-22D).",
        suits=_right(Right.AUTOMATED_DECISION),
        fields=(
            FieldSpec(
                "decision",
                "The decision you asked us to review",
                help="What was decided, when, and that it was made solely by automated means.",
                required=True,
                rows=3,
            ),
            FieldSpec(
                "review",
                "How a person reviewed it",
                help="Who (their role) looked at it again, what they considered, including "
                "anything the requester told us.",
                required=True,
                rows=4,
            ),
            FieldSpec(
                "outcome",
                "The outcome, and why",
                help="Whether the decision stands or is changed, with the reasons and the "
                "main factors (the logic involved) in plain words.",
                required=True,
                rows=4,
            ),
            NOTE,
        ),
    ),
    LetterKind(
        key="refusal",
        title="Your request: why we are not taking action",
        summary="Refusal with reasons, the right to complain to the ICO and to go to court.",
        suits=lambda case: (
            case.status == Status.REFUSED
            and case.refusal_ground != RefusalGround.IDENTITY_NOT_VERIFIED
        ),
        context=_refusal_context,
        fields=(
            FieldSpec("reasons", "Our reasons", required=True, default=_outcome_reasons, rows=5),
            NOTE,
        ),
    ),
    LetterKind(
        key="closed_unverified",
        title="Your request: closed because we could not confirm your identity",
        summary="Closure when identity (or authority) evidence never came.",
        suits=lambda case: case.refusal_ground == RefusalGround.IDENTITY_NOT_VERIFIED,
        fields=(
            FieldSpec(
                "reasons",
                "What happened",
                required=True,
                default=lambda case: (
                    case.outcome_reasons
                    or "We asked for evidence of your identity and did not receive it."
                ),
            ),
            FieldSpec("needed", "What a new request needs", default=_identity_needed, rows=5),
            NOTE,
        ),
    ),
    LetterKind(
        key="fee_request",
        title="Your request: a fee is payable",
        summary="Asks for a reasonable fee for a manifestly unfounded or excessive request.",
        suits=lambda case: False,  # rare: under "Other letters" while the case is open
        offer_anyway=lambda case: case.is_open,
        context=_waiting_for("the fee"),
        fields=(
            FieldSpec("amount", "The fee", help="e.g. £25.00", required=True, rows=1),
            FieldSpec(
                "reasons",
                "Why a fee is payable",
                help="Why the request is manifestly unfounded or excessive (e.g. repetitive), "
                "and how the fee was worked out from the administrative cost.",
                required=True,
                rows=5,
            ),
            FieldSpec("how_to_pay", "How to pay", required=True, rows=3),
            NOTE,
        ),
    ),
)

for _kind in KINDS:
    register_letter_kind(_kind)

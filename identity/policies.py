"""Which checks a case needs, and how each is explained to the requester.

The rule, in one place:
- the controller's policy for the case's right lists the everyday methods (email link,
  identity document, knowledge check); with no policy for that right, none is asked;
- a request made for someone else (parent, solicitor, attorney, other) also needs the
  authority step, unless the policy for that right turns it off;
- letterhead is never asked automatically: a controller's letterhead or form is never a
  condition of a valid request (UK GDPR; ICO guidance). The controller's
  ``letterhead_required_for_organisations`` flag only makes the form say it helps; an
  officer may still ask for it as an ordinary step, which can be waived;
- the email link step is only asked where there is an email address to send it to.
"""

from __future__ import annotations

from dataclasses import dataclass

from dsar.models import Case

from .choices import METHOD_ORDER, Method
from .models import (
    DEFAULT_CHASE_AFTER_DAYS,
    DEFAULT_CLOSE_UNVERIFIED_AFTER_DAYS,
    DEFAULT_EVIDENCE_RETENTION_DAYS,
    IdentityPolicy,
)


@dataclass(frozen=True)
class Timings:
    """How long evidence is kept, and when to chase and give up (0: never)."""

    evidence_retention_days: int = DEFAULT_EVIDENCE_RETENTION_DAYS
    chase_after_days: int = DEFAULT_CHASE_AFTER_DAYS
    close_unverified_after_days: int = DEFAULT_CLOSE_UNVERIFIED_AFTER_DAYS

    @classmethod
    def of(cls, policy: IdentityPolicy | None) -> Timings:
        if policy is None:
            return cls()
        return cls(
            policy.evidence_retention_days,
            policy.chase_after_days,
            policy.close_unverified_after_days,
        )


def policy_for(case: Case) -> IdentityPolicy | None:
    return IdentityPolicy.objects.filter(controller_id=case.controller_id, right=case.right).first()


def policies_by_key(controller_ids: set[int]) -> dict[tuple[int, str], IdentityPolicy]:
    """All policies of these controllers in one query, for the sweeps."""
    return {
        (p.controller_id, p.right): p
        for p in IdentityPolicy.objects.filter(controller_id__in=controller_ids)
    }


def required_methods(case: Case, policy: IdentityPolicy | None) -> list[str]:
    """The methods this case needs, in the order they are listed (see the module rule)."""
    needed = set(policy.methods if policy else [])
    if case.acting_for_other and (policy is None or policy.require_authority):
        needed.add(Method.AUTHORITY)
    if not case.requester_email:
        needed.discard(Method.EMAIL_OWNERSHIP)
    return [m for m in METHOD_ORDER if m in needed]


def accepted_documents(case: Case, policy: IdentityPolicy | None = None) -> list[str]:
    """The documents the policy lists, else the controller's (both may be empty)."""
    if policy is not None and policy.accepted_documents:
        return list(policy.accepted_documents)
    return list(case.controller.accepted_identity_documents or [])


# --- words for the requester ---------------------------------------------------------

HEADINGS = {
    Method.EMAIL_OWNERSHIP: "Confirm your email address",
    Method.IDENTITY_DOCUMENT: "Proof of your identity",
    Method.KNOWLEDGE_CHECK: "Questions about your account",
    Method.AUTHORITY: "Proof that you can act for them",
    Method.LETTERHEAD: "Your request on letterhead",
}

ANY_DOCUMENT = (
    "a copy of an official document that shows your name, such as a passport, "
    "driving licence or a recent bill"
)


def what_we_need(method: str, case: Case, documents: list[str]) -> str:
    """One sentence saying what the requester should send for a step."""
    if method == Method.EMAIL_OWNERSHIP:
        return "Confirm your email address by opening the link we emailed you."
    if method == Method.IDENTITY_DOCUMENT:
        if documents:
            listed = ", ".join(d[:1].lower() + d[1:] for d in documents[:-1])
            last = documents[-1][:1].lower() + documents[-1][1:]
            choice = f"{listed} or {last}" if listed else last
            return f"Proof of your identity: one of {choice}."
        return f"Proof of your identity: {ANY_DOCUMENT}."
    if method == Method.KNOWLEDGE_CHECK:
        return (
            "Answers to a few questions about your account that only you would know. "
            "We will contact you to ask them."
        )
    if method == Method.AUTHORITY:
        subject = case.subject_name or "the person whose data you are asking for"
        return (
            f"Proof that you can act for {subject}: for example their signed letter of "
            "authority, a power of attorney, or for a child, a birth certificate or court "
            "order showing you are their parent or guardian."
        )
    if method == Method.LETTERHEAD:
        organisation = case.organisation_name or "your organisation"
        return f"Your request on {organisation}'s letterhead, signed by someone who can act for it."
    return ""

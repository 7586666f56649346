"""Identity policies as the settings pages change them: per right, steps and documents.

Above the core: this module composes ``identity`` (its policy model and the words
requesters read, ``identity.policies``) with the change record.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction

from dsar.choices import Relationship, Right
from dsar.models import Case, Controller

from .services import diff, lock_controller, record_change, snapshot

# Documents offered as checkboxes; a policy's own others are shown ticked beside them.
DOCUMENTS = (
    "Colour copy of passport",
    "Colour copy of driving licence",
    "Colour copy of national identity card",
    "Colour copy of birth certificate",
    "Colour copy of utility bill",
    "Bank or building society statement from the last three months",
    "Council tax bill for this year",
)

POLICY_FIELDS = (
    "require_email_ownership",
    "require_identity_document",
    "require_knowledge_check",
    "require_authority",
    "accepted_documents",
    "evidence_retention_days",
    "chase_after_days",
    "close_unverified_after_days",
)


def policies_by_right(controller: Controller) -> dict[str, Any]:
    """Every right, with its policy or None (nothing asked automatically)."""
    from identity.models import IdentityPolicy

    found = {p.right: p for p in IdentityPolicy.objects.filter(controller=controller)}
    return {right.value: found.get(right.value) for right in Right}


def policy_save(*, controller: Controller, by: Any, right: str, values: Mapping[str, Any]) -> Any:
    """Create or change the policy for one right; the change is recorded."""
    from identity.models import IdentityPolicy

    Right(right)  # a ValueError for anything else
    with transaction.atomic():
        fresh = lock_controller(controller)
        policy = (
            IdentityPolicy.objects.select_for_update().filter(controller=fresh, right=right).first()
        )
        created = policy is None
        if created:
            policy = IdentityPolicy(controller=fresh, right=right)
        before = {} if created else snapshot(policy, POLICY_FIELDS)
        for name, value in values.items():
            if name not in POLICY_FIELDS:
                raise ValueError(f"Not a policy setting: {name}")
            setattr(policy, name, value)
        policy.full_clean()
        after = snapshot(policy, POLICY_FIELDS)
        old, new = diff(before, after)
        if created or new or old:
            policy.save()
            record_change(
                controller=fresh,
                by=by,
                kind="identity_policy_added" if created else "identity_policy_changed",
                target=f"Identity checks: {Right(right).label.split(' (')[0]}",
                before=old,
                after=new,
            )
    return policy


def default_documents_save(*, controller: Controller, by: Any, documents: Sequence[str]) -> None:
    """The documents accepted for rights whose policy lists none."""
    from .services import update_fields

    with transaction.atomic():
        fresh = lock_controller(controller)
        update_fields(
            instance=fresh,
            controller=fresh,
            by=by,
            values={"accepted_identity_documents": list(documents)},
            kind="identity_documents_changed",
            target="Documents accepted for any request",
        )


def requester_wording(
    controller: Controller, right: str, values: Mapping[str, Any]
) -> list[dict[str, str]]:
    """What a requester is asked for under these values, as the status page words it.

    Shown for a person asking for themselves, then what is added when someone acts for
    another person or an organisation asks.
    """
    from identity.choices import METHOD_ORDER, Method
    from identity.models import IdentityPolicy
    from identity.policies import HEADINGS, accepted_documents, required_methods, what_we_need

    policy = IdentityPolicy(
        controller=controller,
        right=right,
        **{k: v for k, v in values.items() if k in POLICY_FIELDS},
    )
    self_case = Case(
        controller=controller,
        right=right,
        requester_name="Alex Example",
        requester_email="alex@example.org",
    )
    agent_case = Case(
        controller=controller,
        right=right,
        requester_name="Sam Agent",
        requester_email="sam@example.org",
        relationship=Relationship.SOLICITOR,
        subject_name="Alex Example",
        organisation_name="Example Solicitors LLP",
    )
    documents = accepted_documents(self_case, policy)
    shown = []
    for method in required_methods(self_case, policy):
        shown.append(
            {
                "who": "Everyone",
                "heading": HEADINGS[method],
                "text": what_we_need(method, self_case, documents),
            }
        )
    extra = [m for m in required_methods(agent_case, policy) if m not in policy.methods]
    for method in [m for m in METHOD_ORDER if m in extra]:
        who = (
            "Someone acting for another person"
            if method == Method.AUTHORITY
            else "An organisation asking"
        )
        shown.append(
            {
                "who": who,
                "heading": HEADINGS[method],
                "text": what_we_need(method, agent_case, documents),
            }
        )
    return shown

"""The identity request letter says what the case's policy needs, and how long evidence
is kept, truthfully (issue 13): registered as a letters prefill provider."""

from __future__ import annotations

from collections.abc import Mapping

from dsar.formats import plural
from dsar.models import Case

from . import policies
from .choices import Method


def prefill(case: Case, kind: str) -> Mapping[str, str]:
    if kind not in {"identity_request", "closed_unverified"} or not case.pk:
        return {}
    policy = policies.policy_for(case)
    documents = policies.accepted_documents(case, policy)
    pending = [s.method for s in case.verification_steps.all() if s.is_pending]
    methods = pending or policies.required_methods(case, policy)
    values: dict[str, str] = {}
    if methods:
        values["needed"] = "\n".join(
            f"- {policies.what_we_need(m, case, documents)}" for m in methods
        )
    if kind == "identity_request":
        days = policies.Timings.of(policy).evidence_retention_days
        uses = "your identity" + (" and authority" if Method.AUTHORITY in methods else "")
        values["kept"] = (
            f"We use what you send only to check {uses}. We delete it {plural(days, 'day')} "
            "after the check is over."
        )
    return values

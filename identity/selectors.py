"""Read queries for the identity app. Views call these; they decide the joins."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch

from dsar.models import Case
from dsar.selectors import visible_cases

from .models import EvidenceFile, VerificationStep


def steps_for_case(case: Case) -> list[VerificationStep]:
    """The case's steps, oldest first, each with its evidence: two queries in all."""
    return list(
        VerificationStep.objects.filter(case=case)
        .select_related("reviewed_by", "requested_by")
        .prefetch_related(
            Prefetch("evidence", queryset=EvidenceFile.objects.order_by("uploaded_at", "id"))
        )
        .order_by("requested_at", "id")
    )


def case_for_status_page(reference: str) -> Case | None:
    return Case.objects.select_related("controller").filter(reference=reference).first()


def step_of_case(case: Case, step_id: int) -> VerificationStep | None:
    """A step only through its own case: a link for case A never reaches B's steps."""
    return VerificationStep.objects.filter(case=case, pk=step_id).first()


def evidence_for_officer(user: AbstractBaseUser, evidence_id: int) -> EvidenceFile:
    """The file, if its case is visible to the user; DoesNotExist (a 404) otherwise."""
    return EvidenceFile.objects.select_related("step__case__controller").get(
        pk=evidence_id, step__case__in=visible_cases(user).values("pk")
    )

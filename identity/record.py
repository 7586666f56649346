"""The verification steps in a case's record for a regulator (dsar.reports.record).

The checks made and their outcome, never the evidence itself: how many files arrived is
said, their content is not.
"""

from __future__ import annotations

from django.db.models import Count

from dsar.formats import person_name, plural
from dsar.models import Case
from dsar.reports.record import RecordSection, when

from .models import VerificationStep


def verification_rows(case: Case) -> list[list[str]]:
    steps = (
        VerificationStep.objects.filter(case=case)
        .select_related("requested_by", "reviewed_by")
        .annotate(files=Count("evidence"))
        .order_by("requested_at", "id")
    )
    return [
        [
            step.get_method_display(),
            step.get_status_display(),
            when(step.requested_at, case, short=True),
            plural(step.files, "file") if step.files else "None",
            person_name(step.reviewed_by) if step.reviewed_by else "",
            when(step.reviewed_at, case, short=True),
            step.decision_note,
        ]
        for step in steps
    ]


SECTION = RecordSection(
    key="verification",
    title="Identity verification",
    columns=("Check", "Outcome", "Asked", "Evidence received", "Decided by", "Decided", "Why"),
    rows=verification_rows,
    order=10,
    empty="No verification steps.",
)

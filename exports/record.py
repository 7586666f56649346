"""Letters sent and documents disclosed in a case's record for a regulator
(dsar.reports.record), each with its SHA-256 so the regulator can match a copy."""

from __future__ import annotations

from dsar.formats import person_name
from dsar.models import Case
from dsar.reports.record import RecordSection, when

from .models import Document


def _documents(case: Case, **filters) -> list[Document]:
    return list(
        Document.objects.filter(case=case, **filters)
        .select_related("produced_by")
        .order_by("produced_at", "id")
    )


def letter_rows(case: Case) -> list[list[str]]:
    return [
        [
            doc.title,
            when(doc.issued_at, case, short=True),
            doc.get_delivery_display() or "",
            person_name(doc.produced_by) if doc.produced_by else "System",
            doc.sha256,
        ]
        for doc in _documents(case, category=Document.Category.LETTER, issued_at__isnull=False)
    ]


def disclosed_rows(case: Case) -> list[list[str]]:
    return [
        [
            doc.title,
            when(doc.produced_at, case, short=True),
            person_name(doc.produced_by) if doc.produced_by else "System",
            doc.sha256,
        ]
        for doc in _documents(case, category=Document.Category.EXPORT, status=Document.Status.READY)
    ]


SECTIONS = (
    RecordSection(
        key="letters",
        title="Letters sent",
        columns=("Letter", "Issued", "Sent by", "Produced by", "SHA-256"),
        rows=letter_rows,
        order=20,
        empty="No letters issued.",
        wide="SHA-256",
    ),
    RecordSection(
        key="disclosed",
        title="Documents disclosed",
        columns=("Document", "Produced", "Produced by", "SHA-256"),
        rows=disclosed_rows,
        order=30,
        empty="No data exports produced.",
        wide="SHA-256",
    ),
)

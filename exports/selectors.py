"""Read queries for documents and letters."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from dsar.models import Case

from .letters import LETTER_KINDS, LetterKind
from .models import Document


def case_documents(case: Case) -> QuerySet[Document]:
    """Newest first, with who made them, what they correct and whether they were corrected
    (one query)."""
    return (
        Document.objects.filter(case=case)
        .select_related("produced_by", "corrects", "email")
        .annotate(correction_count=Count("corrections"))
        .order_by("-produced_at", "-id")
    )


def case_document(case: Case, pk: int) -> Document:
    """DoesNotExist unless the document belongs to this (already visible) case."""
    return Document.objects.select_related("case").get(case=case, pk=pk)


def letter_kinds_for(case: Case) -> tuple[list[LetterKind], list[LetterKind]]:
    """(suggested, others): the kinds that suit the case as it stands come first."""
    suggested, others = [], []
    for kind in LETTER_KINDS.values():
        (suggested if kind.suits(case) else others).append(kind)
    return suggested, others

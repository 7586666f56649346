"""Read queries for documents and letters."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from dsar.models import Case
from exports.models import Document

from . import LETTER_KINDS, LetterKind


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
    """(suggested, others): the kinds that suit the case's right and state, then the rare
    ones still offered (issue 15: an access case is never offered an erasure outcome)."""
    suggested, others = [], []
    for kind in LETTER_KINDS.values():
        if kind.suits(case):
            suggested.append(kind)
        elif kind.offer_anyway(case):  # not letters for another right or another state
            others.append(kind)
    return suggested, others


def attachable_documents(case: Case) -> list:
    """The case's finished documents, for an officer to attach to a message (issue 15)."""
    from dsar.thread.hooks import AttachableDocument

    return [
        AttachableDocument(
            id=doc.pk,
            title=doc.title,
            file_name=doc.file.name,
            content_type=doc.content_type,
            size=doc.size or 0,
            sha256=doc.sha256,
        )
        for doc in Document.objects.filter(case=case, status=Document.Status.READY)
        .exclude(file="")
        .order_by("-produced_at", "-id")
    ]

"""Suggestions for review: other people's contact details in what is to be disclosed.

Email addresses, UK phone numbers and postcodes found in the records of the latest search
and in the bundle's documents that are not the subject's own identifiers (nor the
controller's published contact details) are listed for the officer, who may redact each
everywhere with one click: a term mark on every document holding it, and the fields of
every record holding it withheld. They are suggestions: the officer decides.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from dsar.errors import CaseActionError
from dsar.models import Case

from .. import redaction
from ..identifiers import case_identifiers, normalise
from ..models import BundleDocument, Collection, Redaction, SourceResult, Withholding
from .documents import redaction_add
from .erasure import completed_search
from .review import read_records, withholding_add

User = AbstractBaseUser
MAX_LINES = 50_000  # records read per search: enough for a person, bounded for a bench

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
PHONE = re.compile(r"(?<![\d+])(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){9,10}(?!\d)")
POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b", re.IGNORECASE)
KINDS = (("email", EMAIL), ("phone", PHONE), ("postcode", POSTCODE))


@dataclass
class Suggestion:
    kind: str
    value: str
    records: int = 0
    documents: list[str] = field(default_factory=list)
    unmarked: int = 0  # documents holding it without a mark for it

    @property
    def label(self) -> str:
        return {"email": "Email address", "phone": "Phone number", "postcode": "Postcode"}[
            self.kind
        ]


def _own(case: Case) -> set[tuple[str, str]]:
    """The subject's identifiers and the controller's own addresses, normalised."""
    own = {(i.kind, i.value) for i in case_identifiers(case)}
    controller = case.controller
    for kind, value in (
        ("email", controller.dpo_email),
        ("email", controller.team_email),
        ("phone", controller.dpo_phone),
        ("email", case.requester_email),
        ("phone", getattr(case, "requester_phone", "")),
    ):
        ident = normalise(kind, value or "")
        if ident:
            own.add((ident.kind, ident.value))
    for text in (
        case.subject_address,
        getattr(case, "requester_address", ""),
        controller.postal_address,
    ):
        for match in POSTCODE.finditer(text or ""):
            ident = normalise("postcode", match.group(0))
            if ident:
                own.add((ident.kind, ident.value))
    return own


def find(text: str, own: set[tuple[str, str]]) -> Iterable[tuple[str, str, str]]:
    """(kind, normalised, as written) for each contact detail in the text not in ``own``."""
    for kind, pattern in KINDS:
        for match in pattern.finditer(text):
            written = match.group(0).strip()
            ident = normalise(kind, written)
            if ident and (ident.kind, ident.value) not in own:
                yield kind, ident.value, written


def _document_text(document: BundleDocument) -> str:
    if document.is_image:
        return ""
    with document.original.open("rb") as handle:
        data = handle.read()
    if document.is_pdf:
        try:
            return redaction.pdf_text(data)
        except Exception:
            return ""
    return data.decode("utf-8", errors="replace")


def _records(collection: Collection) -> Iterable[tuple[str, str, int, dict]]:
    read = 0
    for result in collection.results.filter(status=SourceResult.Status.DONE):
        for category, name in (result.files or {}).items():
            for index, line in read_records(name):
                read += 1
                if read > MAX_LINES:
                    return
                yield result.source_name, category, index, json.loads(line)


def suggestions(case: Case) -> list[Suggestion]:
    own = _own(case)
    found: dict[tuple[str, str], Suggestion] = {}
    collection = completed_search(case)
    if collection is not None:
        for _source, _category, _index, record in _records(collection):
            seen: set[tuple[str, str]] = set()
            for value in record.values():
                for kind, norm, written in find(str(value) if value is not None else "", own):
                    seen.add((kind, norm))
                    found.setdefault((kind, norm), Suggestion(kind, written))
            for key in seen:
                found[key].records += 1
    for document in case.bundle_documents.prefetch_related("redactions"):
        terms = {m.term.casefold() for m in document.redactions.all() if m.term}
        for kind, norm, written in find(_document_text(document), own):
            item = found.setdefault((kind, norm), Suggestion(kind, written))
            if document.title not in item.documents:
                item.documents.append(document.title)
                if written.casefold() not in terms:
                    item.unmarked += 1
    return sorted(found.values(), key=lambda s: (s.kind, s.value.casefold()))


@transaction.atomic
def suggestion_redact(
    *, case: Case, term: str, ground: str, reason: str, by: User | None
) -> dict[str, int]:
    """Redact a contact detail everywhere: documents (term marks) and records (fields)."""
    term = (term or "").strip()
    if not term:
        raise CaseActionError("Choose what to redact.", field="term")
    matches = [(kind, norm) for kind, norm, _w in find(term, set())]
    if not matches:
        raise CaseActionError("That is not an email address, phone number or postcode.")
    target = set(matches)
    own = _own(case)
    if target & own:
        raise CaseActionError("That is one of the subject's own identifiers: it is disclosed.")
    marked = 0
    for document in case.bundle_documents.exclude(content_type__in=["image/png", "image/jpeg"]):
        text = _document_text(document)
        written = {w for k, n, w in find(text, set()) if (k, n) in target}
        existing = {m.term.casefold() for m in document.redactions.filter(kind=Redaction.Kind.TERM)}
        for form in sorted(written):
            if form.casefold() not in existing:
                redaction_add(document=document, by=by, ground=ground, reason=reason, term=form)
                marked += 1
    fields = 0
    collection = completed_search(case)
    if collection is not None and collection.status == Collection.Status.COLLECTED:
        for source, category, index, record in list(_records(collection)):
            for name, value in record.items():
                hits = {(k, n) for k, n, _w in find(str(value) if value is not None else "", set())}
                if (
                    hits & target
                    and not Withholding.objects.filter(
                        collection=collection,
                        source_name=source,
                        category=category,
                        record=index,
                        field=name,
                    ).exists()
                ):
                    withholding_add(
                        collection=collection,
                        scope=Withholding.Scope.FIELD,
                        source=source,
                        category=category,
                        record=index,
                        field=name,
                        ground=ground,
                        reason=reason,
                        by=by,
                    )
                    fields += 1
    if not marked and not fields:
        raise CaseActionError("Nothing left to redact: it is already marked everywhere.")
    return {"documents": marked, "fields": fields}

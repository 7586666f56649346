"""Review before release: the records found, page by page, and what is withheld from them.

Records live in JSON Lines files (one per source and category, see ``collection``); a
record is named by its position in its file, counting non-blank lines from 0, the same
order the export writes them in. A page reads only as far into the file as it shows
(the first page of a 100,000-record category reads 25 lines); a search reads the file
once, matching the text of each line without regard to case.

Withholding (``withholding_add``/``withholding_remove``) is allowed until the data is
released; the export then leaves out what is withheld (``Filter``) and its manifest
counts it per exemption (``withheld_counts``), never saying what it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.storage import default_storage
from django.db import transaction

from dsar.errors import CaseActionError
from dsar.formats import plural
from dsar.models import Case
from dsar.services import record_event

from ..models import Collection, Ground, SourceResult, Withholding

User = AbstractBaseUser
PER_PAGE = 25
FOLD_AT = 80  # characters of a value shown before the rest is folded away


@dataclass(frozen=True)
class Tab:
    """One source's records of one category: a table of the review page."""

    source: str
    category: str
    count: int
    withheld: bool  # the whole category is withheld here


@dataclass
class Row:
    index: int
    record: dict[str, Any]
    withheld: Withholding | None = None
    fields_withheld: dict[str, Withholding] = field(default_factory=dict)


@dataclass
class Page:
    tab: Tab
    columns: list[str]
    rows: list[Row]
    number: int
    total: int  # records in the table, or matching the search
    query: str

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))

    @property
    def has_next(self) -> bool:
        return self.number < self.pages

    @property
    def has_previous(self) -> bool:
        return self.number > 1


def tabs(collection: Collection) -> list[Tab]:
    whole = _category_withholdings(collection)
    found = []
    for result in collection.results.filter(status=SourceResult.Status.DONE).order_by(
        "source_name", "id"
    ):
        for category in sorted(result.files or {}):
            found.append(
                Tab(
                    source=result.source_name,
                    category=category,
                    count=int((result.counts or {}).get(category, 0)),
                    withheld=(result.source_name, category) in whole or ("", category) in whole,
                )
            )
    return found


def _category_withholdings(collection: Collection) -> set[tuple[str, str]]:
    return {
        (w.source_name, w.category)
        for w in collection.withholdings.filter(scope=Withholding.Scope.CATEGORY)
    }


def _file_of(collection: Collection, source: str, category: str) -> str:
    result = (
        collection.results.filter(status=SourceResult.Status.DONE, source_name=source)
        .only("files")
        .first()
    )
    name = (result.files or {}).get(category) if result else None
    if not name:
        raise CaseActionError(f"{source} found no {category} data in this search.")
    return name


def read_records(name: str) -> Iterator[tuple[int, bytes]]:
    """(position, raw line) for every record of a stored JSON Lines file."""
    index = 0
    with default_storage.open(name, "rb") as handle:
        for line in handle:
            if line.strip():
                yield index, line.rstrip(b"\r\n")
                index += 1


def page(
    collection: Collection, *, source: str, category: str, number: int = 1, query: str = ""
) -> Page:
    """One page of a table; ``query`` keeps the records whose text contains it."""
    tab = next((t for t in tabs(collection) if (t.source, t.category) == (source, category)), None)
    if tab is None:
        raise CaseActionError(f"{source} found no {category} data in this search.")
    name = _file_of(collection, source, category)
    number = max(1, number)
    start = (number - 1) * PER_PAGE
    needle = query.strip().lower().encode()
    picked: list[tuple[int, bytes]] = []
    total = 0
    for index, line in read_records(name):
        if needle and needle not in line.lower():
            continue
        if start <= total < start + PER_PAGE:
            picked.append((index, line))
        total += 1
        if not needle and total >= start + PER_PAGE:
            total = tab.count  # no search: the count is known, stop reading here
            break
    if not needle:
        total = tab.count
    marks = collection.withholdings.filter(
        category=category, source_name=source, record__in=[i for i, _ in picked]
    )
    by_record: dict[int, Row] = {}
    rows = []
    for index, line in picked:
        row = Row(index=index, record=json.loads(line))
        by_record[index] = row
        rows.append(row)
    for mark in marks:
        row = by_record[mark.record]
        if mark.scope == Withholding.Scope.RECORD:
            row.withheld = mark
        else:
            row.fields_withheld[mark.field] = mark
    columns: dict[str, None] = {}
    for row in rows:
        for key in row.record:
            columns.setdefault(key, None)
    return Page(tab=tab, columns=list(columns), rows=rows, number=number, total=total, query=query)


def _record(collection: Collection, source: str, category: str, index: int) -> dict[str, Any]:
    name = _file_of(collection, source, category)
    for position, line in read_records(name):
        if position == index:
            return json.loads(line)
        if position > index:
            break
    raise CaseActionError(f"There is no record {index + 1} in {source}'s {category} data.")


def _lock(collection: Collection) -> Collection:
    Case.objects.select_for_update().filter(pk=collection.case_id).first()
    locked = Collection.objects.select_for_update().select_related("case").get(pk=collection.pk)
    if locked.status == Collection.Status.RELEASED:
        raise CaseActionError(
            "This search has been released: what is withheld can no longer change. "
            "Search again to review anew."
        )
    if locked.status == Collection.Status.COLLECTING:
        raise CaseActionError("Wait until every source has been searched.")
    return locked


@transaction.atomic
def withholding_add(
    *,
    collection: Collection,
    scope: str,
    category: str,
    ground: str,
    reason: str,
    by: User | None,
    source: str = "",
    record: int | None = None,
    field: str = "",
) -> Withholding:
    """Withhold a record, a field of one, or a category (``source`` blank: every source)."""
    collection = _lock(collection)
    if scope not in Withholding.Scope.values:
        raise CaseActionError("Choose a record, a field or a category.", field="scope")
    if ground not in Ground.values:
        raise CaseActionError("Choose the exemption that applies.", field="ground")
    reason = (reason or "").strip()
    if not reason:
        raise CaseActionError(
            "Say why the exemption applies (for 'another exemption', name its provision).",
            field="reason",
        )
    known = {(t.source, t.category) for t in tabs(collection)}
    if scope == Withholding.Scope.CATEGORY:
        record, field = None, ""
        if not any(c == category and (not source or s == source) for s, c in known):
            raise CaseActionError(f"Nothing was found in {category}.", field="category")
    else:
        if (source, category) not in known:
            raise CaseActionError(f"{source} found no {category} data.", field="category")
        if record is None or record < 0:
            raise CaseActionError("Choose the record.", field="record")
        values = _record(collection, source, category, record)
        if scope == Withholding.Scope.RECORD:
            field = ""
        elif field not in values:
            raise CaseActionError(f"The record has no field “{field}”.", field="field")
    if Withholding.objects.filter(
        collection=collection,
        scope=scope,
        source_name=source,
        category=category,
        record=record,
        field=field,
    ).exists():
        raise CaseActionError("That is already withheld.")
    withholding = Withholding.objects.create(
        case=collection.case,
        collection=collection,
        scope=scope,
        source_name=source,
        category=category,
        record=record,
        field=field,
        ground=ground,
        reason=reason,
        created_by=by,
    )
    record_event(
        collection.case,
        "data_withheld",
        by=by,
        message=f"Withheld: {withholding.describe()}. {withholding.get_ground_display()}. {reason}",
        data={
            "withholding_id": withholding.pk,
            "collection_id": collection.pk,
            "scope": scope,
            "ground": ground,
        },
    )
    return withholding


@transaction.atomic
def withholding_remove(*, withholding: Withholding, by: User | None) -> None:
    """Disclose again what was withheld (before release)."""
    collection = _lock(withholding.collection)
    described = withholding.describe()
    pk = withholding.pk
    withholding.delete()
    record_event(
        collection.case,
        "data_withholding_removed",
        by=by,
        message=f"No longer withheld: {described}.",
        data={"withholding_id": pk, "collection_id": collection.pk},
    )


# --- what the export leaves out ----------------------------------------------------------


class Filter:
    """The withholding decisions of one collection, applied to its records."""

    def __init__(self, collection: Collection) -> None:
        marks = list(collection.withholdings.all())
        self.categories = {
            (w.source_name, w.category) for w in marks if w.scope == Withholding.Scope.CATEGORY
        }
        self.records = {
            (w.source_name, w.category, w.record)
            for w in marks
            if w.scope == Withholding.Scope.RECORD
        }
        self.fields: dict[tuple[str, str, int], set[str]] = {}
        for w in marks:
            if w.scope == Withholding.Scope.FIELD:
                self.fields.setdefault((w.source_name, w.category, w.record), set()).add(w.field)

    def category_withheld(self, source: str, category: str) -> bool:
        return (source, category) in self.categories or ("", category) in self.categories

    def records_withheld(self, source: str, category: str) -> int:
        return sum(1 for s, c, _ in self.records if (s, c) == (source, category))

    def lines(self, source: str, category: str, handle) -> Iterator[bytes]:
        """The lines of one part to disclose: withheld records dropped, fields removed."""
        index = 0
        for line in handle:
            if not line.strip():
                continue
            key = (source, category, index)
            index += 1
            if key in self.records:
                continue
            drop = self.fields.get(key)
            if drop:
                record = json.loads(line)
                for name in drop:
                    record.pop(name, None)
                line = json.dumps(record, ensure_ascii=False).encode() + b"\n"
            yield line


class FilteredOpen:
    """A file-like context manager over a part's lines with the withheld parts left out."""

    def __init__(self, name: str, source: str, category: str, filter_: Filter) -> None:
        self.name, self.source, self.category, self.filter = name, source, category, filter_
        self.handle = None

    def __enter__(self) -> Iterator[bytes]:
        self.handle = default_storage.open(self.name, "rb")
        return self.filter.lines(self.source, self.category, self.handle)

    def __exit__(self, *exc: object) -> None:
        if self.handle is not None:
            self.handle.close()


def withheld_counts(collection: Collection, categories: set[str] | None = None) -> dict:
    """Per exemption: categories, records and fields left out (counts, never content).

    ``categories`` limits the count to those in the export (portability)."""
    counts: dict[str, dict[str, Any]] = {}
    sizes: dict[tuple[str, str], int] = {(t.source, t.category): t.count for t in tabs(collection)}
    for w in collection.withholdings.all():
        if categories is not None and w.category not in categories:
            continue
        entry = counts.setdefault(
            w.ground,
            {"exemption": Ground(w.ground).label, "categories": 0, "records": 0, "fields": 0},
        )
        if w.scope == Withholding.Scope.CATEGORY:
            entry["categories"] += 1
            entry["records"] += sum(
                n for (s, c), n in sizes.items() if c == w.category and w.source_name in ("", s)
            )
        elif w.scope == Withholding.Scope.RECORD:
            entry["records"] += 1
        else:
            entry["fields"] += 1
    return counts


def withheld_text(case: Case) -> str:
    """The access response's "What we have withheld", one line per exemption: what kind
    of thing was withheld and how much, and the officers' reasons; never the content."""
    from ..selectors import redactions_by_ground, released_collection

    collection = released_collection(case)
    reasons: dict[str, list[str]] = {}
    counts: dict[str, dict[str, Any]] = {}
    if collection is not None:
        counts = withheld_counts(collection)
        for w in collection.withholdings.all():
            reasons.setdefault(w.ground, [])
            if w.reason not in reasons[w.ground]:
                reasons[w.ground].append(w.reason)
    redacted = redactions_by_ground(case)
    lines = []
    for ground in Ground:
        parts = []
        entry = counts.get(ground.value)
        if entry:
            for key, one, many in (
                ("categories", "category", "categories"),
                ("records", "record", "records"),
                ("fields", "item of information in other records", "items of information in "
                 "other records"),
            ):  # fmt: skip
                n = entry[key]
                if n:
                    parts.append(f"{n} {one if n == 1 else many}")
        n = redacted.get(ground.value, {}).get("count", 0)
        if n:
            parts.append(f"{plural(n, 'passage')} redacted from documents")
        for reason in redacted.get(ground.value, {}).get("reasons", []):
            if reason not in reasons.setdefault(ground.value, []):
                reasons[ground.value].append(reason)
        if parts:
            why = " ".join(r.rstrip(".") + "." for r in reasons.get(ground.value, []))
            lines.append(f"- {ground.label}: {', '.join(parts)}. {why}".rstrip())
    return "\n".join(lines)

"""The export ZIP: JSON and per-category CSV files and a manifest, written as a stream.

Pure standard library, no Django: it reads records from JSON Lines files (one per source
and category, as collection stored them) and writes each member of the ZIP while reading,
hashing it on the way, so memory stays flat however many rows there are. CSV needs its
columns before its first row, so each category's files are read twice (once for the
column names, once for the rows) rather than held in memory.

Layout::

    data.json                 {"controller", "case_reference", "generated_at",
                               "sources": [{"source", "categories": [{"category",
                               "records": [...]}]}]}
    csv/<category>.csv        one per category: "source" then the fields as the source
                              names them; UTF-8, header row; a cell starting with
                              = + - @ tab or CR gets a leading ' (not run as a formula)
    manifest.json             controller, case reference, generated time, purpose,
                              sources, categories, row counts, SHA-256 and size of
                              every other file
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any

CHUNK = 64 * 1024


@dataclass(frozen=True)
class Part:
    """One source's records of one category: a callable that opens its JSON Lines."""

    source: str
    category: str
    open: Callable[[], IO[bytes]]
    rows: int  # as counted when collected; checked against what is written


class _HashingWriter:
    """Writes bytes (or text, as UTF-8) into a ZIP member, counting and hashing them."""

    def __init__(self, member: IO[bytes]) -> None:
        self.member = member
        self.sha256 = hashlib.sha256()
        self.size = 0
        self._buffer: list[bytes] = []
        self._buffered = 0

    def write(self, data: str | bytes) -> int:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        self._buffer.append(raw)
        self._buffered += len(raw)
        if self._buffered >= CHUNK:
            self.flush()
        return len(data)

    def flush(self) -> None:
        if self._buffer:
            raw = b"".join(self._buffer)
            self._buffer, self._buffered = [], 0
            self.sha256.update(raw)
            self.size += len(raw)
            self.member.write(raw)


def _lines(part: Part) -> Iterator[bytes]:
    with part.open() as handle:
        for line in handle:
            if line.strip():
                yield line.rstrip(b"\r\n")


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "data"


# A spreadsheet reads a cell starting with one of these as a formula (=HYPERLINK(...) can
# send data away when clicked): such cells get a leading ' so they open as plain text.
# data.json keeps every value exactly as held (issue 18).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """The cell as text a spreadsheet will not run: ``=1+1`` becomes ``'=1+1``."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return neutralise(json.dumps(value, ensure_ascii=False))
    return neutralise(str(value))


def _write_member(
    archive: zipfile.ZipFile, name: str, fill: Callable[[_HashingWriter], int]
) -> dict[str, Any]:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as member:
        writer = _HashingWriter(member)
        rows = fill(writer)
        writer.flush()
    return {"name": name, "sha256": writer.sha256.hexdigest(), "size": writer.size, "rows": rows}


def _write_json(
    out: _HashingWriter, meta: dict[str, Any], parts: list[Part], tick: Callable[[], None]
) -> int:
    head = {k: meta[k] for k in ("controller", "case_reference", "generated_at", "purpose")}
    out.write(json.dumps(head, ensure_ascii=False)[:-1] + ', "sources": [')
    rows = 0
    sources: dict[str, list[Part]] = {}
    for part in parts:
        sources.setdefault(part.source, []).append(part)
    for s_index, (source, source_parts) in enumerate(sources.items()):
        out.write(("," if s_index else "") + json.dumps({"source": source})[:-1])
        out.write(', "categories": [')
        for c_index, part in enumerate(source_parts):
            out.write(("," if c_index else "") + json.dumps({"category": part.category})[:-1])
            out.write(', "records": [')
            for r_index, line in enumerate(_lines(part)):
                if r_index:
                    out.write(b",")
                out.write(line)
                rows += 1
                tick()
            out.write("]}")
        out.write("]}")
    out.write("]}\n")
    return rows


def _write_csv(out: _HashingWriter, parts: list[Part], tick: Callable[[], None]) -> int:
    columns: dict[str, None] = {}
    for part in parts:
        for line in _lines(part):
            for key in json.loads(line):
                columns.setdefault(key, None)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["source", *(neutralise(c) for c in columns)])
    rows = 0
    for part in parts:
        source = neutralise(part.source)
        for line in _lines(part):
            record = json.loads(line)
            writer.writerow([source, *(_cell(record.get(c)) for c in columns)])
            rows += 1
            tick()
    return rows


@dataclass(frozen=True)
class Attachment:
    """A file disclosed as it is (a redacted document of the bundle): name in the ZIP."""

    name: str
    title: str
    open: Callable[[], IO[bytes]]


def _copy(out: _HashingWriter, attachment: Attachment) -> int:
    with attachment.open() as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            out.write(chunk)
    return 0


PROGRESS_EVERY = 5_000


def _ticker(total: int, report: Callable[[int, int], None] | None) -> Callable[[], None]:
    done = 0

    def tick() -> None:
        nonlocal done
        done += 1
        if report and done % PROGRESS_EVERY == 0:
            report(done, total)

    return tick


def write_bundle(
    target: IO[bytes],
    *,
    meta: dict[str, Any],
    parts: list[Part],
    attachments: list[Attachment] | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> dict[str, Any]:
    """Write the ZIP to ``target``; returns the manifest (also stored in the ZIP).

    ``meta`` gives controller, case_reference, generated_at (ISO 8601) and purpose (and
    may add keys the manifest repeats, such as the counts withheld). ``attachments`` are
    added under ``documents/`` and listed in the manifest with their SHA-256.
    ``on_progress(done, total)`` hears every PROGRESS_EVERY records written: each record
    is written twice (data.json, then its category's CSV), so ``total`` is twice the rows.
    """
    files: list[dict[str, Any]] = []
    tick = _ticker(2 * sum(part.rows for part in parts), on_progress)
    with zipfile.ZipFile(target, "w", allowZip64=True) as archive:
        files.append(
            _write_member(archive, "data.json", lambda out: _write_json(out, meta, parts, tick))
        )
        by_category: dict[str, list[Part]] = {}
        for part in parts:
            by_category.setdefault(part.category, []).append(part)
        used: set[str] = set()
        for category, category_parts in by_category.items():
            name = slug(category)
            while name in used:
                name += "-1"
            used.add(name)
            entry = _write_member(
                archive,
                f"csv/{name}.csv",
                lambda out, p=category_parts: _write_csv(out, p, tick),
            )
            files.append({**entry, "category": category})
        sources: dict[str, dict[str, int]] = {}
        for part in parts:
            counts = sources.setdefault(part.source, {})
            counts[part.category] = counts.get(part.category, 0) + part.rows
        categories: dict[str, int] = {}
        for counts in sources.values():
            for category, n in counts.items():
                categories[category] = categories.get(category, 0) + n
        written = sum(entry["rows"] for entry in files[1:])
        for attachment in attachments or []:
            entry = _write_member(
                archive, f"documents/{attachment.name}", lambda out, a=attachment: _copy(out, a)
            )
            files.append({**entry, "rows": None, "document": attachment.title})
        if written != files[0]["rows"] or written != sum(categories.values()):
            raise ValueError("The records changed while the export was written.")
        manifest = {
            **meta,
            "format": "dsar-desk export 1",
            "sources": [
                {"name": source, "categories": counts} for source, counts in sources.items()
            ],
            "categories": categories,
            "rows": sum(categories.values()),
            "files": files,
        }
        info = zipfile.ZipInfo("manifest.json", date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return manifest

"""Manual sources: an officer uploads, as CSV or JSON, what they gathered by hand.

Checked on upload, so a bad file is refused with a clear message and nothing is kept:

- CSV: UTF-8 (a byte-order mark is allowed), a header row of unique, non-empty names, at
  least one row, every row as long as the header. Its records go to the category chosen.
- JSON: either a list of objects (for the category chosen), or an object whose keys are
  category names of the data map and whose values are lists of objects.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

MAX_BYTES = 20 * 1024 * 1024
MAX_ERRORS_SHOWN = 3


class UploadRejected(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _text(handle: IO[bytes]) -> io.TextIOWrapper:
    return io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")


def parse_csv(handle: IO[bytes], category: str) -> list[tuple[str, dict[str, Any]]]:
    try:
        rows = list(csv.reader(_text(handle)))
    except UnicodeDecodeError:
        raise UploadRejected("The CSV file is not UTF-8 text: save it as “CSV UTF-8”.") from None
    except csv.Error as exc:
        raise UploadRejected(f"The CSV file could not be read: {exc}.") from None
    rows = [row for row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise UploadRejected("The CSV file is empty.")
    header = [name.strip() for name in rows[0]]
    if any(not name for name in header):
        raise UploadRejected("Every column in the header row needs a name.")
    if len(set(header)) != len(header):
        raise UploadRejected("The header row names a column twice.")
    if len(rows) < 2:
        raise UploadRejected("The CSV file has a header row but no records.")
    bad = [n for n, row in enumerate(rows[1:], start=2) if len(row) != len(header)]
    if bad:
        lines = ", ".join(str(n) for n in bad[:MAX_ERRORS_SHOWN])
        raise UploadRejected(
            f"Line{'s' if len(bad) > 1 else ''} {lines} "
            f"{'do' if len(bad) > 1 else 'does'} not have {len(header)} columns like the header."
        )
    return [(category, dict(zip(header, row, strict=True))) for row in rows[1:]]


def _records(value: Any, where: str) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        raise UploadRejected(f"{where} must be a non-empty list of records.")
    if not all(isinstance(item, dict) and item for item in value):
        raise UploadRejected(f"Every record in {where} must be an object with fields.")
    return value


def parse_json(
    handle: IO[bytes], category: str | None, categories: Iterable[str]
) -> list[tuple[str, dict[str, Any]]]:
    try:
        data = json.load(_text(handle))
    except UnicodeDecodeError:
        raise UploadRejected("The JSON file is not UTF-8 text.") from None
    except json.JSONDecodeError as exc:
        raise UploadRejected(
            f"The JSON file is not valid: {exc.msg} (line {exc.lineno})."
        ) from None
    if isinstance(data, list):
        if not category:
            raise UploadRejected("Choose the category these records belong to.")
        return [(category, record) for record in _records(data, "The file")]
    if isinstance(data, dict):
        known = set(categories)
        unknown = sorted(set(data) - known)
        if unknown:
            raise UploadRejected(
                f"Not categories in the data map: {', '.join(unknown)}. "
                f"Use: {', '.join(sorted(known))}."
            )
        if not data:
            raise UploadRejected("The JSON file has no categories.")
        return [
            (name, record)
            for name, records in data.items()
            for record in _records(records, f"“{name}”")
        ]
    raise UploadRejected("The JSON file must hold a list of records or categories of them.")


def parse_upload(
    handle: IO[bytes], *, filename: str, size: int, category: str | None, categories: list[str]
) -> Iterator[tuple[str, dict[str, Any]]]:
    """Validated (category, record) pairs; UploadRejected says what is wrong."""
    if size > MAX_BYTES:
        raise UploadRejected(f"The file is too big: up to {MAX_BYTES // (1024 * 1024)} MB.")
    if category and category not in categories:
        raise UploadRejected("Choose a category of this controller's data map.")
    name = filename.lower()
    if name.endswith(".csv"):
        if not category:
            raise UploadRejected("Choose the category these records belong to.")
        return iter(parse_csv(handle, category))
    if name.endswith(".json"):
        return iter(parse_json(handle, category, categories))
    raise UploadRejected("Upload a .csv or a .json file.")

"""A case's whole record for a regulator: one PDF (WeasyPrint, as the letters).

The summary, the deadline and how it was worked out, every event of the timeline (who,
what, when), the pauses, and what the satellite apps add through ``register_record_section``
(identity: the verification steps, never the evidence; exports: the letters sent and the
documents disclosed, each with its SHA-256), so the core imports neither.

Each download is a case event (``record_downloaded``, with the PDF's SHA-256) and a read
in the access log, written in one transaction before the file is handed over.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .. import services
from ..formats import full_date, local_time, long_date, person_name
from ..models import Case
from ..rows import timeline_rows
from .access import record_access
from .models import AccessKind


@dataclass(frozen=True)
class RecordSection:
    """A titled table: ``rows(case)`` gives one list of cells per line, under ``columns``.

    ``wide`` names a column printed on its own line under the others (a SHA-256 must not
    be wrapped, so a reader can copy it whole).
    """

    key: str
    title: str
    columns: tuple[str, ...]
    rows: Callable[[Case], list[list[str]]]
    order: int = 100
    empty: str = "None."
    wide: str = ""


_sections: dict[str, RecordSection] = {}


def register_record_section(section: RecordSection) -> RecordSection:
    _sections[section.key] = section
    return section


def when(value: Any, case: Case, short: bool = False) -> str:
    """A moment as the controller's clock showed it: "Monday 9 March 2026, 11:00"."""
    if value is None:
        return ""
    local = local_time(value, case.controller.time_zone)
    day = f"{local.day} {local:%b %Y}" if short else full_date(local.date())
    return f"{day}, {local:%H:%M}"


def record_context(case: Case, by: Any) -> dict[str, Any]:
    deadline = services.compute_case_deadline(case)
    today = case.controller.today()
    sections = []
    for section in sorted(_sections.values(), key=lambda s: s.order):
        rows = section.rows(case)
        wide_at = section.columns.index(section.wide) if section.wide else None
        sections.append(
            {
                "title": section.title,
                "columns": [c for i, c in enumerate(section.columns) if i != wide_at],
                "wide_label": section.wide,
                "rows": [
                    {
                        "cells": [v for i, v in enumerate(row) if i != wide_at],
                        "wide": row[wide_at] if wide_at is not None else "",
                    }
                    for row in rows
                ],
                "empty": section.empty,
                "span": len(section.columns) - (1 if wide_at is not None else 0),
            }
        )
    return {
        "case": case,
        "controller": case.controller,
        "deadline": deadline,
        "pauses": [
            {
                "started_on": long_date(p.started_on),
                "ended_on": long_date(p.ended_on) if p.ended_on else "still paused",
                "days": ((p.ended_on or today) - p.started_on).days + 1,
                "reason": p.reason,
            }
            for p in case.pauses.all()
        ],
        "events": timeline_rows(case.events.all(), case.controller.time_zone),
        "sections": sections,
        "generated_at": when(timezone.now(), case),
        "generated_by": person_name(by),
        "closed_on": when(case.closed_at, case) if case.closed_at else "",
    }


def _pdf(html: str) -> bytes:
    """WeasyPrint with a fetcher that refuses everything: nothing typed into a case can
    make it load a file or an address."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class NoFetching(URLFetcher):
        def fetch(self, url: str, headers=None):
            raise ValueError("The record loads nothing from outside.")

    return HTML(string=html, url_fetcher=NoFetching(), media_type="print").write_pdf(
        pdf_variant="pdf/ua-1"
    )


def record_pdf(case: Case, by: Any) -> bytes:
    return _pdf(render_to_string("reports/record.html", record_context(case, by)))


@transaction.atomic
def record_download(*, case: Case, by: Any) -> tuple[bytes, str]:
    """The PDF and its SHA-256; the download is an event on the case and an access read."""
    pdf = record_pdf(case, by)
    digest = hashlib.sha256(pdf).hexdigest()
    services.record_event(
        case,
        "record_downloaded",
        by=by,
        message="The case's record for a regulator was downloaded (PDF).",
        data={"sha256": digest, "bytes": len(pdf)},
    )
    record_access(user=by, kind=AccessKind.RECORD, case=case, what="Record for a regulator (PDF)")
    return pdf, digest

"""Rows the satellite apps keep per case, added to the generated cases (generate.EXTENSIONS).

Identity verification steps (identity.VerificationStep), as the identity services leave
them: the emailed link confirmed for web requests, an identity document asked for and
awaited on cases waiting for it, and passed on about a third of the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from dsar.choices import Channel, Status

from .bulk import Table, copy_rows
from .generate import EXTENSIONS

try:
    from identity.choices import Method, StepStatus
    from identity.models import VerificationStep
except ImportError:  # the identity app is not installed here
    VerificationStep = None


def _steps(chunk: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for case in chunk:
        status = case["status"]
        if status == Status.UNCONFIRMED:
            continue
        created, officer = case["created_at"], case["assignee_id"]
        if case["channel"] == Channel.WEB:
            yield {
                "case_id": case["id"], "method": Method.EMAIL_OWNERSHIP,
                "status": StepStatus.PASSED, "requested_at": created,
                "reviewed_at": case["confirmed_at"],
                "decision_note": "Confirmed by the emailed link.",
            }  # fmt: skip
        if status == Status.AWAITING_IDENTITY:
            yield {
                "case_id": case["id"], "method": Method.IDENTITY_DOCUMENT,
                "status": StepStatus.PENDING, "requested_at": created + dt.timedelta(hours=3),
                "requested_by_id": officer,
                "request_note": "A copy of your passport or driving licence, please.",
            }  # fmt: skip
        elif case["id"] % 3 == 0:
            received = case["received_on"] + dt.timedelta(days=2)
            yield {
                "case_id": case["id"], "method": Method.IDENTITY_DOCUMENT,
                "status": StepStatus.PASSED, "requested_at": created + dt.timedelta(hours=3),
                "requested_by_id": officer, "evidence_received_on": received,
                "reviewed_at": dt.datetime.combine(received, dt.time(14), dt.UTC),
                "reviewed_by_id": officer, "decision_note": "Driving licence matches.",
            }  # fmt: skip


def verification_steps(chunk: list[dict[str, Any]]) -> None:
    copy_rows(Table(VerificationStep), _steps(chunk))


if VerificationStep is not None and verification_steps not in EXTENSIONS:
    EXTENSIONS.append(verification_steps)

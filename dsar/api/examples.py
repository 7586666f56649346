"""Values shared by the OpenAPI examples (``@extend_schema_serializer`` on each serializer),
so every endpoint tells the same story: one access request at one controller, handled by
one officer, in 2026.

Everything here is invented: email addresses on example.com and example.net, phone
numbers from Ofcom's drama range (07700 900xxx), no real person or organisation.
tests/dsar/api/test_examples.py checks every operation has examples and each matches its
schema.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample

REFERENCE = "DSAR-2026-000123"
CONTROLLER = "kynex"
CONTROLLER_NAME = "Kynex Home Supplies"
OFFICER = "sam.officer"
SITE = "https://dsar.example.com"
API = f"{SITE}/api/v1"
CASE_URL = f"{API}/cases/{REFERENCE}/"

REQUESTER_NAME = "Alex Sample"
REQUESTER_EMAIL = "alex.sample@example.net"
REQUESTER_PHONE = "07700 900123"
REQUESTER_ADDRESS = "1 Example Street\nSampletown\nAB1 2CD"
CUSTOMER_NUMBER = "KX-448812"
DPO_EMAIL = "dpo@example.com"
TEAM_EMAIL = "privacy@example.com"

# The case: received on Monday 2 March 2026 by email, paused 5-9 March to ask which
# account was meant, so due (one calendar month, plus 5 paused days) on 7 April 2026.
RECEIVED_ON = "2026-03-02"
RECEIVED_AT = "2026-03-02T09:14:05Z"
PAUSED_ON = "2026-03-05"
RESUMED_ON = "2026-03-09"
DUE_DATE = "2026-04-07"
EXTENDED_DUE_DATE = "2026-06-08"
TODAY = "2026-03-20"
NOW = "2026-03-20T10:30:00Z"
LATER = "2026-03-20T10:30:42Z"
LINK_EXPIRES_AT = "2026-04-03T10:30:00Z"
SHA256 = "9f2c4e6b0d1a3c5e7f9b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a1c3e5b7d9f2a4c"

DESCRIPTION = "A copy of everything you hold about me, including call recordings."
# What the requester told us, as the public intake and officers send it.
REQUEST = {
    "right": "access",
    "requester_name": REQUESTER_NAME,
    "requester_email": REQUESTER_EMAIL,
    "relationship": "self",
    "subject_identifiers": [{"kind": "customer_number", "value": CUSTOMER_NUMBER}],
    "description": DESCRIPTION,
    "preferred_reply": "email",
}
INTAKE = {"controller": CONTROLLER, **REQUEST, "declaration": True}
INTAKE_RESULT = {
    "reference": REFERENCE,
    "status": "unconfirmed",
    "message": f"Thank you. Your reference is {REFERENCE}. We have emailed a link to "
    f"{REQUESTER_EMAIL}: follow it within 7 days to confirm the request. We cannot act on it "
    "until you do.",
}
# The optional proof-of-work check (INTAKE_PROOF_OF_WORK_BITS): a challenge as
# GET requests/challenge/ returns it, and the intake body carrying its solution.
POW_CHALLENGE = (
    "eyJuIjoiUzNiSzdRdzJ2aDRKcFh5bUUwZGZCZyIsImIiOjE4LCJ0IjoxNzc0MDAyNjAwfQ"
    ":1w9Zk2:Qm8cTzXbL1rV4yNf0aHk2uJ6sPdE3gWq7iRtYo5lC9M"
)
POW_CHALLENGE_RESULT = {"challenge": POW_CHALLENGE, "bits": 18}
INTAKE_WITH_POW = {**INTAKE, "proof_of_work": {"challenge": POW_CHALLENGE, "solution": "196342"}}
CASE_CREATE = {
    "controller": CONTROLLER,
    "channel": "email",
    "received_on": RECEIVED_ON,
    **REQUEST,
    "requester_phone": REQUESTER_PHONE,
}
CASE_EVENT = {
    "at": RECEIVED_AT,
    "actor_kind": "officer",
    "actor": OFFICER,
    "kind": "created",
    "from_status": "",
    "to_status": "in_progress",
    "message": "Received by email on 2 March 2026.",
    "data": {"channel": "email", "right": "access", "received_on": RECEIVED_ON},
}

PAUSE = {
    "started_on": PAUSED_ON,
    "ended_on": RESUMED_ON,
    "reason": "Asked which account is meant: the online shop or the loyalty card.",
    "sent_by": "email",
    "answer": "The loyalty card.",
    "days": 5,
}

CASE_LIST = {
    "reference": REFERENCE,
    "url": CASE_URL,
    "controller": CONTROLLER,
    "right": "access",
    "channel": "email",
    "status": "in_progress",
    "received_on": RECEIVED_ON,
    "due_date": DUE_DATE,
    "original_due_date": DUE_DATE,
    "extended": False,
    "assignee": OFFICER,
    "requester_name": REQUESTER_NAME,
    "requester_email": REQUESTER_EMAIL,
    "subject_name": "",
    "organisation_name": "",
    "days_left": 18,
    "is_overdue": False,
    "version": 4,
    "created_at": RECEIVED_AT,
}

CASE_DETAIL = {
    **CASE_LIST,
    "identity_received_on": None,
    "fee_requested_on": None,
    "fee_received_on": None,
    "extension_reason": "",
    "pauses": [PAUSE],
    "requester_phone": REQUESTER_PHONE,
    "requester_address": REQUESTER_ADDRESS,
    "relationship": "self",
    "subject_email": "",
    "subject_address": "",
    "subject_identifiers": [{"kind": "customer_number", "value": CUSTOMER_NUMBER}],
    "description": DESCRIPTION,
    "rectification_inaccurate": "",
    "rectification_correction": "",
    "objection_processing": "",
    "objection_direct_marketing": False,
    "portability_destination": "",
    "portability_recipient": "",
    "preferred_reply": "email",
    "declaration_at": None,
    "outcome": "",
    "refusal_ground": "",
    "outcome_reasons": "",
    "confirmed_at": RECEIVED_AT,
    "closed_at": None,
    "actions": ["assign", "pause", "extend", "submit-for-review", "refuse", "withdraw"],
}


def action_example(name: str, value: dict) -> OpenApiExample:
    """A request body for ``POST cases/{reference}/<action>/``; ``version`` as last read."""
    return OpenApiExample(name, value={**value, "version": CASE_LIST["version"]}, request_only=True)


DEADLINE_PREVIEW = {
    "due_date": DUE_DATE,
    "original_due_date": DUE_DATE,
    "extended_due_date": EXTENDED_DUE_DATE,
    "start_date": RECEIVED_ON,
    "paused_days": 5,
    "explanation": [
        "Request received Monday 2 March 2026; bank holidays of England and Wales.",
        "Start: Monday 2 March 2026, the day the request was received; the day of receipt "
        "counts as day one.",
        "Time limit: one calendar month from the start, Thursday 2 April 2026.",
        "If extended by 2 months: 3 months from the start, Tuesday 2 June 2026.",
        "Paused Thu 5 Mar 2026 to Mon 9 Mar 2026, both included: 5 days.",
        "5 paused days added: limit Tuesday 7 April 2026; if extended, Sunday 7 June 2026.",
        "The limit, Tuesday 7 April 2026, is a working day.",
        "The extended limit, Sunday 7 June 2026, falls on a weekend, so it moves to the next "
        "working day, Monday 8 June 2026.",
        "Due by the end of Tuesday 7 April 2026 (if extended: Monday 8 June 2026).",
    ],
    "input": {
        "received": RECEIVED_ON,
        "rule": "calendar_month",
        "days": 28,
        "extension_months": 2,
        "region": "england",
        "extended": False,
        "identity_received": None,
        "fee_received": None,
        "controller": CONTROLLER,
    },
}

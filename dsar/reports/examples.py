"""OpenAPI examples for the reports API, in the story of dsar.api.examples: Kynex Home
Supplies' first quarter of 2026 (?range=last_quarter), asked on 15 April 2026."""

from __future__ import annotations

from dsar.api import examples as ex


def _count(key: str, value: str, label: str, count: int) -> dict[str, object]:
    return {key: value, "label": label, "count": count}


SUMMARY = {
    "controllers": [ex.CONTROLLER],
    "from": "2026-01-01",
    "to": "2026-03-31",
    "today": "2026-04-15",
    "received": {
        "total": 42,
        "by_month": [
            {"month": "2026-01", "label": "Jan 2026", "count": 12},
            {"month": "2026-02", "label": "Feb 2026", "count": 14},
            {"month": "2026-03", "label": "Mar 2026", "count": 16},
        ],
        "by_right": [
            _count("right", "access", "Access", 30),
            _count("right", "erasure", "Erasure", 8),
            _count("right", "objection", "Objection", 4),
        ],
        "by_channel": [
            _count("channel", "web", "Web form", 28),
            _count("channel", "email", "Email", 11),
            _count("channel", "post", "Post", 3),
        ],
    },
    "timeliness": {
        "closed": 36,
        "on_time": 33,
        "late": 3,
        "on_time_rate": 0.9167,
        "median_days": 21.0,
        "p90_days": 33.5,
        "by_right": [
            {
                "right": "access",
                "label": "Access",
                "closed": 26,
                "on_time": 23,
                "late": 3,
                "on_time_rate": 0.8846,
                "median_days": 26.0,
                "p90_days": 38.5,
            },
            {
                "right": "erasure",
                "label": "Erasure",
                "closed": 7,
                "on_time": 7,
                "late": 0,
                "on_time_rate": 1.0,
                "median_days": 12.0,
                "p90_days": 18.4,
            },
            {
                "right": "objection",
                "label": "Objection",
                "closed": 3,
                "on_time": 3,
                "late": 0,
                "on_time_rate": 1.0,
                "median_days": 2.0,
                "p90_days": 3.6,
            },
        ],
    },
    "open_now": {
        "total": 9,
        "by_status": [
            _count("status", "unconfirmed", "Email not yet confirmed", 1),
            _count("status", "awaiting_identity", "Awaiting identity evidence", 1),
            _count("status", "in_progress", "In progress", 5),
            _count("status", "awaiting_requester", "Paused: awaiting requester", 1),
            _count("status", "ready_for_review", "Ready for review", 1),
        ],
        "by_due": [
            _count("bucket", "overdue", "Overdue", 1),
            _count("bucket", "week", "Due within 7 days", 2),
            _count("bucket", "later", "Due later", 3),
            _count("bucket", "waiting", "Clock stopped (paused)", 1),
            _count("bucket", "not_started", "Clock not started", 2),
        ],
    },
    "extensions": {
        "count": 4,
        "rate": 0.0952,
        "by_reason": [
            {"reason": "complex", "label": "Complex", "count": 3, "share": 0.75},
            {"reason": "other", "label": "Other reason", "count": 1, "share": 0.25},
        ],
    },
    "pauses": {"count": 5, "cases": 4, "total_days": 23},
    "refusals": {
        "count": 2,
        "by_ground": [
            _count("ground", "manifestly_excessive", "Manifestly excessive", 1),
            _count("ground", "identity_not_verified", "Identity not verified", 1),
        ],
    },
    "withdrawals": 1,
    "closed_unverified": 1,
    "workload": [
        {
            "officer": ex.OFFICER,
            "officer_id": 7,
            "name": "Sam Officer",
            "open": 6,
            "closed": 30,
            "late": 2,
        },
        {
            "officer": None,
            "officer_id": None,
            "name": "Unassigned",
            "open": 3,
            "closed": 6,
            "late": 1,
        },
    ],
}

_ROW = {
    "reference": ex.REFERENCE,
    "controller": ex.CONTROLLER,
    "right": "access",
    "channel": "email",
    "status": "closed",
    "received_on": ex.RECEIVED_ON,
    "clock_started_on": ex.RECEIVED_ON,
    "original_due_date": ex.DUE_DATE,
    "due_date": ex.DUE_DATE,
    "extended": False,
    "extension_reason": "",
    "paused_days": 5,
    "outcome": "fulfilled",
    "refusal_ground": "",
    "closed_on": "2026-03-30",
    "on_time": True,
    "purged": False,
}
REGISTER = {
    "controllers": [ex.CONTROLLER],
    "from": "2026-01-01",
    "to": "2026-03-31",
    "personal": False,
    "columns": list(_ROW),
    "cases": [
        _ROW,
        {
            **_ROW,
            "reference": "DSAR-2026-000131",
            "right": "erasure",
            "channel": "web",
            "status": "in_progress",
            "received_on": "2026-03-16",
            "clock_started_on": "2026-03-18",
            "original_due_date": "2026-04-20",
            "due_date": "2026-06-18",
            "extended": True,
            "extension_reason": "complex",
            "paused_days": 0,
            "outcome": "",
            "closed_on": None,
            "on_time": None,
        },
    ],
}

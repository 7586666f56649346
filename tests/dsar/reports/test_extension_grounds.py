"""The reports count an extension by the ground the officer chose (Art 12(3): complexity
or number); an extension recorded without one is read from its reason's words."""

from __future__ import annotations

import datetime as dt

import pytest

from dsar.reports.periods import custom_period
from dsar.reports.selectors import summary
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def test_the_chosen_ground_counts_over_the_words_and_words_fill_in_without_one(controller):
    received = dt.date(2026, 3, 2)
    # Words that say "complex", but the officer chose "numerous": numerous counts.
    CaseFactory(
        controller=controller,
        received_on=received,
        extended=True,
        extension_reason="Complex, in a way.",
        extension_ground="numerous",
    )
    CaseFactory(
        controller=controller,
        received_on=received,
        extended=True,
        extension_reason="Many systems.",
        extension_ground="both",
    )
    # Recorded before the ground was asked: its words decide.
    CaseFactory(
        controller=controller,
        received_on=received,
        extended=True,
        extension_reason="A complex request.",
    )
    CaseFactory(controller=controller, received_on=received)  # not extended

    figures = summary(
        controllers=[controller],
        period=custom_period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)),
        today=dt.date(2026, 4, 1),
    )

    reasons = {row["reason"]: row["count"] for row in figures["extensions"]["by_reason"]}
    assert reasons == {"numerous": 1, "both": 1, "complex": 1}
    assert figures["extensions"]["count"] == 3

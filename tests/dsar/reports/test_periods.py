"""The named ranges and the percentiles: pure functions, no database."""

from __future__ import annotations

import datetime as dt

import pytest

from dsar.reports.periods import PeriodError, custom_period, period_for
from dsar.reports.selectors import percentile

D = dt.date


@pytest.mark.parametrize(
    ("key", "today", "start", "end"),
    [
        ("this_month", D(2026, 4, 15), D(2026, 4, 1), D(2026, 4, 15)),
        ("last_quarter", D(2026, 4, 15), D(2026, 1, 1), D(2026, 3, 31)),
        ("last_quarter", D(2026, 2, 1), D(2025, 10, 1), D(2025, 12, 31)),
        ("last_quarter", D(2026, 12, 31), D(2026, 7, 1), D(2026, 9, 30)),
        ("last_12_months", D(2026, 4, 15), D(2025, 5, 1), D(2026, 4, 15)),
        ("last_12_months", D(2026, 1, 1), D(2025, 2, 1), D(2026, 1, 1)),
    ],
)
def test_named_ranges(key, today, start, end):
    period = period_for(key, today)

    assert (period.start, period.end) == (start, end)


def test_last_12_months_draws_twelve_monthly_bars():
    assert len(period_for("last_12_months", D(2026, 4, 15)).months()) == 12


def test_a_custom_range_clips_its_months_to_its_days():
    period = custom_period(D(2026, 1, 20), D(2026, 3, 10))

    assert period.clip(D(2026, 1, 1)) == (D(2026, 1, 20), D(2026, 1, 31))
    assert period.clip(D(2026, 2, 1)) == (D(2026, 2, 1), D(2026, 2, 28))
    assert period.clip(D(2026, 3, 1)) == (D(2026, 3, 1), D(2026, 3, 10))


def test_a_backwards_custom_range_is_refused():
    with pytest.raises(PeriodError, match="on or after the first"):
        custom_period(D(2026, 3, 2), D(2026, 3, 1))


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([], 0.5, None),
        ([7], 0.5, 7),
        ([7], 0.9, 7),
        ([1, 2], 0.5, 1.5),
        ([3, 15, 22, 28, 39, 46, 56], 0.5, 28),
        ([3, 15, 22, 28, 39, 46, 56], 0.9, 50),
        ([10, 10, 10, 20], 0.5, 10),
        ([10, 10, 10, 20], 0.9, 17),
        (list(range(1, 101)), 0.9, 90.1),
    ],
)
def test_percentiles_interpolate_like_postgresqls_percentile_cont(values, q, expected):
    histogram: dict[int, int] = {}
    for value in values:
        histogram[value] = histogram.get(value, 0) + 1

    assert percentile(histogram, q) == expected

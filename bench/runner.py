"""Timing, query counting and the printed table.

A benchmark is a function ``run(ctx) -> list[Row]``. It times the product and its floor
alternately (product, floor, product, floor...) after a warm-up, so both see the same
machine state, and reports the median with the min and max. The ratio is product over
floor for times, floor over product for rates: how many times slower than the floor.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .generate import Dataset


@dataclass(frozen=True)
class Plan:
    """How hard to measure: repetitions per benchmark and the intake load."""

    repeat: int = 30
    warmup: int = 5
    heavy_repeat: int = 3  # for benchmarks that take seconds a run (a sweep sending 1,000)
    export_rows: int = 1_000_000  # the subject's rows in the export benchmark
    intake_requests: int = 1000  # per round, to each endpoint
    intake_rounds: int = 3
    intake_concurrency: int = 4  # twice the Procfile's default of two workers
    run_server: bool = True  # False: the intake benchmark is skipped with a note
    redis: bool = True  # the server's cache and broker on Redis db 8 when it answers

    @classmethod
    def quick(cls) -> Plan:
        return cls(
            repeat=10,
            warmup=3,
            heavy_repeat=2,
            export_rows=100_000,
            intake_requests=300,
            intake_rounds=2,
        )

    @classmethod
    def smoke(cls) -> Plan:
        """For the smoke test: every code path once, no statistics worth reading.

        One client at a time: on SQLite, concurrent intake requests can fail with
        "database is locked", which is not what this checks. No Redis: the test suite must
        not touch the Redis database a benchmark run may be using.
        """
        return cls(
            repeat=1,
            warmup=0,
            heavy_repeat=1,
            export_rows=300,
            intake_requests=20,
            intake_rounds=1,
            intake_concurrency=1,
            redis=False,
        )


@dataclass(frozen=True)
class Context:
    dataset: Dataset
    plan: Plan


@dataclass(frozen=True)
class Target:
    """What the issue asks of one benchmark; a row meets it or the gap is explained."""

    max_ms: float | None = None
    max_ratio: float | None = None
    min_rate: float | None = None
    max_peak_mb: float | None = None

    def describe(self) -> str:
        parts = []
        if self.max_ms is not None:
            parts.append(f"<{self.max_ms:g} ms")
        if self.min_rate is not None:
            parts.append(f">={self.min_rate:g}/s")
        if self.max_ratio is not None:
            parts.append(f"<={self.max_ratio:g}x")
        if self.max_peak_mb is not None:
            parts.append(f"<{self.max_peak_mb:g} MB")
        return ", ".join(parts)


@dataclass
class Row:
    name: str
    cases: int
    unit: str = "ms"  # "ms": lower is better; "req/s": higher is better
    samples: list[float] = field(default_factory=list)
    floor: str = ""
    floor_samples: list[float] = field(default_factory=list)
    queries: int | None = None
    floor_queries: int | None = None
    target: Target | None = None
    peak_mb: float | None = None
    note: str = ""

    @classmethod
    def pending(cls, name: str, cases: int, note: str) -> Row:
        return cls(name=name, cases=cases, note=note)

    @property
    def median(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def floor_median(self) -> float | None:
        return statistics.median(self.floor_samples) if self.floor_samples else None

    @property
    def ratio(self) -> float | None:
        product, floor = self.median, self.floor_median
        if not product or not floor:
            return None
        return product / floor if self.unit == "ms" else floor / product

    @property
    def verdict(self) -> str:
        """ "ok", "MISS", or "" when there is no target or nothing was measured."""
        if self.target is None or self.median is None:
            return ""
        t, ratio = self.target, self.ratio
        misses = [
            t.max_ms is not None and self.median >= t.max_ms,
            t.min_rate is not None and self.median < t.min_rate,
            t.max_ratio is not None and (ratio is None or ratio > t.max_ratio),
            t.max_peak_mb is not None and (self.peak_mb is None or self.peak_mb >= t.max_peak_mb),
        ]
        return "MISS" if any(misses) else "ok"


def time_pair(
    product: Callable[[], Any], floor: Callable[[], Any], *, repeat: int, warmup: int
) -> tuple[list[float], list[float]]:
    """Milliseconds per call of each, measured alternately after ``warmup`` calls of each."""
    for _ in range(warmup):
        product()
        floor()
    gc.collect()
    product_ms: list[float] = []
    floor_ms: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        product()
        product_ms.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        floor()
        floor_ms.append((time.perf_counter() - start) * 1000)
    return product_ms, floor_ms


def count_queries(fn: Callable[[], Any]) -> int:
    """Database queries run by one call of ``fn`` on the default connection."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


# --- the table -----------------------------------------------------------------------


def _num(value: float | None, unit: str = "") -> str:
    if value is None:
        return ""
    if unit == "req/s" or value >= 100:
        text = f"{value:,.0f}"
    elif value >= 10:
        text = f"{value:.1f}"
    else:
        text = f"{value:.2f}"
    return f"{text} {unit}".strip()


def _queries(row: Row) -> str:
    if row.queries is None:
        return ""
    floor = "" if row.floor_queries is None else f" / {row.floor_queries}"
    return f"{row.queries}{floor}"


COLUMNS = (
    "Benchmark",
    "Cases",
    "Median",
    "Min",
    "Max",
    "Floor",
    "Floor median",
    "Ratio",
    "Queries (product / floor)",
    "Target",
    "Met",
)


def table(rows: Iterable[Row]) -> str:
    """A Markdown table: readable in a terminal and pasteable into the README."""
    lines = []
    for row in rows:
        lo, hi = (min(row.samples), max(row.samples)) if row.samples else (None, None)
        ratio = row.ratio
        lines.append(
            (
                row.name,
                f"{row.cases:,}",
                _num(row.median, row.unit) if row.samples else row.note,
                _num(lo),
                _num(hi),
                row.floor,
                _num(row.floor_median, row.unit),
                "" if ratio is None else f"{ratio:.1f}x",
                _queries(row),
                row.target.describe() if row.target else "",
                row.verdict,
            )
        )
    widths = [max(len(c), *(len(line[i]) for line in lines)) for i, c in enumerate(COLUMNS)]
    right = {1, 2, 3, 4, 6, 7}

    def fmt(cells: tuple[str, ...]) -> str:
        return (
            "| "
            + " | ".join(
                c.rjust(w) if i in right else c.ljust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            )
            + " |"
        )

    rule = "|" + "|".join(
        ("-" * (w + 1) + ":") if i in right else ("-" * (w + 2)) for i, w in enumerate(widths)
    )
    return "\n".join([fmt(COLUMNS), rule + "|", *(fmt(line) for line in lines)])


def notes(rows: Iterable[Row]) -> list[str]:
    """Footnotes: row notes, and whether each query count stayed the same at every size."""
    rows = list(rows)
    out = [f"{row.name} ({row.cases:,}): {row.note}" for row in rows if row.samples and row.note]
    counts: dict[str, set[int]] = {}
    sizes: dict[str, set[int]] = {}
    for row in rows:
        if row.queries is not None:
            counts.setdefault(row.name, set()).add(row.queries)
            sizes.setdefault(row.name, set()).add(row.cases)
    for name, found in counts.items():
        if len(sizes[name]) > 1:
            same = "the same" if len(found) == 1 else "NOT the same"
            out.append(f"{name}: query count {same} at every size ({sorted(found)}).")
    out += _growth(rows)
    return out


def _growth(rows: list[Row]) -> list[str]:
    """How each median grew from the smallest size to the largest: flat is the goal."""
    by_name: dict[str, list[Row]] = {}
    for row in rows:
        if row.median is not None:
            by_name.setdefault(row.name, []).append(row)
    out = []
    for name, measured in by_name.items():
        if len({r.cases for r in measured}) > 1:
            small = min(measured, key=lambda r: r.cases)
            large = max(measured, key=lambda r: r.cases)
            factor = large.median / small.median if small.median else float("nan")
            out.append(
                f"{name}: {factor:.2f}x the median at {large.cases:,} cases "
                f"as at {small.cases:,} ({large.cases / small.cases:.0f}x the cases)."
            )
    return out

"""Every benchmark, in the order the table lists them; ``--only`` picks by key."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .runner import Context, Row


@dataclass(frozen=True)
class Benchmark:
    key: str
    run: Callable[[Context], list[Row]]


def all_benchmarks() -> list[Benchmark]:
    from . import cases, disclosure, exports, intake, letters, reminders, reports

    return [
        Benchmark("queue", cases.queue_page),
        Benchmark("counts", cases.queue_with_counts),
        Benchmark("search", cases.queue_search),
        Benchmark("api", cases.case_list_api),
        Benchmark("detail", cases.case_page),
        Benchmark("reminders", reminders.reminder_sweep),
        Benchmark("reports", reports.reports_summary),
        Benchmark("export", exports.subject_export),
        Benchmark("letter", letters.access_letter),
        Benchmark("redaction", disclosure.redact_hundred_pages),
        Benchmark("review", disclosure.review_first_page),
        # Last: it writes cases through the public endpoint (and removes them afterwards).
        Benchmark("intake", intake.public_intake),
    ]


def select(only: str | None) -> list[Benchmark]:
    benchmarks = all_benchmarks()
    if not only:
        return benchmarks
    wanted = [w.strip() for w in only.split(",") if w.strip()]
    return [b for b in benchmarks if any(w in b.key for w in wanted)]

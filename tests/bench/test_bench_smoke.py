"""The benchmarks' code paths on tiny data, so they cannot rot. Nothing here is timed.

Runs the generator (COPY on PostgreSQL, bulk_create on SQLite) and every benchmark of
``python -m bench`` once, the intake one against a real gunicorn on loopback. The data
is committed (transactional test) so that server can read it.
"""

from __future__ import annotations

import importlib.util

import pytest

from bench import generate
from bench.registry import all_benchmarks, select
from bench.runner import Context, Plan, Row, table
from dsar.models import Case, CaseEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def context() -> Context:
    dataset = generate.generate(200, open_cases=100, log=lambda _: None)
    return Context(dataset=dataset, plan=Plan.smoke())


def test_generator_writes_cases_events_and_a_case_with_200_events(context):
    assert Case.objects.count() == 200
    assert Case.objects.open().count() == 100
    detail = Case.objects.get(reference=context.dataset.detail_reference)
    assert CaseEvent.objects.filter(case=detail).count() == generate.DETAIL_EVENTS
    assert CaseEvent.objects.count() > 3 * 200


def test_every_benchmark_produces_a_row_with_a_ratio_and_a_query_count(context):
    if importlib.util.find_spec("gunicorn") is None:
        context = Context(
            dataset=context.dataset, plan=Plan(**{**vars(Plan.smoke()), "run_server": False})
        )
    rows: list[Row] = []
    for benchmark in all_benchmarks():
        produced = benchmark.run(context)
        assert produced, benchmark.key
        rows.extend(produced)
    for row in rows:
        if row.note.startswith(("pending", "skipped")):
            assert not row.samples
            continue
        assert row.samples and row.floor_samples, row.name
        assert row.ratio is not None and row.ratio > 0, row.name
        if row.peak_mb is not None:  # an export: its own process, its peak memory
            continue
        assert row.queries is not None and row.queries > 0, row.name
        assert row.floor_queries is not None, row.name
    assert "queue page" in table(rows)
    # The intake benchmark removes the cases it created.
    assert Case.objects.count() == 200


def test_only_selects_benchmarks_by_key():
    assert [b.key for b in select("queue,detail")] == ["queue", "detail"]
    assert [b.key for b in select(None)] == [b.key for b in all_benchmarks()]

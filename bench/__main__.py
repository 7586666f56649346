"""python -m bench [--quick] [--sizes 100000,1000000] [--only NAME[,NAME]] [--regenerate]

Generates the data on PostgreSQL (DATABASE_URL, default the ``bench`` database on
127.0.0.1, created if missing; never the test suite's database), runs every benchmark at
each size and prints one table. A stored dataset of the same size, generator and day is
reused; ``--regenerate`` rebuilds it anyway.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import traceback

DEFAULT_SIZES = [100_000, 1_000_000]
QUICK_SIZES = [100_000]


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("sizes are whole numbers, e.g. 100000,1000000") from None
    if not sizes or min(sizes) < 100:
        raise argparse.ArgumentTypeError("give at least one size of 100 cases or more")
    return sizes


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[2])
    parser.add_argument("--quick", action="store_true", help="100,000 cases, fewer repetitions")
    parser.add_argument("--sizes", type=_sizes, help="comma-separated case counts")
    parser.add_argument("--only", help="run only benchmarks whose key contains one of these")
    parser.add_argument("--regenerate", action="store_true", help="rebuild the data even if stored")
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare(size: int, config: dict, *, regenerate: bool):
    """The dataset for ``size``: the stored one if it still matches, else a new one."""
    from dsar.models import Case

    from . import database, generate

    stored = database.read_meta("dataset")
    if stored and not regenerate:
        dataset = generate.Dataset.from_json(stored)
        if (
            dataset.cases == size
            and dataset.fingerprint == generate.fingerprint()
            and dataset.today == database.today()
            and Case.objects.count() == size
        ):
            log(f"Reusing the stored dataset of {size:,} cases.")
            return dataset
    log(f"Generating {size:,} cases in {config['NAME']}...")
    database.rebuild(config, log)
    dataset = generate.generate(size, log=lambda m: log(m))
    log("  vacuum analyze")
    database.vacuum_analyze()
    database.write_meta("dataset", dataset.as_json())
    log(f"Generated {size:,} cases in {dataset.seconds:.0f} s.")
    return dataset


def machine() -> str:
    from django import get_version
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"Django {get_version()}, PostgreSQL {pg}; load average {load}"
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "false")
    # The officer API's per-token limit is counted on every call, but never reached here.
    os.environ.setdefault("OFFICER_THROTTLE_RATE", "1000000/hour")
    from .database import BENCH_REDIS, redis_answers

    if not os.environ.get("REDIS_URL") and redis_answers():
        os.environ["REDIS_URL"] = BENCH_REDIS  # the cache as in production
    if not os.environ.get("DATABASE_URL"):
        from .database import DEFAULT_DATABASE_URL

        os.environ["DATABASE_URL"] = DEFAULT_DATABASE_URL

    from . import database

    try:
        config = database.check_url(os.environ["DATABASE_URL"])
        database.ensure_exists(config)
    except database.BenchDatabaseError as exc:
        log(str(exc))
        return 2

    import django

    django.setup()
    database.migrate()

    from .registry import select
    from .runner import Context, Plan, notes, table

    plan = Plan.quick() if args.quick else Plan()
    sizes = args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)
    benchmarks = select(args.only)
    if not benchmarks:
        log(f"No benchmark matches {args.only!r}.")
        return 2
    started = time.perf_counter()
    rows, failed = [], False
    for size in sizes:
        try:
            dataset = prepare(size, config, regenerate=args.regenerate)
        except database.BenchDatabaseError as exc:
            log(str(exc))
            return 2
        context = Context(dataset=dataset, plan=plan)
        for benchmark in benchmarks:
            log(f"{benchmark.key} at {size:,} cases...")
            try:
                new = benchmark.run(context)
            except Exception:
                failed = True
                log(traceback.format_exc())
                from .runner import Row

                new = [Row.pending(benchmark.key, size, "ERROR: see the traceback above")]
            rows.extend(new)
    mode = "quick" if args.quick else "full"
    print(f"\nBenchmarks ({mode}, {time.perf_counter() - started:.0f} s) on {machine()}\n")
    print(table(rows))
    for line in notes(rows):
        print(f"- {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""The benchmark database: created if missing, rebuilt for each dataset, never another one.

The bench owns a whole PostgreSQL database (default ``bench``). A new dataset starts
from a dropped, re-created and migrated database, so a crash half-way through a load can
never leave a half-built dataset behind: until the load finishes, ``bench_meta`` holds no
description and the next run starts again. A database that was not made by the bench (no
``bench_meta`` table, but users or cases in it) is refused rather than wiped.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
from collections.abc import Callable

import environ
import psycopg
from psycopg import sql

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/bench"
PROTECTED = {"postgres", "template0", "template1", "test"}
META_TABLE = "bench_meta"
BENCH_REDIS = "redis://127.0.0.1:6379/8"  # the bench's own Redis database


class BenchDatabaseError(Exception):
    pass


def check_url(url: str) -> dict:
    """The parsed URL, if it names a PostgreSQL database the bench may own."""
    config = environ.Env.db_url_config(url)
    if "postgresql" not in config["ENGINE"]:
        raise BenchDatabaseError(
            f"The benchmarks need PostgreSQL; DATABASE_URL is {config['ENGINE']}. "
            f"Default: {DEFAULT_DATABASE_URL}"
        )
    name = config["NAME"]
    if name in PROTECTED or name.startswith("test_"):
        raise BenchDatabaseError(
            f"Refusing to use the database {name!r} for benchmarks: the bench drops and "
            "re-creates its database. Name one of its own, e.g. bench."
        )
    return config


def _admin(config: dict) -> psycopg.Connection:
    return psycopg.connect(
        dbname="postgres",
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        autocommit=True,
    )


def ensure_exists(config: dict) -> bool:
    """Create the database if missing. True when it was created."""
    with _admin(config) as conn:
        found = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not found:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    return not found


def _is_bench_database() -> bool:
    from django.db import connection

    tables = set(connection.introspection.table_names())
    if META_TABLE in tables:
        return True
    if "dsar_case" not in tables:
        return True  # empty: nothing to lose
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM dsar_case) OR EXISTS (SELECT 1 FROM auth_user)"
        )
        return not cursor.fetchone()[0]


def rebuild(config: dict, log: Callable[[str], None]) -> None:
    """Drop, re-create and migrate the bench database, then mark it as the bench's."""
    from django.core.management import call_command
    from django.db import connection, connections

    if not _is_bench_database():
        raise BenchDatabaseError(
            f"The database {config['NAME']!r} holds users or cases but was not made by the "
            "bench; refusing to drop it. Point DATABASE_URL at a database of its own."
        )
    connections.close_all()
    name = sql.Identifier(config["NAME"])
    with _admin(config) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
    log("  migrating")
    call_command("migrate", verbosity=0, interactive=False)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {META_TABLE} (key text PRIMARY KEY, value text NOT NULL)")


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def read_meta(key: str) -> str | None:
    from django.db import connection

    if META_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {META_TABLE} WHERE key = %s", [key])
        row = cursor.fetchone()
    return row[0] if row else None


def write_meta(key: str, value: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {META_TABLE} (key, value) VALUES (%s, %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [key, value],
        )


def vacuum_analyze() -> None:
    """What autovacuum would have done to a database that grew over years."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def today() -> str:
    return dt.date.today().isoformat()


def redis_answers() -> bool:
    """Whether a Redis server answers on the default local port."""
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", 6379), 0.5) as s:
        s.sendall(b"PING\r\n")
        return s.recv(16).startswith(b"+PONG")
    return False


def empty_bench_redis() -> None:
    """Drop what a run left in the bench's Redis database (throttle counts, queued emails)."""
    import redis

    redis.Redis.from_url(BENCH_REDIS).flushdb()

"""A bounded HTTP load from a second local process: ``python -m bench.load ...``.

Threads send a fixed number of POSTs over loopback with ``http.client`` (no keep-alive:
gunicorn's sync workers close each connection) and print one JSON line: requests per
second over the whole run, latency percentiles and the status codes seen. ``{n}`` in the
body is replaced by the request's number, so each request carries a different email (the
intake is also throttled per address). ``--csrf-from PATH``: each thread first GETs that
page, as a browser would, and sends its CSRF cookie and form token with every POST.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import sys
import threading
import time
from collections import Counter
from urllib.parse import quote

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COOKIE = re.compile(r"csrftoken=([^;]+)")


def _csrf(host: str, port: int, page: str) -> tuple[str, str]:
    """The cookie and the form token a browser gets with the form page."""
    conn = http.client.HTTPConnection(host, port, timeout=60)
    conn.request("GET", page)
    response = conn.getresponse()
    html = response.read().decode()
    conn.close()
    cookie = COOKIE.search(response.getheader("Set-Cookie") or "")
    token = TOKEN.search(html)
    if response.status != 200 or not cookie or not token:
        raise SystemExit(f"No CSRF token from GET {page} (HTTP {response.status})")
    return cookie.group(1), token.group(1)


def run(
    *, host: str, port: int, path: str, body: str, requests: int, concurrency: int,
    csrf_from: str = "",
) -> dict[str, object]:  # fmt: skip
    if host not in LOOPBACK:
        raise SystemExit("bench.load only sends to loopback")
    lock = threading.Lock()
    numbers = iter(range(requests))
    statuses: Counter[str] = Counter()
    latencies: list[float] = []

    def worker() -> None:
        headers = {"Connection": "close"}
        payload = body
        if csrf_from:
            cookie, token = _csrf(host, port, csrf_from)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={cookie}",
            }
            payload += f"&csrfmiddlewaretoken={quote(token)}"
        else:
            headers["Content-Type"] = "application/json"
        while True:
            with lock:
                n = next(numbers, None)
            if n is None:
                return
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host, port, timeout=60)
                conn.request("POST", path, payload.replace("{n}", str(n)).encode(), headers)
                response = conn.getresponse()
                response.read()
                status = str(response.status)
                conn.close()
            except OSError as exc:
                status = type(exc).__name__
            elapsed = time.perf_counter() - start
            with lock:
                statuses[status] += 1
                latencies.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 2)

    return {
        "requests": requests,
        "seconds": round(total, 3),
        "rate": round(requests / total, 1),
        "p50_ms": pct(0.5),
        "p95_ms": pct(0.95),
        "statuses": dict(statuses),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", required=True)
    parser.add_argument("--body", default="{}")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--csrf-from", default="", help="a form page to take a CSRF token from")
    args = parser.parse_args(argv)
    result = run(
        host=args.host,
        port=args.port,
        path=args.path,
        body=args.body,
        requests=args.requests,
        concurrency=args.concurrency,
        csrf_from=args.csrf_from,
    )
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

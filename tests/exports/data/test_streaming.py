"""A million rows through the ZIP writer with flat memory (measured, never timed)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ROWS = 1_000_000
LIMIT_MB = 150

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from exports.data.bundle import Part, write_bundle

    rows, source, target = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    with open(source, "wb") as out:
        for n in range(rows):
            out.write(json.dumps({"id": n, "email": f"person{n}@example.com",
                                  "placed_at": "2025-01-01T10:00:00", "amount_pence": n % 9999}
                                 ).encode() + b"\\n")
    parts = [Part("Orders system", "Transactions", lambda: open(source, "rb"), rows)]
    with open(target, "wb") as handle:
        manifest = write_bundle(handle, parts=parts, meta={
            "controller": "Acme", "case_reference": "DSAR-2026-000001",
            "generated_at": "2026-01-01T00:00:00+00:00", "purpose": "access"})
    print(json.dumps({"rows": manifest["rows"]}))
    """
)
# ru_maxrss survives exec on Linux, so a child started straight from pytest would report
# pytest's own size. A small runner starts the worker and reads the worker's peak from
# RUSAGE_CHILDREN: an honest upper bound (it includes at most the runner's few MB).
RUNNER = textwrap.dedent(
    """
    import json, resource, subprocess, sys
    done = subprocess.run([sys.executable, "-c", sys.argv[1], *sys.argv[2:]],
                          capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(done.stderr)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(result))
    """
)


def test_a_million_rows_export_with_peak_memory_under_150_mb(tmp_path):
    source, target = tmp_path / "rows.jsonl", tmp_path / "export.zip"
    result = subprocess.run(
        [sys.executable, "-c", RUNNER, SCRIPT, str(ROWS), str(source), str(target)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"peak memory writing {ROWS:,} rows: {measured['peak_mb']:.1f} MB")
    assert measured["rows"] == ROWS
    assert measured["peak_mb"] < LIMIT_MB
    with zipfile.ZipFile(target) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        assert manifest["categories"] == {"Transactions": ROWS}
        with archive.open("csv/transactions.csv") as handle:
            lines = sum(1 for _ in handle)
        assert lines == ROWS + 1

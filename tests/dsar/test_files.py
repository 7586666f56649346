"""Issue 20 point 3: the orphan-file sweep removes unreferenced files older than a day."""

from __future__ import annotations

import os
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command

from dsar.tasks import sweep_orphan_files
from exports.models import Document

pytestmark = pytest.mark.django_db


def age(name: str, days: float) -> None:
    path = storages["files"].path(name)
    then = time.time() - days * 86400
    os.utime(path, (then, then))


def test_only_unreferenced_files_older_than_a_day_go_and_the_count_is_said(case, capsys):
    storage = storages["files"]
    kept = storage.save("documents/2026/kept.pdf", ContentFile(b"%PDF"))
    Document.objects.create(case=case, kind="acknowledgement", title="A", file=kept)
    old_orphan = storage.save("exports/2026/orphan.zip", ContentFile(b"PK"))
    partial = storage.save("documents/2026/.partial-abc123", ContentFile(b"%PD"))
    fresh_orphan = storage.save("evidence/1/new.pdf", ContentFile(b"%PDF"))
    sidecar = storage.save(f"{kept}.key", ContentFile(b"key id"))
    outside = storage.save("elsewhere/keep-me.txt", ContentFile(b"not ours"))
    for name in (kept, old_orphan, partial, sidecar, outside):
        age(name, 2)

    assert sweep_orphan_files() == 2

    assert not storage.exists(old_orphan)
    assert not storage.exists(partial)
    for name in (kept, fresh_orphan, sidecar, outside):
        assert storage.exists(name), name
    call_command("sweep_orphan_files")
    assert "Removed 0 unreferenced file(s)" in capsys.readouterr().out


def test_an_empty_storage_sweeps_nothing():
    assert sweep_orphan_files() == 0


def test_beat_runs_the_sweep_daily():
    from config.celery import app

    entry = app.conf.beat_schedule["sweep-orphan-files"]
    assert entry["task"] == "dsar.tasks.sweep_orphan_files"
    assert entry["schedule"].hour == {4}  # once a day, at night

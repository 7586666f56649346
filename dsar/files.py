"""The orphan-file sweep: files in storage that no row refers to, older than a day.

Files are written before the row that names them is committed (and a process can die in
between, or mid-write, leaving a ``.partial-`` file: config.storage), so storage can hold
files nothing refers to. Once a day beat removes those older than `ORPHAN_MIN_AGE` in the
product's own folders, and says how many.

A file is referenced when a ``FileField`` of any model names it (found by introspection,
so new models are covered), or a satellite app's registered source does (names kept in
JSON, such as collected records: ``dsar.hooks.register_file_references``). A file beside a
referenced one that only adds a suffix (``name.key``) counts as referenced too.
"""

from __future__ import annotations

import logging
import posixpath
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import timedelta

from django.apps import apps
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils import timezone

from . import hooks

log = logging.getLogger(__name__)

ORPHAN_MIN_AGE = timedelta(days=1)
# The folders the product writes to; anything else in the bucket or MEDIA_ROOT is left be.
SWEPT_FOLDERS = ("documents", "exports", "evidence", "collections", "letterheads", "inbound")
# Every folder the product stores files in (rotate_keys re-encrypts them all).
STORED_FOLDERS = (*SWEPT_FOLDERS, "messages", "bundle")


def referenced_names() -> set[str]:
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names.update(
                    model._default_manager.exclude(**{field.name: ""})
                    .exclude(**{f"{field.name}__isnull": True})
                    .values_list(field.name, flat=True)
                )
    for source in hooks.file_reference_sources:
        names.update(source())
    return names


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield posixpath.join(folder, name)
    for sub in folders:
        yield from _walk(storage, posixpath.join(folder, sub))


def _is_referenced(name: str, referenced: set[str]) -> bool:
    return name in referenced or posixpath.splitext(name)[0] in referenced


def sweep_orphan_files(*, older_than: timedelta = ORPHAN_MIN_AGE) -> int:
    """Delete unreferenced files older than `older_than`; returns how many went."""
    storage = storages["files"]
    referenced = referenced_names()
    cutoff = timezone.now() - older_than
    removed = 0
    for folder in SWEPT_FOLDERS:
        for name in _walk(storage, folder):
            if _is_referenced(name, referenced):
                continue
            if storage.get_modified_time(name) > cutoff:
                continue  # perhaps its row is not committed yet
            storage.delete(name)
            removed += 1
    log.info(
        "Orphan-file sweep: removed %s unreferenced file(s) older than %s.", removed, older_than
    )
    return removed


def rotate_all_files(
    on_failure: Callable[[str, Exception], None] | None = None,
) -> tuple[Counter[str], list[str]]:
    """Every stored file brought under the current file key (``manage.py rotate_keys``):
    counts per outcome, and the storage names of the files that could not be read."""
    from config import encryption
    from config.storage import PARTIAL_PREFIX

    storage = encryption.EncryptedStorage()
    counts: Counter[str] = Counter()
    failed: list[str] = []
    for folder in STORED_FOLDERS:
        for name in _walk(storage.inner, folder):
            if posixpath.basename(name).startswith(PARTIAL_PREFIX):
                continue  # a write still under way (or an orphan the sweep removes)
            try:
                counts[encryption.rotate_file(name, storage)] += 1
            except encryption.FileEncryptionError as exc:
                failed.append(name)
                if on_failure is not None:
                    on_failure(name, exc)
    return counts, failed

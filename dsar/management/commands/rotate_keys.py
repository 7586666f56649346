"""``manage.py rotate_keys``: every stored file re-encrypted under the current file key.

Put a new key first in ``FILE_ENCRYPTION_KEYS`` (keep the old ones after it), restart,
then run this; the product keeps working meanwhile, each file swapped whole. Files kept
before encryption was switched on are encrypted. A rerun skips what is done, so an
interrupted run is resumed by running it again. Prints counts and, for files it could not
read, their storage names (random, never personal data). Once it reports no failures, the
old keys can be removed.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from config import encryption
from config.storage import PARTIAL_PREFIX
from dsar.files import STORED_FOLDERS, _walk


class Command(BaseCommand):
    help = "Re-encrypt every stored file under the first key of FILE_ENCRYPTION_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        storage = encryption.EncryptedStorage()
        ring = encryption.keyring()
        counts: Counter[str] = Counter()
        failed: list[str] = []
        for folder in STORED_FOLDERS:
            for name in _walk(storage.inner, folder):
                if name.rsplit("/", 1)[-1].startswith(PARTIAL_PREFIX):
                    continue  # a write still under way (or an orphan the sweep removes)
                try:
                    counts[encryption.rotate_file(name, storage)] += 1
                except encryption.FileEncryptionError as exc:
                    failed.append(name)
                    self.stderr.write(f"{name}: {exc}")
        self.stdout.write(
            f"Key {ring.current}: {counts[encryption.ROTATED]} file(s) re-encrypted, "
            f"{counts[encryption.ENCRYPTED]} encrypted (were not), "
            f"{counts[encryption.CURRENT]} already under it, "
            f"{counts[encryption.GONE]} deleted meanwhile, {len(failed)} failed."
        )
        if failed:
            raise CommandError(
                f"{len(failed)} file(s) could not be read (listed above); keep their keys."
            )

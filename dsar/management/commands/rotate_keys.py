"""``manage.py rotate_keys``: every stored file re-encrypted under the current file key.

Put a new key first in ``FILE_ENCRYPTION_KEYS`` (keep the old ones after it), restart,
then run this; the product keeps working meanwhile, each file swapped whole. Files kept
before encryption was switched on are encrypted. A rerun skips what is done, so an
interrupted run is resumed by running it again. Prints counts and, for files it could not
read, their storage names (random, never personal data). Once it reports no failures, the
old keys can be removed. ``--background`` hands the same work to a Celery worker, which
logs the counts when it is done.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from config import encryption
from dsar import jobs
from dsar.files import rotate_all_files


class Command(BaseCommand):
    help = "Re-encrypt every stored file under the first key of FILE_ENCRYPTION_KEYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the rotation for a Celery worker instead of running it here.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ring = encryption.keyring()
        if options["background"]:
            if not jobs.queue("dsar.tasks.rotate_file_keys"):
                raise CommandError(
                    "The broker cannot be reached: run rotate_keys in the foreground."
                )
            self.stdout.write(f"Queued: a worker re-encrypts the files under key {ring.current}.")
            return
        counts, failed = rotate_all_files(
            on_failure=lambda name, exc: self.stderr.write(f"{name}: {exc}")
        )
        self.stdout.write(rotation_summary(ring.current, counts, failed))
        if failed:
            raise CommandError(
                f"{len(failed)} file(s) could not be read (listed above); keep their keys."
            )


def rotation_summary(key_id: str, counts: Any, failed: list[str]) -> str:
    return (
        f"Key {key_id}: {counts[encryption.ROTATED]} file(s) re-encrypted, "
        f"{counts[encryption.ENCRYPTED]} encrypted (were not), "
        f"{counts[encryption.CURRENT]} already under it, "
        f"{counts[encryption.GONE]} deleted meanwhile, {len(failed)} failed."
    )

"""``manage.py send_reminders [--dry-run]``: run one sweep of the scheduled emails now.

Sends every deadline and overdue reminder, extension prompt, overdue digest and
unconfirmed-request chaser owed at this moment (what beat would send over the next hour),
and prints one line per email: kind, case reference, what it says, who it goes to (a
role, never an address). ``--dry-run`` runs the same code in a transaction that is rolled
back: nothing is written and nothing is sent.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from dsar import reminders
from dsar.formats import plural


class Command(BaseCommand):
    help = "Send the reminders, prompts, digests and chasers owed now (--dry-run: only list)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would be sent; write and send nothing.",
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        if dry_run:
            with transaction.atomic():
                done = reminders.send_all()
                transaction.set_rollback(True)  # claims and emails vanish; nothing is sent
        else:
            done = reminders.send_all()
        for action in done:
            self.stdout.write(str(action))
        emails = sum(1 for a in done if a.recipient)
        if dry_run:
            self.stdout.write(f"Dry run: would send {plural(emails, 'email')}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Queued {plural(emails, 'email')} to send."))

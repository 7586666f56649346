"""Remove stored files that no row refers to, older than a day, and say how many."""

from django.core.management.base import BaseCommand

from dsar.files import sweep_orphan_files


class Command(BaseCommand):
    help = "Remove unreferenced files older than a day from storage (what beat does daily)."

    def handle(self, *args, **options) -> None:
        removed = sweep_orphan_files()
        self.stdout.write(f"Removed {removed} unreferenced file(s) older than a day.")

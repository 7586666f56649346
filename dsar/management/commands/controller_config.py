"""``manage.py controller_config export|import SLUG FILE``: a controller's configuration
as one JSON document (not its cases), to start a second environment or a new brand.

``export`` writes the document (``-`` for standard output). ``import`` shows what would
change, line by line, and asks before changing anything; ``--dry-run`` only shows, and
``--yes`` applies without asking (for scripts). See ``dsar.configuration.portable``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from dsar.configuration import portable
from dsar.formats import plural
from dsar.models import Controller


class Command(BaseCommand):
    help = "Export or import a controller's configuration as JSON (never its cases)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["export", "import"])
        parser.add_argument("slug", help="The controller's slug (created on import if new).")
        parser.add_argument("file", help="The JSON file; - for standard output or input.")
        parser.add_argument("--yes", action="store_true", help="Import without asking.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what an import would change; change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self._export(options["slug"], options["file"])
        else:
            self._import(options["slug"], options["file"], options["yes"], options["dry_run"])

    def _export(self, slug: str, file: str) -> None:
        controller = Controller.objects.filter(slug=slug).first()
        if controller is None:
            raise CommandError(f"No controller with the slug {slug!r}.")
        text = json.dumps(portable.export_config(controller), indent=2, ensure_ascii=False)
        if file == "-":
            self.stdout.write(text)
        else:
            Path(file).write_text(text + "\n", encoding="utf-8")
            self.stdout.write(f"Exported the configuration of {controller.name} to {file}.")

    def _read(self, file: str) -> dict[str, Any]:
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
            data = json.loads(text)
            portable.check_document(data)
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        except json.JSONDecodeError as exc:
            raise CommandError(f"{file} is not JSON: {exc}.") from None
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        return data

    def _import(self, slug: str, file: str, yes: bool, dry_run: bool) -> None:
        data = self._read(file)
        current = portable.current_config(slug)
        changes = portable.diff_configs(current, data)
        if current is None:
            self.stdout.write(f"There is no controller {slug!r} yet: the import creates it.")
        if not changes:
            self.stdout.write("Nothing to change: the configuration is already the file's.")
            return
        self.stdout.write(f"{plural(len(changes), 'change')}:")
        for line in changes:
            self.stdout.write(f"  {line}")
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
            return
        if not yes:
            if file == "-":
                raise CommandError("Reading the file from standard input: add --yes to apply.")
            answer = input(f"Apply these changes to {slug}? [y/N] ").strip().lower()
            if answer not in {"y", "yes"}:
                self.stdout.write("Nothing was changed.")
                return
        try:
            controller = portable.import_config(slug=slug, data=data)
        except ValidationError as exc:
            raise CommandError("Nothing was changed: " + " ".join(exc.messages)) from None
        self.stdout.write(f"Imported the configuration into {controller.name} ({slug}).")

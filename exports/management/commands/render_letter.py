"""``manage.py render_letter REFERENCE KIND --output PATH``: a letter's PDF, not issued.

For checks and batch use: the letter is made as it would be issued today (defaults, the
officer's saved draft, then any ``--field``), written to PATH, and nothing is stored on
the case, recorded or sent.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from dsar.errors import CaseActionError
from dsar.models import Case
from exports.letters import LETTER_KINDS, services


class Command(BaseCommand):
    help = "Write a letter's PDF for a case without issuing it."

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        kinds = "\n".join(f"  {key:<24}{kind.title}" for key, kind in LETTER_KINDS.items())
        kwargs.setdefault("epilog", f"Letter kinds:\n{kinds}")
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("reference", help="The case reference, e.g. DSAR-2026-000123.")
        parser.add_argument(
            "kind", metavar="KIND", help=f"One of: {', '.join(LETTER_KINDS)} (listed below)."
        )
        parser.add_argument("--output", "-o", required=True, help="Where to write the PDF.")
        parser.add_argument(
            "--field",
            action="append",
            default=[],
            metavar="NAME=TEXT",
            help="Set one written part of the letter (repeatable), e.g. --field reasons=...",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if kind not in LETTER_KINDS:
            raise CommandError(f"Unknown letter kind {kind!r}. Kinds: {', '.join(LETTER_KINDS)}.")
        try:
            case = Case.objects.select_related("controller").get(reference=options["reference"])
        except Case.DoesNotExist:
            raise CommandError(f"No case with reference {options['reference']!r}.") from None
        fields = {}
        known = {spec.name for spec in LETTER_KINDS[kind].fields}
        for item in options["field"]:
            name, sep, text = item.partition("=")
            if not sep or name not in known:
                raise CommandError(
                    f"--field takes NAME=TEXT with NAME one of: {', '.join(sorted(known))}."
                )
            fields[name] = text
        try:
            pdf = services.letter_render_pdf(case=case, kind=kind, fields=fields)
        except CaseActionError as exc:
            raise CommandError(exc.message) from None
        output = Path(options["output"])
        try:
            output.write_bytes(pdf)
        except OSError as exc:
            raise CommandError(f"Could not write {output}: {exc.strerror}.") from None
        self.stdout.write(f"Wrote {output} ({len(pdf):,} bytes): {LETTER_KINDS[kind].title}.")

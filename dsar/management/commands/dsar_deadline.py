"""``manage.py dsar_deadline``: answer "when is this due?" from the command line.

Prints how the deadline was reached, one step a line, then the due date (``YYYY-MM-DD``)
alone on the last line so scripts can take it with ``tail -n 1``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils import timezone

from dsar.deadlines import (
    DeadlineInput,
    Pause,
    Region,
    Rule,
    compute_deadline,
    parse_date,
    parse_pause,
    regime_options,
)
from dsar.models import Controller


def _flatten(values: Iterable[Any] | None) -> list[str]:
    # argparse gives [[a, b], [c]] for a repeated nargs="+" option; call_command(pause=[...])
    # may give a flat list or a single string.
    if values is None:
        return []
    if isinstance(values, str):
        return [values]
    flat: list[str] = []
    for v in values:
        flat.extend(_flatten(v))
    return flat


def _option_date(options: Mapping[str, Any], key: str, flag: str) -> date | None:
    value = options.get(key)
    if value is None or isinstance(value, date):
        return value
    try:
        return parse_date(str(value))
    except ValueError as exc:
        raise CommandError(f"{flag}: {exc}") from None


def build_input(options: Mapping[str, Any], controller: Any = None) -> DeadlineInput:
    """Translate the command's options into a :class:`DeadlineInput`.

    The rule, days, extension and region come from ``controller`` when given; flags that
    were passed explicitly win. Every bad value becomes a ``CommandError`` naming its flag.
    """
    received = _option_date(options, "received", "--received")
    if received is None:
        raise CommandError("--received is required (YYYY-MM-DD).")
    pauses: list[Pause] = []
    for text in _flatten(options.get("pause")):
        try:
            pauses.append(parse_pause(text))
        except ValueError as exc:
            raise CommandError(f"--pause: {exc}") from None

    settings = regime_options(
        controller.deadline_options() if controller is not None else None,
        **{k: options.get(k) for k in ("rule", "days", "extension_months", "region")},
    )
    try:
        return DeadlineInput(
            received=received,
            extended=bool(options.get("extended")),
            identity_received=_option_date(options, "identity_received", "--identity-received"),
            fee_received=_option_date(options, "fee_received", "--fee-received"),
            pauses=tuple(pauses),
            **settings,
        )
    except (TypeError, ValueError) as exc:
        raise CommandError(str(exc)) from None


class Command(BaseCommand):
    help = (
        "Preview when a data subject request is due under the UK rule: prints the reasoning,"
        " then the due date (YYYY-MM-DD) alone on the last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # Dates are parsed in handle(), so call_command(received="...") is checked too.
        parser.add_argument("--received", required=True, metavar="DATE", help="YYYY-MM-DD")
        parser.add_argument("--rule", choices=[r.value for r in Rule])
        parser.add_argument(
            "--days", type=int, metavar="N", help="Use N days (implies --rule days)."
        )
        parser.add_argument(
            "--extension-months", type=int, metavar="N", help="Length of an extension (default 2)."
        )
        parser.add_argument("--region", choices=[r.value for r in Region])
        parser.add_argument("--extended", action="store_true", help="Show the extended date.")
        parser.add_argument("--identity-received", metavar="DATE")
        parser.add_argument("--fee-received", metavar="DATE")
        parser.add_argument(
            "--pause",
            action="append",
            nargs="+",
            metavar="START:END",
            help="A clarification pause, both days included; START: for one still open."
            " Repeat the flag or give several.",
        )
        parser.add_argument(
            "--as-of",
            metavar="DATE",
            help="Count open pauses up to this day (default: today).",
        )
        parser.add_argument(
            "--controller",
            metavar="SLUG",
            help="Take the rule, days, extension and region from this controller.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        controller = None
        if options.get("controller"):
            slug = options["controller"]
            try:
                controller = Controller.objects.get(slug=slug)
            except Controller.DoesNotExist:
                raise CommandError(f"No controller with slug {slug!r}.") from None
            except DatabaseError as exc:
                raise CommandError(
                    f"Could not read controllers ({exc}). Has 'manage.py migrate' been run?"
                ) from None
        inp = build_input(options, controller)
        as_of = _option_date(options, "as_of", "--as-of")
        if as_of is None:
            as_of = controller.today() if controller is not None else timezone.localdate()
        result = compute_deadline(inp, as_of=as_of)
        if controller is not None:
            self.stdout.write(f"Settings from controller {controller.slug!r}, unless overridden.")
        for line in result.explanation:
            self.stdout.write(line)
        self.stdout.write(result.due.isoformat())

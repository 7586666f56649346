"""``manage.py seed_demo``: the demo organisations, their officer and a queue of cases.

Safe to run again: controllers and users are matched by slug and username (passwords are
reset to the demo ones), and a controller that already has cases gets no new ones.
``--reset`` deletes the demo controllers' cases first; ``--no-cases`` skips them.

Cases are made through the services, so web requests queue their confirmation emails
like real ones; they are addressed to example.com/.org/.net (reserved, undeliverable) and
go to the local email folder unless EMAIL_URL says otherwise.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from dsar import demo
from dsar.choices import Status
from dsar.models import Case
from exports import demo as exports_demo
from identity import demo as identity_demo

# Issue 15: where a newcomer finds the demo's addresses and logins once the logs scroll.
LOGINS_FILE = "demo-logins.txt"  # under VAR_DIR


class Command(BaseCommand):
    help = "Create the demo controllers, an officer, an auditor, an admin and sample cases."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo cases and make them again."
        )
        parser.add_argument("--no-cases", action="store_true", help="Controllers and users only.")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DJANGO_ENV=production (creates logins with published passwords).",
        )

    def handle(self, *args: object, **options: object) -> None:
        if getattr(settings, "PRODUCTION", False) and not options["allow_production"]:
            raise CommandError(
                "seed_demo creates users with published passwords; refusing in production. "
                "Pass --allow-production if this really is a demo server."
            )
        controllers, _users = demo.seed(cases=not options["no_cases"], reset=bool(options["reset"]))
        identity_demo.seed(controllers)  # identity policies from the notices, steps on cases
        self.stdout.write(exports_demo.seed(controllers))  # data maps, sources, demo database
        self._summary(controllers)
        self._urls_and_logins(controllers)

    def _summary(self, controllers: list) -> None:
        rows = Case.objects.filter(controller__in=controllers).values_list(
            "controller__slug", "status"
        )
        per_controller = Counter(slug for slug, _ in rows)
        per_status = Counter(status for _, status in rows)
        self.stdout.write(f"Controllers: {len(controllers)}")
        for c in controllers:
            self.stdout.write(f"  {c.name} ({c.slug}): {per_controller[c.slug]} cases")
        self.stdout.write(f"Cases: {sum(per_status.values())}")
        for status in Status:
            self.stdout.write(f"  {status.value}: {per_status[status.value]}")

    def _urls_and_logins(self, controllers: list) -> None:
        """Printed, and kept in var/demo-logins.txt (make run prints it again once the
        logs have scrolled it away)."""
        site = settings.SITE_URL
        lines = ["", f"Officer queue:  {site}{reverse('dsar:queue')}"]
        for c in controllers:
            lines.append(
                f"Public form:    {site}{reverse('dsar:request_form', args=[c.slug])}  ({c.name})"
            )
        lines += [
            f"Requester page: {site}{reverse('identity:ask_for_link')}",
            f"Admin:          {site}{reverse('admin:index')}",
            f"API:            {site}/api/v1/",
            "",
            "Demo logins (username / password):",
        ]
        for user in demo.DEMO_USERS:
            what = "superuser" if user.is_superuser else f"{user.role} on every demo controller"
            lines.append(f"  {user.username} / {user.password}  ({what})")
        for line in lines:
            self.stdout.write(line)
        path = Path(settings.VAR_DIR) / LOGINS_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines).lstrip() + "\n")

"""``manage.py create_officer``: an officer account with API access, in one step.

Creates the user (or updates an existing one), grants the role on each ``--controller``
and prints the user's API token alone on the last line, so scripts can take it with
``tail -n 1``. Use it as ``Authorization: Token <token>``.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction
from rest_framework.authtoken.models import Token

from dsar.choices import Role
from dsar.models import Controller, Membership


class Command(BaseCommand):
    help = (
        "Create or update an officer, grant a role on a controller and print an API token "
        "(alone on the last line)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument(
            "--controller",
            action="append",
            required=True,
            metavar="SLUG",
            help="Controller to grant the role on; repeat for several.",
        )
        parser.add_argument("--role", choices=Role.values, default=Role.OFFICER)
        parser.add_argument("--email", default=None)
        parser.add_argument(
            "--password",
            default=None,
            help="Sign-in password. A new user without one gets a generated password, printed.",
        )
        parser.add_argument(
            "--superuser", action="store_true", help="Also a superuser (sees every controller)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        username: str = options["username"].strip()
        if not username:
            raise CommandError("Give a username.")
        if options["email"]:
            try:
                validate_email(options["email"])
            except ValidationError:
                raise CommandError(f"Not an email address: {options['email']!r}.") from None
        slugs = options["controller"]
        if isinstance(slugs, str):  # call_command(controller="acme")
            slugs = [slugs]
        controllers = []
        for slug in dict.fromkeys(slugs):
            controller = Controller.objects.filter(slug=slug).first()
            if controller is None:
                known = ", ".join(Controller.objects.values_list("slug", flat=True)) or "none yet"
                raise CommandError(f"No controller with slug {slug!r} (known: {known}).")
            controllers.append(controller)

        with transaction.atomic():
            user, created, generated = self._save_user(username, options)
            for controller in controllers:
                Membership.objects.update_or_create(
                    user=user, controller=controller, defaults={"role": options["role"]}
                )
            token, _ = Token.objects.get_or_create(user=user)

        role = Role(options["role"]).label
        names = ", ".join(c.slug for c in controllers)
        self.stdout.write(f"{'Created' if created else 'Updated'} {username}: {role} at {names}.")
        if generated:
            self.stdout.write(f"Password (shown once): {generated}")
        self.stdout.write("API token (send as 'Authorization: Token <token>'):")
        self.stdout.write(token.key)

    def _save_user(self, username: str, options: dict[str, Any]) -> tuple[Any, bool, str]:
        user_model = get_user_model()
        user, created = user_model.objects.get_or_create(username=username)
        generated = ""
        password = options["password"]
        if password is None and created:
            password = generated = secrets.token_urlsafe(12)
        if password is not None:
            # The same rules as every other way of setting a password (issue 18).
            try:
                validate_password(password, user)
            except ValidationError as error:
                raise CommandError("Password refused: " + " ".join(error.messages)) from None
            user.set_password(password)
        if options["email"]:
            user.email = options["email"]
        if options["superuser"]:
            user.is_superuser = user.is_staff = True
        user.is_active = True
        user.save()
        return user, created, generated

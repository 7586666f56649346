"""The start-up checklist of a controller, and the minimum before its form is public.

The minimum (``publish_problems``) is what the product cannot work without: a name to
show, an address where the team gets its notices and requesters' questions go (the team
email or the DPO's), and the web form switched on. Everything else on the checklist is
what a good answer needs (the letterhead, identity checks, the data map, a source, a
colleague) and is shown as missing without holding the form back, because an
organisation may rightly start with requests answered by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from dsar.choices import Role
from dsar.models import Controller


def publish_problems(controller: Controller, *, form: bool = True) -> list[str]:
    """Why the public form is not published (empty: it is). Reads fields only. With
    ``form=False``, the minimum for requests through the API (a controller's own website
    may send them with the product's web form switched off)."""
    problems = []
    if not controller.is_active:
        problems.append("The organisation is switched off.")
    if not controller.name.strip():
        problems.append("Give the name requesters will see.")
    if not (controller.team_email or controller.dpo_email):
        problems.append("Give a team email or the DPO's email, where notices and questions go.")
    if form and not controller.accepts_web:
        problems.append("The web form is switched off on the Organisation page.")
    return problems


def is_published(controller: Controller) -> bool:
    return not publish_problems(controller)


@dataclass(frozen=True)
class Step:
    title: str
    why: str
    done: bool
    missing: str
    url: str
    required: bool = False


def checklist(controller: Controller) -> list[Step]:
    """The steps of setting a controller up, each with what it is for and what is missing."""
    from exports.data.models import DataCategory, DataSource
    from exports.letters.models import Letterhead
    from identity.models import IdentityPolicy

    slug = controller.slug
    problems = publish_problems(controller)
    org_missing = [
        label
        for label, value in (
            ("legal name", controller.legal_name),
            ("ICO registration number", controller.ico_registration),
            ("DPO email", controller.dpo_email),
        )
        if not value
    ]
    head = Letterhead.objects.filter(controller=controller).first()
    categories = DataCategory.objects.filter(controller=controller)
    purposeless = categories.filter(purposes__isnull=True).count()
    members = controller.memberships.exclude(role=Role.AUDITOR).count()
    return [
        Step(
            "Organisation",
            "Names, contacts and the time limit: they appear on the public form and every "
            "letter, and decide every deadline.",
            not problems and not org_missing,
            " ".join(problems) + (f" Missing: {', '.join(org_missing)}." if org_missing else ""),
            reverse("settings:organisation", args=[slug]),
            required=True,
        ),
        Step(
            "Letterhead",
            "What letters to requesters are printed on.",
            bool(controller.letterhead.strip() or (head and head.logo)),
            "No letterhead lines or logo yet: letters show only the organisation's name.",
            reverse("settings:letterhead", args=[slug]),
        ),
        Step(
            "Identity checks",
            "What each kind of request needs before anyone acts on it.",
            IdentityPolicy.objects.filter(controller=controller).exists(),
            "No identity checks set: nothing is asked of requesters automatically.",
            reverse("settings:identity", args=[slug]),
        ),
        Step(
            "Data map",
            "The data held, why and for how long: it fills every access response.",
            categories.exists() and not purposeless,
            "No categories of data yet."
            if not categories.exists()
            else f"{purposeless} categor{'y has' if purposeless == 1 else 'ies have'} no purpose.",
            reverse("settings:data_map", args=[slug]),
        ),
        Step(
            "A source",
            "Where a person's records are looked for, automatically or by hand.",
            DataSource.objects.filter(controller=controller, is_active=True).exists(),
            "No source yet: officers must search every system by hand.",
            reverse("settings:sources", args=[slug]),
        ),
        Step(
            "A team member",
            "Someone besides you to work the cases (and approve releases, if the second "
            "pair of eyes is on).",
            members >= 2,
            "Only one person can work the cases.",
            reverse("settings:team", args=[slug]),
        ),
        Step(
            "The public form",
            "Where requesters make a request online, at /r/" + slug + "/.",
            not problems,
            "Not published until the organisation step's minimum is set: " + " ".join(problems),
            reverse("dsar:request_form", args=[slug]),
            required=True,
        ),
    ]

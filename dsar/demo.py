"""Demo data: the seed organisations as controller configuration, demo users and cases.

`manage.py seed_demo` calls these. Each controller below is configured from its own
privacy notice in `../shared/seeds/` (the file is named in the comment above it); where a
notice is silent the model's defaults apply, and nothing is invented: no ICO number or
company number a notice does not give. Reminders for unassigned cases go to a made-up
team address under the reserved `.invalid` domain, never to the real organisation.

Seeds 000 (privacy notice) and 001 (cookie policy) are both Customer First Group's (same
legal entity, same company number), so the five seed files give four controllers.

Sample cases are made through `dsar.services`, so each has a real event trail and due
dates from the engine. Dates are relative to the controller's today, so the queue always
has overdue cases and cases due this week whenever the demo is loaded.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from . import services
from .choices import (
    Channel,
    Outcome,
    PortabilityDestination,
    RefusalGround,
    Relationship,
    ReplyChannel,
    Right,
    Role,
    Status,
)
from .models import Case, Controller, Membership

# --- the seed organisations ------------------------------------------------------------

CONTROLLERS: tuple[dict[str, Any], ...] = (
    # 000 privacy notice + 001 cookie policy: one month; ICO ZA919714; post and email only;
    # ID "evidence" required but no documents listed. Website from the cookie policy.
    {
        "slug": "customer-first-group",
        "name": "Customer First Group",
        "legal_name": "It's All About the Customer Limited",
        "company_number": "10782184",
        "ico_registration": "ZA919714",
        "dpo_name": "",
        "dpo_email": "hello@customerserviceaction.com",
        "dpo_phone": "",
        "postal_address": "The Customer First Group\n160 Kemp House\nCity Road\nLondon\nEC1V 2NX",
        "website": "https://customerserviceaction.com",
        "deadline_rule": "calendar_month",
        "extension_months": 2,
        "holiday_region": "england",
        "accepted_identity_documents": [],
        "letterhead_required_for_organisations": False,
        "accepts_post": True,
        "accepts_phone": False,
        "letterhead": (
            "It's All About the Customer Limited, trading as Customer First Group\n"
            "Registered office: 160 Kemp House, City Road, London EC1V 2NX\n"
            "Registered in England, company number 10782184"
        ),
    },
    # 002_eadc2ea0dcec0e19.txt: CX Services, Dunoon and Glasgow (Scottish bank holidays);
    # ICO ZA506847; email, phone or letter; no time limit stated (one month by law);
    # contact records kept two years after the contact, so closed cases are too.
    {
        "slug": "cx-services",
        "name": "CX Services",
        "legal_name": "CX Services Ltd",
        "company_number": "",
        "ico_registration": "ZA506847",
        "dpo_name": "The Data Officer",
        "dpo_email": "data.officer@cxservicesltd.com",
        "dpo_phone": "0151 357 7700",
        "postal_address": (
            "The Data Officer\nCX Services Ltd\nUnit 14\nHighland Avenue\nDunoon\nArgyll\nPA23 8PQ"
        ),
        "website": "https://cxservicesltd.com",
        "deadline_rule": "calendar_month",
        "extension_months": 2,
        "holiday_region": "scotland",
        "accepted_identity_documents": [],
        "letterhead_required_for_organisations": False,
        "accepts_post": True,
        "accepts_phone": True,
        "closed_case_retention_days": 2 * 365,  # a demo choice (see CONTROLLER_DEFAULTS)
        "letterhead": (
            "CX Services Ltd\n"
            "Unit 14, Highland Avenue, Dunoon, Argyll PA23 8PQ\n"
            "ICO registration ZA506847"
        ),
    },
    # 003_19c419bf00f9e519.txt: Intelligent Actions (iActions Ltd): one month + 2 months;
    # colour copy of passport, driving licence, birth certificate or utility bill;
    # organisations must write on company letterhead; access requests by post too.
    {
        "slug": "intelligent-actions",
        "name": "Intelligent Actions",
        "legal_name": "iActions Ltd",
        "company_number": "",
        "ico_registration": "",
        "dpo_name": "Data Protection Officer",
        "dpo_email": "dpo@iactions.co.uk",
        "dpo_phone": "",
        "postal_address": (
            "Data Protection Officer\niActions Ltd.\nAuckland Lodge\nPO5 2HB\nUnited Kingdom"
        ),
        "website": "",
        "deadline_rule": "calendar_month",
        "extension_months": 2,
        "holiday_region": "england",
        "accepted_identity_documents": [
            "Colour copy of passport",
            "Colour copy of driving licence",
            "Colour copy of birth certificate",
            "Colour copy of utility bill",
        ],
        "letterhead_required_for_organisations": True,
        "accepts_post": True,
        "accepts_phone": False,
        "letterhead": (
            "iActions Ltd, trading as Intelligent Actions\nAuckland Lodge, PO5 2HB, United Kingdom"
        ),
    },
    # 004_da5de8264aa76047.txt: Kynex: 28 days (+ up to two months); SARs by email or the
    # website's contact form only; the IT Manager is the DPO; marketing opt-outs go on a
    # suppression list. Its email is obfuscated in the notice, so left blank.
    {
        "slug": "kynex",
        "name": "Kynex",
        "legal_name": "",
        "company_number": "",
        "ico_registration": "",
        "dpo_name": "IT Manager (Data Protection Officer)",
        "dpo_email": "",
        "dpo_phone": "",
        "postal_address": "",
        "website": "https://www.conceptdatasolutions.co.uk",
        "deadline_rule": "days",
        "deadline_days": 28,
        "extension_months": 2,
        "holiday_region": "england",
        "accepted_identity_documents": [],
        "letterhead_required_for_organisations": False,
        "accepts_post": False,
        "accepts_phone": False,
        "letterhead": "Kynex\nwww.conceptdatasolutions.co.uk",
    },
)

# Applied to every demo controller unless its entry says otherwise.
CONTROLLER_DEFAULTS: dict[str, Any] = {
    "time_zone": "Europe/London",
    "deadline_days": 28,  # only read by the "days" rule
    # A demo choice, not from the notices (which do not say how long request records are
    # kept): a real controller's admin sets its own, and until then nothing is purged.
    "closed_case_retention_days": 6 * 365,
    "is_active": True,
}

DEMO_SLUGS = tuple(c["slug"] for c in CONTROLLERS)


def team_email(slug: str) -> str:
    """Invented, undeliverable (RFC 2606 `.invalid`): demo reminders reach no real inbox."""
    return f"privacy-team@{slug}.demo.invalid"


def seed_controllers() -> list[Controller]:
    """Create or update the demo controllers (matched by slug)."""
    result = []
    for entry in CONTROLLERS:
        values = {**CONTROLLER_DEFAULTS, "team_email": team_email(entry["slug"]), **entry}
        slug = values.pop("slug")
        controller, _ = Controller.objects.update_or_create(slug=slug, defaults=values)
        result.append(controller)
    return result


# --- demo users --------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    first_name: str
    last_name: str
    role: str | None  # membership on every demo controller; None for the superuser
    is_staff: bool = False
    is_superuser: bool = False


DEMO_USERS = (
    # Issue 19: officers need no admin access; settings live in the officer app.
    DemoUser("officer", "demo-officer-2026", "Demo", "Officer", Role.OFFICER),
    DemoUser("auditor", "demo-auditor-2026", "Demo", "Auditor", Role.AUDITOR),
    DemoUser(
        "admin", "demo-admin-2026", "Demo", "Administrator", None, is_staff=True, is_superuser=True
    ),
)


def seed_users(controllers: list[Controller]) -> dict[str, AbstractBaseUser]:
    """Create or update the demo users, reset their passwords and grant their roles."""
    User = get_user_model()
    users = {}
    for spec in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@demo.invalid",
                "is_staff": spec.is_staff,
                "is_superuser": spec.is_superuser,
                "is_active": True,
            },
        )
        user.set_password(spec.password)
        user.save(update_fields=["password"])
        if spec.role:
            for controller in controllers:
                Membership.objects.update_or_create(
                    user=user, controller=controller, defaults={"role": spec.role}
                )
        users[spec.username] = user
    # Issue 19: no Django-admin permissions for the officer (an older seed gave some).
    users["officer"].user_permissions.clear()
    return users


# --- sample cases ------------------------------------------------------------------------


@dataclass(frozen=True)
class SampleCase:
    """One demo case and the story that brings it to `status`; days count back from today."""

    controller: str  # slug
    right: str
    channel: str
    name: str
    received: int  # days ago the request arrived
    status: str
    assigned: bool = False
    identity: int | None = None  # identity asked for, then received this many days ago
    pause: tuple[int, int | None] | None = None  # (asked, answered) days ago; None = waiting
    extend: str = ""  # extension reason
    extend_ground: str = ""  # ExtensionGround
    outcome: str = ""  # closed: an Outcome; refused: a RefusalGround
    note: str = ""  # closing, refusal or withdrawal reasons
    fields: Mapping[str, Any] = field(default_factory=dict)  # right-specific case fields


CFG, CX, IA, KYN = DEMO_SLUGS
S, R, C = Status, Right, Channel
MARKETING = {
    "objection_direct_marketing": True,
    "objection_processing": "Marketing emails and calls.",
}
THIRD_PARTY = "Emails naming other customers withheld (third-party data, DPA 2018 Sch 2 para 16)."

# A data table: one case a line (or two), aligned by hand, so formatting is off here.
# fmt: off
SAMPLE_CASES: tuple[SampleCase, ...] = (
    # Customer First Group: one calendar month, England, web/email/post.
    SampleCase(CFG, R.ACCESS, C.WEB, "Zoë Ó Briain", 1, S.UNCONFIRMED),
    SampleCase(CFG, R.ERASURE, C.WEB, "José Álvarez", 40, S.IN_PROGRESS, assigned=True),
    SampleCase(CFG, R.ACCESS, C.EMAIL, "Margaret Pennington", 28, S.IN_PROGRESS, assigned=True),
    SampleCase(CFG, R.RECTIFICATION, C.POST, "Gareth Pryce", 12, S.IN_PROGRESS, fields={
        "rectification_inaccurate": "My surname is spelt Price on my account.",
        "rectification_correction": "Pryce"}),
    SampleCase(CFG, R.OBJECTION, C.WEB, "Priya Chaudhry", 9, S.IN_PROGRESS, fields=MARKETING),
    SampleCase(CFG, R.PORTABILITY, C.WEB, "Oluwaseun Adeyemi", 20, S.IN_PROGRESS,
               extend="Twelve related requests from the same requester to collate.",
               extend_ground="numerous", fields={
                   "portability_destination": PortabilityDestination.ORGANISATION,
                   "portability_recipient": "Northgate Reviews Ltd, data.requests@example.org"}),
    SampleCase(CFG, R.ACCESS, C.EMAIL, "Beatrice Ashworth", 15, S.AWAITING_REQUESTER,
               pause=(5, None)),
    SampleCase(CFG, R.ACCESS, C.WEB, "Declan Byrne", 6, S.AWAITING_IDENTITY),
    SampleCase(CFG, R.RESTRICTION, C.EMAIL, "Harriet Fenwick", 26, S.READY_FOR_REVIEW,
               assigned=True),
    SampleCase(CFG, R.ACCESS, C.POST, "Tomasz Wiśniewski", 75, S.CLOSED, outcome=Outcome.FULFILLED),
    SampleCase(CFG, R.ERASURE, C.WEB, "Sunita Patel", 50, S.WITHDRAWN,
               note="Decided to keep the account."),
    SampleCase(CFG, R.ACCESS, C.EMAIL, "Kwame Mensah", 90, S.REFUSED,
               outcome=RefusalGround.MANIFESTLY_EXCESSIVE,
               note="Fourth identical request in six weeks; the first was answered in full."),
    # CX Services: one calendar month, Scottish bank holidays, also takes requests by phone.
    SampleCase(CX, R.ACCESS, C.PHONE, "Eilidh MacLeod", 44, S.IN_PROGRESS, assigned=True),
    SampleCase(CX, R.OBJECTION, C.PHONE, "Hamish Drummond", 3, S.IN_PROGRESS, fields=MARKETING),
    SampleCase(CX, R.ACCESS, C.WEB, "Siân Llewellyn", 2, S.UNCONFIRMED),
    SampleCase(CX, R.ERASURE, C.EMAIL, "Fiona Kerr", 28, S.IN_PROGRESS, fields={
        "relationship": Relationship.SOLICITOR, "subject_name": "Callum Baird"}),
    SampleCase(CX, R.ACCESS, C.POST, "Morag Sinclair", 35, S.IN_PROGRESS, assigned=True,
               pause=(30, 22)),
    SampleCase(CX, R.RECTIFICATION, C.EMAIL, "Ewan Grant", 18, S.IN_PROGRESS, fields={
                   "rectification_inaccurate": "Wrong postcode on the mailing list.",
                   "rectification_correction": "G2 1AA"}),
    SampleCase(CX, R.ACCESS, C.WEB, "Isla Fraser", 25, S.IN_PROGRESS, identity=18),
    SampleCase(CX, R.PORTABILITY, C.EMAIL, "Nadia Haddad", 10, S.AWAITING_IDENTITY,
               fields={"portability_destination": PortabilityDestination.REQUESTER}),
    SampleCase(CX, R.ACCESS, C.EMAIL, "Rory McAllister", 27, S.READY_FOR_REVIEW),
    SampleCase(CX, R.OBJECTION, C.POST, "Ruth Abernethy", 80, S.CLOSED,
               outcome=Outcome.NO_DATA_HELD, fields=MARKETING),
    SampleCase(CX, R.ACCESS, C.PHONE, "Connor Doherty", 60, S.CLOSED, assigned=True,
               outcome=Outcome.PARTLY_FULFILLED, note=THIRD_PARTY),
    SampleCase(CX, R.ERASURE, C.EMAIL, "Björn Lindqvist", 33, S.REFUSED,
               outcome=RefusalGround.IDENTITY_NOT_VERIFIED,
               note="No proof of identity received after two reminders."),
    # Intelligent Actions: one calendar month, listed identity documents, letterhead.
    SampleCase(IA, R.ACCESS, C.WEB, "Chloé Lefèvre", 4, S.UNCONFIRMED),
    SampleCase(IA, R.ACCESS, C.POST, "Agnieszka Kowalska", 8, S.AWAITING_IDENTITY),
    SampleCase(IA, R.ACCESS, C.EMAIL, "Lewis Cartwright", 14, S.AWAITING_IDENTITY,
               fields={"organisation_name": "Harbourside Lettings Ltd"}),
    SampleCase(IA, R.ERASURE, C.EMAIL, "Imran Hussain", 41, S.IN_PROGRESS, assigned=True),
    SampleCase(IA, R.ACCESS, C.POST, "Eleanor Marsh", 28, S.IN_PROGRESS, identity=28),
    SampleCase(IA, R.AUTOMATED_DECISION, C.WEB, "Samuel Okafor", 16, S.IN_PROGRESS,
               assigned=True,
               extend="Credit decision logic sits with a partner; review needs their records.",
               extend_ground="complex"),
    SampleCase(IA, R.OBJECTION, C.WEB, "Yasmin Begum", 11, S.IN_PROGRESS, fields=MARKETING),
    SampleCase(IA, R.RECTIFICATION, C.EMAIL, "Rhiannon Evans", 24, S.READY_FOR_REVIEW,
               assigned=True, identity=20, fields={
                   "rectification_inaccurate": "Date of birth recorded as 1986.",
                   "rectification_correction": "1968"}),
    SampleCase(IA, R.ACCESS, C.POST, "Hugh Maitland", 70, S.CLOSED, identity=65,
               outcome=Outcome.FULFILLED),
    SampleCase(IA, R.RESTRICTION, C.WEB, "Amélie Fontaine", 45, S.WITHDRAWN,
               note="Resolved with customer services."),
    SampleCase(IA, R.ACCESS, C.POST, "Grace Kavanagh", 55, S.REFUSED,
               outcome=RefusalGround.IDENTITY_NOT_VERIFIED,
               note="No evidence of parental responsibility was sent.", fields={
                   "relationship": Relationship.PARENT, "subject_name": "Ellie Kavanagh"}),
    # Kynex: 28 days, email or the website form only, marketing suppression list.
    SampleCase(KYN, R.ACCESS, C.WEB, "Poppy Lister", 0, S.UNCONFIRMED),
    SampleCase(KYN, R.ACCESS, C.EMAIL, "Emeka Nwosu", 35, S.IN_PROGRESS, assigned=True),
    SampleCase(KYN, R.OBJECTION, C.EMAIL, "Daisy Whitfield", 25, S.IN_PROGRESS, fields=MARKETING),
    SampleCase(KYN, R.ERASURE, C.WEB, "Tobias Greenwood", 5, S.IN_PROGRESS),
    SampleCase(KYN, R.ACCESS, C.EMAIL, "Catrin Morgan", 12, S.IN_PROGRESS, assigned=True,
               extend="Call recordings across three systems to review and redact.",
               extend_ground="complex"),
    SampleCase(KYN, R.PORTABILITY, C.WEB, "Jamal Idris", 14, S.AWAITING_REQUESTER,
               pause=(3, None),
               fields={"portability_destination": PortabilityDestination.REQUESTER}),
    SampleCase(KYN, R.RECTIFICATION, C.EMAIL, "Mei Ling Chan", 9, S.AWAITING_IDENTITY, fields={
        "rectification_inaccurate": "Landline number is out of date.",
        "rectification_correction": "Remove it: mobile only."}),
    SampleCase(KYN, R.ACCESS, C.WEB, "Oliver Bradshaw", 20, S.READY_FOR_REVIEW),
    SampleCase(KYN, R.OBJECTION, C.EMAIL, "Kieran O'Neill", 40, S.CLOSED,
               outcome=Outcome.FULFILLED, note="Added to the marketing suppression list.",
               fields=MARKETING),
    SampleCase(KYN, R.ACCESS, C.EMAIL, "Lucy Tran", 30, S.WITHDRAWN, note="Sent by mistake."),
    SampleCase(KYN, R.ACCESS, C.WEB, "Aoife Ní Mhurchú", 65, S.REFUSED,
               outcome=RefusalGround.MANIFESTLY_UNFOUNDED,
               note="Offered to withdraw the request in exchange for payment."),
)
# fmt: on

DESCRIPTIONS = {
    R.ACCESS: "Please send me a copy of all the personal data you hold about me.",
    R.ERASURE: "Please delete my account and everything you hold about me.",
    R.RECTIFICATION: "Some of my details are wrong; please correct them.",
    R.PORTABILITY: "Please send the data I gave you in a machine-readable format.",
    R.OBJECTION: "I object to you using my data for marketing.",
    R.RESTRICTION: "Please stop using my data while you check it is accurate.",
    R.AUTOMATED_DECISION: "I was refused credit automatically and want a person to review it.",
}
DOMAINS = ("example.com", "example.org", "example.net")


def _email(name: str, index: int) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    local = ".".join(
        "".join(ch for ch in part if ch.isalnum()) for part in ascii_name.lower().split()
    )
    return f"{local}@{DOMAINS[index % len(DOMAINS)]}"


def _case_fields(spec: SampleCase, index: int, received_on: date) -> dict[str, Any]:
    email = _email(spec.name, index)
    fields: dict[str, Any] = {
        "requester_name": spec.name,
        "requester_email": email,
        "description": DESCRIPTIONS[spec.right],
        "subject_identifiers": [{"kind": "email", "value": email}],
    }
    if spec.channel == Channel.PHONE:
        # Ofcom's range for drama: never a real number.
        fields["requester_phone"] = f"07700 900{index:03d}"
        fields["subject_identifiers"].append({"kind": "phone", "value": fields["requester_phone"]})
    if spec.channel == Channel.POST:
        fields["requester_address"] = f"{index + 3} Acacia Avenue\nAnytown\nAB1 {index % 9 + 1}CD"
        fields["preferred_reply"] = ReplyChannel.POST
    if spec.channel == Channel.WEB:
        noon = datetime.combine(received_on, time(12), tzinfo=ZoneInfo("Europe/London"))
        fields["declaration_at"] = noon
    fields.update(spec.fields)
    return fields


@contextmanager
def _on_day(day: date) -> Iterator[None]:
    """Run a step of a demo story at noon on ``day`` (London), as if it happened then.

    Only the demo does this: the services take "today" from the clock, which is what makes
    a pause impossible to backdate in real use.
    """
    moment = datetime.combine(day, time(12), tzinfo=ZoneInfo("Europe/London"))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _tell(spec: SampleCase, index: int, controller: Controller, officer: AbstractBaseUser) -> Case:
    """Play the case's story through the services, in the order an officer would."""
    today = controller.today()

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    web = spec.channel == Channel.WEB
    case = services.case_create(
        controller=controller,
        right=spec.right,
        channel=spec.channel,
        fields=_case_fields(spec, index, ago(spec.received)),
        received_on=ago(spec.received),
        by=None if web else officer,
    )
    if spec.status == Status.UNCONFIRMED:
        return case
    if web:
        case = services.case_confirm(case=case)

    wait_for_identity = spec.status == Status.AWAITING_IDENTITY or (
        spec.outcome == RefusalGround.IDENTITY_NOT_VERIFIED
    )
    if (wait_for_identity or spec.identity is not None) and case.status == Status.IN_PROGRESS:
        note = (
            "Asked for a colour copy of photo ID." if controller.accepted_identity_documents else ""
        )
        case = services.case_request_identity(case=case, by=officer, note=note)
    if case.status == Status.AWAITING_IDENTITY and not wait_for_identity:
        on = ago(spec.identity if spec.identity is not None else spec.received)
        case = services.case_identity_received(case=case, by=officer, received_on=on)

    if spec.assigned:
        case = services.case_assign(case=case, assignee=officer, by=officer)
    if spec.pause:
        asked, answered = spec.pause
        # A pause starts the day its question is sent, never backdated: the story is
        # played on the day it happened.
        with _on_day(ago(asked)):
            case = services.case_pause(
                case=case, by=officer, reason="Which accounts and dates does the request cover?"
            )
        if answered is None:  # still paused: the open pause counts up to today
            changed = services._apply_deadline(case)
            if changed:
                services._save(case, changed)
        else:
            with _on_day(ago(answered)):
                case = services.answer_clarification(
                    case, text="The online account and its orders since 2023.", actor=officer
                )
    if spec.extend:
        case = services.case_extend(
            case=case, by=officer, reason=spec.extend, ground=spec.extend_ground
        )

    if spec.status in (Status.READY_FOR_REVIEW, Status.CLOSED):
        case = services.case_submit_for_review(case=case, by=officer, note="Response drafted.")
    if spec.status == Status.CLOSED:
        case = services.case_close(case=case, by=officer, outcome=spec.outcome, reasons=spec.note)
    elif spec.status == Status.REFUSED:
        case = services.case_refuse(case=case, by=officer, ground=spec.outcome, reasons=spec.note)
    elif spec.status == Status.WITHDRAWN:
        case = services.case_withdraw(case=case, by=officer, reason=spec.note)

    if case.status != spec.status:
        raise RuntimeError(f"Demo case for {spec.name} ended {case.status}, not {spec.status}.")
    return case


def seed_cases(controllers: list[Controller], officer: AbstractBaseUser) -> dict[str, int]:
    """Create the sample cases of each controller that has none yet; returns counts made."""
    by_slug = {c.slug: c for c in controllers}
    skip = set(
        Case.objects.filter(controller__in=controllers).values_list("controller__slug", flat=True)
    )
    made: Counter[str] = Counter()
    for index, spec in enumerate(SAMPLE_CASES):
        if spec.controller in skip:
            continue
        _tell(spec, index, by_slug[spec.controller], officer)
        made[spec.controller] += 1
    return dict(made)


def delete_demo_cases() -> int:
    """Delete the demo controllers' cases (events, pauses and emails go with them)."""
    deleted, _ = Case.objects.filter(controller__slug__in=DEMO_SLUGS).delete()
    return deleted


@transaction.atomic
def seed(
    *, cases: bool = True, reset: bool = False
) -> tuple[list[Controller], dict[str, AbstractBaseUser]]:
    """Everything `seed_demo` does, in one transaction: all of it or none of it."""
    if reset:
        delete_demo_cases()
    controllers = seed_controllers()
    users = seed_users(controllers)
    if cases:
        seed_cases(controllers, users["officer"])
    return controllers, users

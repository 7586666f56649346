"""One abuse budget for every public way in: the form at /r/<slug>/ and the JSON intake.

A valid submission (typing mistakes cost nothing) is counted, in this order, each budget
only while the previous one allowed it:

1. per client address, IPv6 per /64 (`INTAKE_RATE_LIMIT_PER_HOUR`), form and API together;
2. per requester email, ignoring letter case and a ``+tag`` (`INTAKE_EMAIL_LIMIT_PER_HOUR`),
   so changing address or tag does not get round it;
3. per controller, every address together (`INTAKE_CONTROLLER_LIMIT_PER_HOUR`): a flood
   from many addresses stops here, and the first refusal in an hour emails the DPO.

Separately, one mailbox gets at most `CONFIRMATION_EMAILS_PER_DAY` confirmation emails:
beyond that a request is still stored (unconfirmed) but no email goes, so the form cannot
be used to fill a stranger's mailbox.

Counts go through dsar.ratelimit, so they keep working (in the database) when Redis is down.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from .. import ratelimit
from ..models import Controller

log = logging.getLogger(__name__)

HOUR = 3600
DAY = 86400


@dataclass(frozen=True)
class Refusal:
    """Why a submission was not taken, in words for the requester, and when to retry."""

    budget: str  # "address", "email" or "controller"
    message: str
    retry_after: int


def normalise_email(email: str) -> str:
    """One mailbox, however it is written: ``Ada+news@Example.NET`` is ``ada@example.net``."""
    local, _, domain = email.strip().lower().rpartition("@")
    if not local:
        return domain
    return f"{local.split('+', 1)[0]}@{domain}"


def check_intake(*, request: HttpRequest, controller: Controller, email: str) -> Refusal | None:
    """Count one valid public submission against each budget; None when it may be saved."""
    if not ratelimit.allow(
        ratelimit.client_key(request, "intake-address"), settings.INTAKE_RATE_LIMIT_PER_HOUR, HOUR
    ):
        log.warning("Intake: address budget used up (controller %s).", controller.pk)
        return Refusal(
            "address",
            "Too many requests have been sent from your network in the last hour.",
            ratelimit.retry_after(HOUR),
        )
    email_key = ratelimit.hashed_key("intake-email", normalise_email(email))
    if not ratelimit.allow(email_key, settings.INTAKE_EMAIL_LIMIT_PER_HOUR, HOUR):
        log.warning("Intake: email budget used up (controller %s).", controller.pk)
        return Refusal(
            "email",
            "Too many requests have been sent for this email address in the last hour.",
            ratelimit.retry_after(HOUR),
        )
    limit = settings.INTAKE_CONTROLLER_LIMIT_PER_HOUR
    count = ratelimit.hit(f"intake-controller:{controller.pk}", HOUR)
    if count > limit:
        if count == limit + 1:  # exactly one request per hour sees this count
            _alert_dpo(controller, limit)
        return Refusal(
            "controller",
            f"{controller.name} is receiving an unusual number of requests.",
            ratelimit.retry_after(HOUR),
        )
    return None


def confirmation_email_allowed(email: str) -> bool:
    """Whether this mailbox may get another confirmation email today (counts one if so)."""
    key = ratelimit.hashed_key("confirmation-email", normalise_email(email))
    if ratelimit.allow(key, settings.CONFIRMATION_EMAILS_PER_DAY, DAY):
        return True
    log.info("Confirmation email withheld: the daily cap for its mailbox is reached.")
    return False


def _alert_dpo(controller: Controller, limit: int) -> None:
    from ..emails import queue_email

    log.warning("Intake: hourly cap of %s reached for controller %s.", limit, controller.pk)
    to = controller.dpo_email or controller.team_email
    if not to:
        return
    queue_email(
        template="intake_cap_reached",
        to=to,
        context={"controller": controller, "limit": limit, "at": timezone.localtime()},
    )

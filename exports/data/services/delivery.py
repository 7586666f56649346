"""Delivering exports: expiring download links, each download recorded, and their purge.

A link is a row (who it is for, when it stops working, whether it was revoked) and a
signed token naming that row; the signature stops guessing, the row decides validity, so
an officer can revoke a link and the status page can show a live one again. Links go to
the requester (emailed, and shown on their status page) or, for portability to another
organisation (Art 20(2)), to the recipient address the requester gave.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from dsar.choices import ActorKind, PortabilityDestination, Status
from dsar.emails import queue_email
from dsar.errors import CaseActionError
from dsar.formats import local_time, long_date, plural
from dsar.models import Case
from dsar.services import lock_case, record_event

from ..models import Download, DownloadLink, Export

User = AbstractBaseUser
SALT = "exports.download-link"
MAX_DAYS = 90
EMAIL = re.compile(r"[^\s<>(),;:\"]+@[^\s<>(),;:\"]+\.[^\s<>(),;:\"]+")


class LinkUnusable(Exception):
    """The link cannot be used: ``expired`` (or revoked) gets a clear page, else a 404."""

    def __init__(self, *, expired: bool, link: DownloadLink | None = None) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired
        self.link = link


def make_token(link: DownloadLink) -> str:
    return signing.dumps({"link": link.pk}, salt=SALT, compress=True)


def link_path(link: DownloadLink) -> str:
    return reverse("exports:download", args=[make_token(link)])


def link_url(link: DownloadLink) -> str:
    return f"{settings.SITE_URL}{link_path(link)}"


def recipient_email_of(case: Case) -> str:
    """The address in what the requester wrote about the organisation to send to."""
    found = EMAIL.search(case.portability_recipient or "")
    return found.group(0).rstrip(".") if found else ""


def _when(moment: dt.datetime, case: Case) -> str:
    """ "9 October 2026 at 17:00", in the controller's time zone."""
    local = local_time(moment, case.controller.time_zone)
    return f"{long_date(local)} at {local:%H:%M}"


@transaction.atomic
def download_link_create(
    *,
    document,
    by: User | None,
    audience: str = DownloadLink.Audience.REQUESTER,
    days: int | None = None,
    recipient_email: str = "",
) -> DownloadLink:
    """Make a link to a ready export and email it to whoever it is for."""
    case = lock_case(document.case_id)
    days = settings.DOWNLOAD_LINK_DAYS if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise CaseActionError(f"A link may work for 1 to {MAX_DAYS} days.", field="days")
    if case.status in {Status.WITHDRAWN, Status.REFUSED}:
        raise CaseActionError("This request was withdrawn or refused: send no data.")
    export = Export.objects.filter(document=document).first()
    if export is None or not document.is_ready:
        raise CaseActionError("Only a finished export can be sent.")
    if audience == DownloadLink.Audience.REQUESTER:
        to = case.requester_email
        template = "export_link"
    elif audience == DownloadLink.Audience.RECIPIENT:
        if (
            export.purpose != Export.Purpose.PORTABILITY
            or case.portability_destination != PortabilityDestination.ORGANISATION
        ):
            raise CaseActionError(
                "Only a portability export the requester asked to send on goes to another "
                "organisation."
            )
        to = (recipient_email or "").strip() or recipient_email_of(case)
        if not to:
            raise CaseActionError(
                "Give the recipient's email address (the request names none).",
                field="recipient_email",
            )
        template = "export_link_recipient"
    else:
        raise CaseActionError("Choose who the link is for.", field="audience")
    link = DownloadLink.objects.create(
        document=document,
        audience=audience,
        sent_to=to,
        expires_at=timezone.now() + dt.timedelta(days=days),
        created_by=by,
    )
    whom = "the requester" if audience == DownloadLink.Audience.REQUESTER else to
    how = f"emailed to {whom}" if to else "shown on the requester's status page"
    record_event(
        case,
        "download_link_created",
        by=by,
        message=f"Download link to {document.title} {how}; it works until "
        f"{_when(link.expires_at, case)}.",
        data={
            "document_id": document.pk,
            "link_id": link.pk,
            "audience": audience,
            "expires_at": link.expires_at.isoformat(),
        },
    )
    if to:
        queue_email(
            template=template,
            to=to,
            case=case,
            context={
                "controller": case.controller,
                "document": document,
                "link_url": link_url(link),
                "expires": _when(link.expires_at, case),
                "days": days,
            },
        )
    return link


@transaction.atomic
def download_link_revoke(
    *, link: DownloadLink, by: User | None, actor_kind: str | None = None
) -> DownloadLink:
    """Stop a link: by an officer, or (``actor_kind`` requester) from the status page."""
    link = DownloadLink.objects.select_for_update().select_related("document__case").get(pk=link.pk)
    if link.revoked_at:
        return link
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    record_event(
        link.document.case,
        "download_link_revoked",
        by=by,
        actor_kind=actor_kind,
        message=f"Download link {link.pk} to {link.document.title} withdrawn.",
        data={"link_id": link.pk, "document_id": link.document_id},
    )
    return link


def read_token(token: str) -> int:
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise LinkUnusable(expired=False) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("link"), int):
        raise LinkUnusable(expired=False)
    return payload["link"]


@transaction.atomic
def download_open(*, token: str):
    """The document behind a live link, the download recorded; LinkUnusable otherwise."""
    link_id = read_token(token)
    link = (
        DownloadLink.objects.select_for_update(of=("self",))
        .select_related("document__case__controller")
        .filter(pk=link_id)
        .first()
    )
    if link is None:
        # Purged after it expired: a signed token for a link we made.
        raise LinkUnusable(expired=True)
    if not link.is_live:
        raise LinkUnusable(expired=True, link=link)
    if not link.document.is_ready:
        raise LinkUnusable(expired=False, link=link)
    Download.objects.create(link=link)
    DownloadLink.objects.filter(pk=link.pk).update(download_count=F("download_count") + 1)
    requester = link.audience == DownloadLink.Audience.REQUESTER
    record_event(
        link.document.case,
        "export_downloaded",
        actor_kind=ActorKind.REQUESTER if requester else ActorKind.SYSTEM,
        message=f"{link.document.title} downloaded by "
        f"{'the requester' if requester else 'the recipient organisation'}.",
        data={"link_id": link.pk, "document_id": link.document_id, "audience": link.audience},
    )
    return link.document


def download_links_purge_expired(*, limit: int = 500) -> int:
    """Delete links that stopped working (expired or revoked) a day or more ago, with an
    event each; the downloads stay on record as events. Returns how many went."""
    cutoff = timezone.now() - dt.timedelta(days=1)
    ids = list(
        DownloadLink.objects.filter(expires_at__lt=cutoff).values_list("pk", flat=True)[:limit]
    ) + list(
        DownloadLink.objects.filter(revoked_at__lt=cutoff).values_list("pk", flat=True)[:limit]
    )
    purged = 0
    for link_id in dict.fromkeys(ids):
        with transaction.atomic():
            link = (
                DownloadLink.objects.select_for_update(of=("self",))
                .select_related("document__case")
                .filter(pk=link_id)
                .first()
            )
            if link is None:
                continue
            case = link.document.case
            record_event(
                case,
                "download_link_purged",
                message=f"Expired download link {link.pk} removed after "
                f"{plural(link.download_count, 'download')}.",
                data={"link_id": link.pk, "downloads": link.download_count},
            )
            link.delete()
            purged += 1
    return purged

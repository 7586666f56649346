"""The requester ends their own links from the status page (issue 18 point 9): every
status link made so far (a forwarded or leaked one stops opening the page; they can ask
for a new one), or one download link. Each is an event on the case."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from dsar.choices import ActorKind

from . import services
from .status_views import _case_or_response


@never_cache
@require_POST
def revoke_status_links(request: HttpRequest, token: str) -> HttpResponse:
    found = _case_or_response(request, token)
    if isinstance(found, HttpResponse):
        return found
    services.status_links_revoke(case=found)
    messages.success(
        request,
        "Every link to your request's page has stopped working, this one too. "
        "To see your request again, ask for a new link here.",
    )
    return redirect("identity:ask_for_link")


@never_cache
@require_POST
def revoke_download_link(request: HttpRequest, token: str, link_id: int) -> HttpResponse:
    from exports.data import selectors
    from exports.data.models import DownloadLink
    from exports.data.services import delivery

    found = _case_or_response(request, token)
    if isinstance(found, HttpResponse):
        return found
    link = selectors.live_links(found, DownloadLink.Audience.REQUESTER).filter(pk=link_id).first()
    if link is None:
        raise Http404("No such download link on this request.")
    delivery.download_link_revoke(link=link, by=None, actor_kind=ActorKind.REQUESTER)
    messages.success(request, "That download link has stopped working.")
    return redirect("identity:status", token=token)

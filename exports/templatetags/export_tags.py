"""Template tags for pages outside this app that show its downloads (the status page)."""

from __future__ import annotations

from typing import Any

from django import template

from dsar.models import Case

register = template.Library()


@register.simple_tag
def requester_downloads(case: Case) -> list[dict[str, Any]]:
    """The requester's live download links to exports of ``case``, newest first."""
    from exports.data.models import DownloadLink
    from exports.data.selectors import live_links
    from exports.data.services.delivery import link_path

    return [
        {"link": link, "path": link_path(link), "document": link.document}
        for link in live_links(case, DownloadLink.Audience.REQUESTER)
        if link.document.is_ready
    ]

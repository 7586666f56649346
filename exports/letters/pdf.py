"""HTML to PDF with WeasyPrint: A4, tagged (PDF/UA-1), fonts from the system, no web.

Fonts come from fontconfig (Debian's fonts-dejavu-core: Latin with accents, Greek,
Cyrillic, Hebrew and Arabic); the letters' CSS names installed families and has no
@font-face, so nothing is ever downloaded. The URL fetcher refuses every address except
the controller's logo, read from storage by name: a letter can never make WeasyPrint
fetch anything from the network, whatever text an officer or requester typed.
"""

from __future__ import annotations

import logging
import mimetypes

from django.core.files.storage import default_storage

LOGO_SCHEME = "dsar-letterhead"
LOGO_PREFIX = "letterheads/"
# PDF/UA-1: tagged structure, document language and title, as accessibility requires.
PDF_VARIANT = "pdf/ua-1"

# WeasyPrint reports every layout step at INFO; only its warnings are worth logging.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def logo_url(storage_name: str) -> str:
    """How the stored HTML of a letter refers to a logo (resolved only by our fetcher)."""
    return f"{LOGO_SCHEME}:{storage_name}"


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StorageOnlyFetcher(URLFetcher):
        """Serves letterhead logos from storage; refuses everything else."""

        def fetch(self, url: str, headers=None):
            scheme, _, name = url.partition(":")
            if scheme != LOGO_SCHEME or not name.startswith(LOGO_PREFIX) or ".." in name:
                raise ValueError("Letters may not load anything from outside.")
            with default_storage.open(name, "rb") as handle:
                body = handle.read()
            content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StorageOnlyFetcher()


def html_to_pdf(html: str) -> bytes:
    """The PDF of one letter. Title and language come from the HTML's <title> and lang."""
    # Imported here: loading WeasyPrint (Pango through cffi) costs time at every start-up.
    from weasyprint import HTML

    document = HTML(string=html, url_fetcher=_fetcher(), media_type="print")
    return document.write_pdf(pdf_variant=PDF_VARIANT)

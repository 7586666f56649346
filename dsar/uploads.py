"""The one check for active content in every PDF and image this service accepts.

Evidence on the status page and in the API, files an officer gathers by hand, and the
documents of a disclosure bundle all pass through ``check_upload`` (or ``check_pdf`` /
``check_image``) before they are stored. A refused file raises ``UnsafeUpload`` with a
message for the person who sent it.

PDFs are parsed with pikepdf (qpdf): object streams are decompressed and names decoded
(``/J#61vaScript`` is ``/JavaScript``) before anything is looked at, so a keyword cannot hide
behind compression or escapes the way it can from a byte scan. Every object is walked,
and the file is refused if it holds JavaScript, an open action or additional actions, a
launch action, an embedded file, rich media or an XFA form: a scan or a letter needs none
of them. Images are decoded in full under a pixel limit, so a small file that would
inflate to gigabytes (a decompression bomb) is refused before it is expanded.

Pure functions over binary streams; they log nothing (a file's content never reaches a log).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import pikepdf
from django.conf import settings
from django.http.response import HttpResponseBase
from PIL import Image, ImageFile

PDF = "application/pdf"
IMAGES = {"image/jpeg": "JPEG", "image/png": "PNG"}

# Dictionary keys that carry something to run or to unpack on opening.
ACTIVE_KEYS = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/OpenAction": "an action run on opening",
    "/AA": "actions run on events",
    "/Launch": "a launch action",
    "/EmbeddedFile": "an embedded file",
    "/EmbeddedFiles": "an embedded file",
    "/RichMedia": "rich media",
    "/XFA": "an XFA form",
}
# Values of /S (action type) and /Type that are refused wherever they appear.
ACTIVE_TYPES = {
    "/JavaScript": "JavaScript",
    "/Launch": "a launch action",
    "/EmbeddedFile": "an embedded file",
    "/Filespec": "an attached file",
    "/RichMedia": "rich media",
    "/ImportData": "an import action",
    "/SubmitForm": "a form that sends data",
}
DEFAULT_MAX_PIXELS = 50_000_000  # a 600 dpi A4 scan is ~35 million


class UnsafeUpload(Exception):
    """The file cannot be accepted; ``message`` says why, in words for its sender."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_upload(stream: IO[bytes], content_type: str) -> None:
    """Check a PDF, JPEG or PNG already identified by its first bytes; rewinds the stream."""
    if content_type == PDF:
        check_pdf(stream)
    elif content_type in IMAGES:
        check_image(stream, content_type)
    else:
        raise UnsafeUpload("Send a PDF, JPEG or PNG file.")


def check_pdf(stream: IO[bytes]) -> None:
    """Refuse a PDF that cannot be parsed, is encrypted, or holds active content."""
    stream.seek(0)
    try:
        with pikepdf.open(stream) as pdf:
            found = _active_content(pdf)
    except pikepdf.PasswordError:
        raise UnsafeUpload(
            "This PDF is protected by a password, so we cannot check it. Send it without one."
        ) from None
    except pikepdf.PdfError:
        raise UnsafeUpload("This PDF is damaged and cannot be read. Send it again.") from None
    finally:
        stream.seek(0)
    if found:
        raise UnsafeUpload(
            f"This PDF contains {found}, which we cannot accept. Send a plain scan or "
            "photo of the document, or print it to a new PDF."
        )


def _active_content(pdf: pikepdf.Pdf) -> str | None:
    """What active content the document holds (in words), or None."""
    roots: list[Any] = [pdf.trailer, *pdf.objects]
    for root in roots:
        for obj in _walk(root):
            for key in obj.keys():  # noqa: SIM118 - pikepdf dictionaries iterate keys this way
                if key in ACTIVE_KEYS:
                    return ACTIVE_KEYS[key]
                if key in {"/S", "/Type", "/Subtype"}:
                    value = obj.get(key)
                    if isinstance(value, pikepdf.Name) and str(value) in ACTIVE_TYPES:
                        return ACTIVE_TYPES[str(value)]
    return None


def _walk(obj: Any) -> Iterator[Any]:
    """Every dictionary (streams' included) directly inside `obj`. Indirect objects are
    not followed: each is walked on its own, as one of ``pdf.objects``."""
    stack = [obj]
    first = True
    while stack:
        current = stack.pop()
        if not first and getattr(current, "is_indirect", False):
            continue
        first = False
        if isinstance(current, pikepdf.Stream):
            yield current.stream_dict
            stack.extend(current.stream_dict.values())
        elif isinstance(current, pikepdf.Dictionary):
            yield current
            stack.extend(current.values())
        elif isinstance(current, pikepdf.Array):
            stack.extend(current)


def check_image(stream: IO[bytes], content_type: str) -> None:
    """Decode the whole image under UPLOAD_IMAGE_MAX_PIXELS; refuse what fails."""
    limit = getattr(settings, "UPLOAD_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS)
    stream.seek(0)
    # Importing WeasyPrint switches on Pillow's process-wide "accept truncated images",
    # which would let a cut-short upload through: the check decodes with it off.
    lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
    try:
        with Image.open(stream, formats=[IMAGES[content_type]]) as image:
            width, height = image.size
            if width * height > limit:
                raise UnsafeUpload(
                    f"This image is too large ({width} by {height} pixels). Send a photo or "
                    "scan at a lower resolution."
                )
            image.load()
    except UnsafeUpload:
        raise
    except (Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise UnsafeUpload("This image is damaged or not a real image. Send it again.") from None
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
        stream.seek(0)


def sandboxed(response: HttpResponseBase) -> HttpResponseBase:
    """Headers for a stored file (evidence, letters, exports) served to a browser.

    ``sandbox`` makes the file its own opaque origin with no scripts, forms or plugins,
    whatever it holds; ``nosniff`` stops a browser from reading it as another type.
    (A sandboxed PDF is not shown by a browser's built-in viewer: PDFs are sent as
    downloads, to open in a desktop reader.)
    """
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response

"""Redaction that removes: PDFs by PyMuPDF, images by repainting pixels, text by rewriting.

Pure functions over bytes (no ORM, no storage), so the task, the tests and the bench call
the same code. For a PDF every mark becomes a redaction annotation and
``Page.apply_redactions`` then deletes what lies under it: the text (characters whose
box overlaps the mark), the pixels of images (blanked, the rest of the image kept) and
the vector drawing it covers. The file is then scrubbed: metadata (Info and XMP), every
annotation and form field, links, embedded and attached files, JavaScript and other
actions, thumbnails and hidden text, and the outline, before it is rewritten with
unused objects collected, so nothing removed survives as an orphaned object. A redaction
drawn as a black box over text that stays underneath is exactly what this must not be.

Marks come as areas (fractions 0-1 of a page as seen, from its top left) and terms
(found everywhere, without regard to case).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pymupdf
from PIL import Image, ImageDraw

BLACK = (0, 0, 0)
PREVIEW_ZOOM = 1.5
TEXT_MARK = "[redacted]"


@dataclass(frozen=True)
class Area:
    page: int  # 1-based
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 as fractions of the page


@dataclass(frozen=True)
class Result:
    data: bytes
    removed: int  # marks applied (areas, and each place a term was found)


class RedactionError(ValueError):
    """The file or the marks cannot be redacted; the message is for an officer."""


def _rect(page: pymupdf.Page, box: Sequence[float]) -> pymupdf.Rect:
    x0, y0, x1, y1 = (min(max(float(v), 0.0), 1.0) for v in box)
    seen = page.rect  # the page as displayed (rotation applied)
    rect = pymupdf.Rect(
        seen.x0 + min(x0, x1) * seen.width,
        seen.y0 + min(y0, y1) * seen.height,
        seen.x0 + max(x0, x1) * seen.width,
        seen.y0 + max(y0, y1) * seen.height,
    )
    return rect * page.derotation_matrix


def pdf_page_count(data: bytes) -> int:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return doc.page_count


def pdf_text(data: bytes) -> str:
    """Every page's text (for suggestions); empty for a scan without a text layer."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return "\n".join(page.get_text() for page in doc)


def pdf_preview(data: bytes, page_number: int) -> bytes:
    """A PNG of one page (1-based) as displayed, for marking areas on."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        if not 1 <= page_number <= doc.page_count:
            raise RedactionError(f"The document has {doc.page_count} page(s).")
        pixmap = doc[page_number - 1].get_pixmap(matrix=pymupdf.Matrix(PREVIEW_ZOOM, PREVIEW_ZOOM))
        return pixmap.tobytes("png")


def redact_pdf(data: bytes, *, areas: Iterable[Area] = (), terms: Iterable[str] = ()) -> Result:
    """The redacted, scrubbed copy of a PDF."""
    areas, terms = list(areas), [t for t in terms if t.strip()]
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:
        raise RedactionError("This file cannot be read as a PDF.") from exc
    with doc:
        if doc.needs_pass:
            raise RedactionError("The PDF is password-protected: ask for an unprotected copy.")
        removed = 0
        for area in areas:
            if not 1 <= area.page <= doc.page_count:
                raise RedactionError(
                    f"A mark is on page {area.page}; the document has {doc.page_count}."
                )
        for page in doc:
            marked = removed
            for area in areas:
                if area.page == page.number + 1:
                    page.add_redact_annot(_rect(page, area.box), fill=BLACK)
                    removed += 1
            text = page.get_textpage() if terms else None  # extracted once for every term
            for term in terms:
                for quad in page.search_for(term.strip(), quads=True, textpage=text):
                    page.add_redact_annot(quad, fill=BLACK)
                    removed += 1
            if removed == marked:
                continue  # nothing to remove here; _scrub still cleans the page
            page.apply_redactions(
                images=pymupdf.PDF_REDACT_IMAGE_PIXELS,
                graphics=pymupdf.PDF_REDACT_LINE_ART_REMOVE_IF_TOUCHED,
                text=pymupdf.PDF_REDACT_TEXT_REMOVE,
            )
        _scrub(doc)
        return Result(data=doc.tobytes(garbage=4, deflate=True, clean=True), removed=removed)


def _scrub(doc: pymupdf.Document) -> None:
    """Everything a reader could find besides the page content itself."""
    for page in doc:
        for widget in list(page.widgets()):
            page.delete_widget(widget)
        annot = page.first_annot
        while annot:
            annot = page.delete_annot(annot)
        for link in page.get_links():
            page.delete_link(link)
    doc.scrub(
        attached_files=True,
        clean_pages=False,  # the copy is saved with clean=True, which does the same
        embedded_files=True,
        hidden_text=True,
        javascript=True,
        metadata=True,
        redactions=False,  # applied above, with the options chosen there
        remove_links=True,
        reset_fields=True,
        reset_responses=True,
        thumbnails=True,
        xml_metadata=True,
    )
    doc.set_metadata({})
    doc.del_xml_metadata()
    doc.set_toc([])
    for name in list(doc.embfile_names()):
        doc.embfile_del(name)


def redact_image(data: bytes, *, areas: Iterable[Area] = (), content_type: str) -> Result:
    """Paint the marked areas black in the pixels themselves and write a new file, which
    also drops EXIF and other metadata (a camera's location, the device)."""
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except Exception as exc:
        raise RedactionError("This file cannot be read as an image.") from exc
    clean = image.convert("RGB") if content_type == "image/jpeg" else image.convert("RGBA")
    draw = ImageDraw.Draw(clean)
    removed = 0
    width, height = clean.size
    for area in areas:
        if area.page != 1:
            raise RedactionError("An image has one page.")
        x0, y0, x1, y1 = (min(max(float(v), 0.0), 1.0) for v in area.box)
        draw.rectangle(
            [min(x0, x1) * width, min(y0, y1) * height, max(x0, x1) * width, max(y0, y1) * height],
            fill=BLACK,
        )
        removed += 1
    out = io.BytesIO()
    if content_type == "image/jpeg":
        clean.save(out, format="JPEG", quality=90)
    else:
        clean.save(out, format="PNG")
    return Result(data=out.getvalue(), removed=removed)


def image_preview(data: bytes) -> bytes:
    image = Image.open(io.BytesIO(data))
    image.thumbnail((1400, 1400))
    out = io.BytesIO()
    image.convert("RGB").save(out, format="PNG")
    return out.getvalue()


def redact_text(data: bytes, *, terms: Iterable[str] = ()) -> Result:
    text = data.decode("utf-8")
    removed = 0
    for term in terms:
        if term.strip():
            text, n = re.subn(re.escape(term.strip()), TEXT_MARK, text, flags=re.IGNORECASE)
            removed += n
    return Result(data=text.encode("utf-8"), removed=removed)

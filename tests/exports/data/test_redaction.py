"""Redaction that removes: a WeasyPrint letter naming a third party, redacted by term and
by area, read back with pypdf, PyMuPDF and by scanning the raw (inflated) bytes."""

from __future__ import annotations

import io

import pymupdf
import pytest
from pypdf import PdfReader

from exports.data import redaction
from tests.exports.data.pdfs import (
    SIGNATURE_BLUE,
    SUBJECT,
    THIRD,
    THIRD_EMAIL,
    contains,
    letter_pdf,
    signature_png,
)


@pytest.fixture(scope="module")
def original() -> bytes:
    return letter_pdf()


def signature_area(data: bytes) -> redaction.Area:
    """The signature image's box on page 1, as fractions of the page (as the preview)."""
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        page = doc[0]
        (info,) = page.get_image_info()
        box = pymupdf.Rect(info["bbox"])
        w, h = page.rect.width, page.rect.height
        return redaction.Area(page=1, box=(box.x0 / w, box.y0 / h, box.x1 / w, box.y1 / h))


def blue_pixels(data: bytes, area: redaction.Area) -> int:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        page = doc[0]
        pix = page.get_pixmap()
        x0, y0, x1, y1 = area.box
        found = 0
        for y in range(int(y0 * pix.height), int(y1 * pix.height)):
            for x in range(int(x0 * pix.width), int(x1 * pix.width)):
                r, g, b = pix.pixel(x, y)[:3]
                if b > 150 and r < 100 and g < 120:
                    found += 1
        return found


def text_pypdf(data: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def text_pymupdf(data: bytes) -> str:
    with pymupdf.open(stream=data, filetype="pdf") as doc:
        return "\n".join(page.get_text() for page in doc)


def test_the_original_really_holds_the_third_party_everywhere_we_look(original):
    """The checks below can fail: the unredacted letter has the name and email in its
    text, its raw bytes (metadata, link annotation), a blue signature and annotations."""
    assert THIRD in text_pypdf(original) and THIRD_EMAIL in text_pymupdf(original)
    assert contains(original, THIRD) and contains(original, THIRD_EMAIL)
    assert blue_pixels(original, signature_area(original)) > 50
    with pymupdf.open(stream=original, filetype="pdf") as doc:
        assert THIRD in doc.metadata["title"]
        assert list(doc[0].annots()) or list(doc[0].links())


def test_redaction_removes_name_email_and_signature_and_keeps_the_subject(original):
    area = signature_area(original)
    result = redaction.redact_pdf(original, areas=[area], terms=[THIRD, THIRD_EMAIL])
    redacted = result.data

    assert result.removed >= 4  # the area, the name twice, the email at least once
    for text in (text_pypdf(redacted), text_pymupdf(redacted)):
        assert THIRD not in text
        assert "Samira" not in text and "Thirlwell" not in text
        assert THIRD_EMAIL not in text
        assert SUBJECT in text
    # Not in any object, stream, string or hex string of the file, inflated or not.
    assert not contains(redacted, THIRD)
    assert not contains(redacted, "Thirlwell")
    assert not contains(redacted, THIRD_EMAIL)
    assert not contains(redacted, "samira.thirlwell")
    # The signature's pixels are gone from under the mark.
    assert blue_pixels(redacted, area) == 0

    reader = PdfReader(io.BytesIO(redacted))
    assert not {k: v for k, v in (reader.metadata or {}).items() if v}
    assert "/Metadata" not in reader.trailer["/Root"]
    assert all(not page.get("/Annots") for page in reader.pages)  # none, or an empty list
    with pymupdf.open(stream=redacted, filetype="pdf") as doc:
        assert not any(doc.metadata.get(k) for k in ("title", "author", "subject", "keywords"))
        assert doc.get_xml_metadata() == ""
        assert doc.embfile_count() == 0
        assert all(not list(page.annots()) and not page.get_links() for page in doc)
        assert doc.get_toc() == []


def test_an_image_is_redacted_by_painting_its_pixels():
    png = signature_png()
    result = redaction.redact_image(
        png, areas=[redaction.Area(page=1, box=(0.0, 0.0, 1.0, 1.0))], content_type="image/png"
    )
    from PIL import Image

    image = Image.open(io.BytesIO(result.data)).convert("RGB")
    assert SIGNATURE_BLUE not in {image.getpixel((x, 40)) for x in range(image.width)}
    assert image.getpixel((120, 40)) == (0, 0, 0)


def test_plain_text_is_redacted_by_terms_without_regard_to_case():
    result = redaction.redact_text(
        f"Call from {THIRD.upper()} about {SUBJECT}.".encode(), terms=[THIRD]
    )
    assert result.data.decode() == f"Call from [redacted] about {SUBJECT}."
    assert result.removed == 1

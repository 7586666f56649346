"""Test documents: a letter made with WeasyPrint naming the subject and a third party,
with the third party's email (as a link, so it is in an annotation too), a signature
image and the third party in the metadata; and a scan of raw PDF bytes."""

from __future__ import annotations

import base64
import io
import re
import zlib

from PIL import Image, ImageDraw

SUBJECT = "Jane Doe"
THIRD = "Samira Thirlwell"
THIRD_EMAIL = "samira.thirlwell@example.net"
SIGNATURE_BLUE = (20, 40, 200)


def signature_png() -> bytes:
    image = Image.new("RGB", (240, 80), "white")
    draw = ImageDraw.Draw(image)
    draw.line([(10, 60), (60, 15), (110, 60), (160, 15), (230, 55)], fill=SIGNATURE_BLUE, width=6)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def letter_pdf() -> bytes:
    from weasyprint import HTML

    signature = base64.b64encode(signature_png()).decode()
    html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
    <title>Complaint notes by {THIRD}</title>
    <meta name="author" content="{THIRD}">
    <meta name="description" content="Written by {THIRD_EMAIL}">
    <style>@page {{ size: A4; margin: 2cm }} body {{ font-family: DejaVu Sans, sans-serif }}
    img {{ display: block; width: 6cm; height: 2cm; margin-top: 1cm }}</style></head>
    <body>
    <h1>Call notes</h1>
    <p>{SUBJECT} rang about her order. Her case was handled by {THIRD}.</p>
    <p>{THIRD} can be reached at <a href="mailto:{THIRD_EMAIL}">{THIRD_EMAIL}</a>.</p>
    <p>Signed for the branch:</p>
    <img src="data:image/png;base64,{signature}" alt="Signature">
    <p>Filed for {SUBJECT}.</p>
    </body></html>"""
    return HTML(string=html).write_pdf()


def expanded_bytes(data: bytes) -> bytes:
    """The file's bytes followed by every stream inflated: what a determined reader with
    a hex editor and zlib would see."""
    parts = [data]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            try:
                parts.append(zlib.decompressobj().decompress(match.group(1)))
            except zlib.error:
                continue
    return b"\n".join(parts)


def forms_of(text: str) -> list[bytes]:
    """How a PDF may store a string: plain, UTF-16BE, and as hex of either."""
    plain = text.encode("latin-1")
    utf16 = text.encode("utf-16-be")
    return [plain, utf16, plain.hex().encode(), plain.hex().upper().encode(),
            utf16.hex().encode(), utf16.hex().upper().encode()]  # fmt: skip


def contains(data: bytes, text: str) -> bool:
    expanded = expanded_bytes(data)
    return any(form in expanded for form in forms_of(text))

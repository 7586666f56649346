"""Attack: active content in uploads. Each crafted file is refused by the one checker
(tests/identity/test_upload_attacks.py sends them through the status page and the API)."""

from __future__ import annotations

import io

import pikepdf
import pytest
from PIL import Image, ImageFile

from dsar import uploads
from tests.identity.factories import PDF


def _pdf(change=None, **save) -> bytes:
    """A one-page PDF, altered by `change(pdf)` before saving."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    if change:
        change(pdf)
    out = io.BytesIO()
    pdf.save(out, **save)
    return out.getvalue()


def _link_with_action(action: str) -> bytes:
    """A page whose link annotation carries `action`, written as raw PDF syntax."""
    annotation = (
        "<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] /A " + action + " >>"
    ).encode()
    plain = _pdf(compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    # Add /Annots to the page by editing bytes: pikepdf would normalise the names we hide.
    return plain.replace(b"/Type /Page", b"/Annots [ " + annotation + b" ] /Type /Page", 1)


def escaped_javascript() -> bytes:
    # /J#61vaScript is /JavaScript and /J#53 is /JS once the names are decoded.
    return _link_with_action("<< /S /J#61vaScript /J#53 (app.alert(1)) >>")


def open_action_in_object_stream() -> bytes:
    def add(pdf):
        action = pdf.make_indirect(
            pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        )
        pdf.Root.OpenAction = action

    return _pdf(add, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)


def launch_action() -> bytes:
    return _link_with_action("<< /S /Launch /F (C:\\\\Windows\\\\System32\\\\calc.exe) >>")


def embedded_file() -> bytes:
    def add(pdf):
        pdf.attachments["invoice.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ payload")

    return _pdf(add)


def xfa_form() -> bytes:
    def add(pdf):
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array(), XFA=pikepdf.Array())

    return _pdf(add)


ATTACKS = {
    "escaped /J#61vaScript": escaped_javascript,
    "OpenAction in a compressed object stream": open_action_in_object_stream,
    "Launch action": launch_action,
    "embedded file": embedded_file,
    "XFA form": xfa_form,
}


def test_the_hidden_ones_really_are_hidden_from_a_byte_scan():
    assert b"/JavaScript" not in escaped_javascript()
    assert b"/JS" not in escaped_javascript()
    hidden = open_action_in_object_stream()
    assert b"OpenAction" not in hidden and b"JavaScript" not in hidden


@pytest.mark.parametrize("make", ATTACKS.values(), ids=ATTACKS.keys())
def test_the_checker_refuses_each_attack(make):
    with pytest.raises(uploads.UnsafeUpload, match="which we cannot accept"):
        uploads.check_pdf(io.BytesIO(make()))


def test_a_plain_pdf_and_a_plain_link_pass():
    uploads.check_pdf(io.BytesIO(PDF))
    uploads.check_pdf(io.BytesIO(_link_with_action("<< /S /URI /URI (https://example.org) >>")))


def test_additional_actions_are_refused():
    def add(pdf):
        pdf.pages[0].obj.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.URI))

    with pytest.raises(uploads.UnsafeUpload):
        uploads.check_pdf(io.BytesIO(_pdf(add)))


def test_an_image_over_the_pixel_limit_is_refused_before_decoding(settings):
    settings.UPLOAD_IMAGE_MAX_PIXELS = 100 * 100
    out = io.BytesIO()
    Image.new("L", (200, 200)).save(out, "PNG")  # a few hundred bytes, 40,000 pixels
    with pytest.raises(uploads.UnsafeUpload, match="too large"):
        uploads.check_image(io.BytesIO(out.getvalue()), "image/png")


def test_a_truncated_image_is_refused():
    out = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(out, "JPEG")
    with pytest.raises(uploads.UnsafeUpload, match="damaged"):
        uploads.check_image(io.BytesIO(out.getvalue()[:200]), "image/jpeg")


def test_a_truncated_image_is_refused_once_weasyprint_is_loaded():
    """WeasyPrint, loaded by every process that makes letters, tells Pillow to accept
    truncated images; the upload check must not inherit that."""
    import weasyprint  # noqa: F401  (its import sets the flag)

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    out = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(out, "PNG")
    with pytest.raises(uploads.UnsafeUpload, match="damaged"):
        uploads.check_image(io.BytesIO(out.getvalue()[:60]), "image/png")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # WeasyPrint's own setting is kept

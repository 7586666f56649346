"""The file checks: by content, never by name; size limits; active PDFs refused."""

import io

import pytest

from identity.evidence import EvidenceRejected, check_file, human_size, sniff
from tests.identity.factories import EXE, JPEG, PDF, PNG

MB = 1024 * 1024


def check(content: bytes, max_bytes: int = 10 * MB):
    return check_file(io.BytesIO(content), size=len(content), max_bytes=max_bytes)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF, "application/pdf"),
        (JPEG, "image/jpeg"),
        (PNG, "image/png"),
        (EXE, None),
        (b"\x7fELF\x02\x01\x01", None),
        (b"GIF89a", None),
        (b"<html><script>", None),
        (b"PK\x03\x04", None),  # a zip (or .docx)
        (b"", None),
        (b" %PDF-1.4", None),  # not at the start
    ],
)
def test_sniff_recognises_only_pdf_jpeg_and_png_by_their_first_bytes(content, expected):
    assert sniff(content) == expected


def test_a_pdf_is_accepted_with_its_size_and_sha256():
    import hashlib

    checked = check(PDF)
    assert checked.content_type == "application/pdf"
    assert checked.extension == ".pdf"
    assert checked.size == len(PDF)
    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()


def test_images_are_accepted():
    assert check(JPEG).extension == ".jpg"
    assert check(PNG).extension == ".png"


def test_an_executable_renamed_pdf_is_refused_whatever_its_name():
    with pytest.raises(EvidenceRejected, match="not a PDF, JPEG or PNG, whatever its name says"):
        check(EXE)


def test_a_file_over_the_limit_is_refused_with_the_limit_in_words():
    with pytest.raises(EvidenceRejected, match=r"too big \(2 MB\).*up to 1 MB"):
        check_file(io.BytesIO(b"%PDF-"), size=2 * MB, max_bytes=1 * MB)


def test_a_stream_longer_than_it_claimed_is_still_refused():
    content = b"%PDF-1.4\n" + b"0" * 2000
    with pytest.raises(EvidenceRejected, match="too big"):
        check_file(io.BytesIO(content), size=100, max_bytes=1000)


def test_an_empty_file_is_refused():
    with pytest.raises(EvidenceRejected, match="empty"):
        check(b"")


@pytest.mark.parametrize("keyword", [b"/JavaScript", b"/JS", b"/Launch", b"/EmbeddedFile"])
def test_a_pdf_with_scripts_or_attachments_is_refused(keyword):
    content = PDF.replace(
        b"/Type /Catalog", b"/Type /Catalog /OpenAction << " + keyword + b" 6 0 R >>"
    )
    with pytest.raises(EvidenceRejected, match="which we cannot accept"):
        check(content)


def test_names_that_merely_start_like_a_keyword_are_fine():
    content = PDF.replace(b"/Type /Catalog", b"/Type /Catalog /JSONData 1 /Launcher 2")
    assert check(content).content_type == "application/pdf"


def test_the_stream_is_rewound_for_storing():
    stream = io.BytesIO(PDF)
    check_file(stream, size=len(PDF), max_bytes=MB)
    assert stream.tell() == 0


@pytest.mark.parametrize(
    ("size", "words"),
    [(0, "0 bytes"), (900, "900 bytes"), (1536, "1.5 KB"), (10 * MB, "10 MB"), (MB + 1, "1 MB")],
)
def test_sizes_read_as_words(size, words):
    assert human_size(size) == words

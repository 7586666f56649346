"""The signature a receiver checks: HMAC-SHA256 over "<timestamp>.<body>"."""

from __future__ import annotations

import hashlib
import hmac

from dsar.webhooks import signing

SECRET = "whsec_test"
BODY = b'{"id":"1","type":"case.created"}'


def test_the_signature_is_hmac_sha256_of_timestamp_dot_body():
    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()

    assert signing.sign(SECRET, 1700000000, BODY) == f"v1={expected}"


def test_a_good_recent_signature_verifies():
    header = signing.sign(SECRET, 1700000000, BODY)

    assert signing.verify(SECRET, BODY, "1700000000", header, now=1700000100)


def test_a_changed_body_a_wrong_secret_or_an_old_timestamp_fail():
    header = signing.sign(SECRET, 1700000000, BODY)

    assert not signing.verify(SECRET, BODY + b" ", "1700000000", header, now=1700000000)
    assert not signing.verify("whsec_other", BODY, "1700000000", header, now=1700000000)
    assert not signing.verify(SECRET, BODY, "1700000000", header, now=1700000000 + 301)
    assert not signing.verify(SECRET, BODY, "1700000001", header, now=1700000000)
    assert not signing.verify(SECRET, BODY, "soon", header, now=1700000000)

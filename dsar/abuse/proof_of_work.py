"""An optional proof-of-work check on the public side, run on this server (no third party).

Switched on by ``INTAKE_PROOF_OF_WORK_BITS`` (0, the default, is off). A challenge is a
signed, time-limited token holding a random nonce and the number of bits. The client
finds a ``solution`` such that ``sha256(f"{challenge}:{solution}")`` starts with that many
zero bits: about 2**bits hashes, a second or so in a browser at 16-20 bits, so a script
sending thousands of requests pays for each one while a person barely notices.

Each challenge is good for one request (remembered in the cache for the rest of its
life). If the cache cannot be reached the challenge is accepted anyway: a request is
never refused because a helper is down (issue 20).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache

log = logging.getLogger(__name__)

SALT = "dsar.abuse.proof_of_work"
MAX_AGE_SECONDS = 30 * 60
# A solution is a counter; anything longer is not one and is not worth hashing.
SOLUTION_MAX_LENGTH = 32
USED_KEY_PREFIX = "pow-used"

MISSING = "The automatic anti-spam check on this request is missing. Please send it again."
MISSING_IN_BROWSER = (
    "Your browser did not run the automatic anti-spam check. This form needs JavaScript "
    "switched on: switch it on and send the form again, or use one of the other ways to ask."
)
INVALID = "The automatic anti-spam check on this request is not valid. Please send it again."
EXPIRED = (
    "The automatic anti-spam check on this request has expired (it lasts "
    f"{MAX_AGE_SECONDS // 60} minutes). Please send it again."
)
WRONG = "The automatic anti-spam check on this request was not completed. Please send it again."
USED = "The automatic anti-spam check on this request has already been used. Please send it again."


class ProofOfWorkError(Exception):
    """Why a solution was refused, in words a requester can act on."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason  # "missing", "invalid", "expired", "wrong" or "used"
        self.message = message


@dataclass(frozen=True)
class Challenge:
    challenge: str
    bits: int


def bits_required() -> int:
    """The difficulty now asked for; 0 means the check is off."""
    return max(0, int(getattr(settings, "INTAKE_PROOF_OF_WORK_BITS", 0) or 0))


def is_on() -> bool:
    return bits_required() > 0


def new_challenge(bits: int | None = None) -> Challenge:
    """A fresh signed challenge for `bits` (the setting's value by default)."""
    bits = bits_required() if bits is None else bits
    payload = {"n": secrets.token_urlsafe(16), "b": bits, "t": int(time.time())}
    return Challenge(signing.dumps(payload, salt=SALT, compress=False), bits)


def leading_zero_bits(digest: bytes) -> int:
    value = int.from_bytes(digest, "big")
    return len(digest) * 8 - value.bit_length()


def solves(challenge: str, solution: str, bits: int) -> bool:
    digest = hashlib.sha256(f"{challenge}:{solution}".encode()).digest()
    return leading_zero_bits(digest) >= bits


def solve(challenge: str, bits: int) -> str:
    """Find a solution (for tests and for scripts using the API)."""
    counter = 0
    while not solves(challenge, str(counter), bits):
        counter += 1
    return str(counter)


def verify(challenge: str, solution: str) -> None:
    """Accept a solved challenge once; raise ProofOfWorkError otherwise."""
    if not challenge or not solution:
        raise ProofOfWorkError("missing", MISSING)
    try:
        payload = signing.loads(challenge, salt=SALT, max_age=MAX_AGE_SECONDS)
    except signing.SignatureExpired:
        raise ProofOfWorkError("expired", EXPIRED) from None
    except signing.BadSignature:
        raise ProofOfWorkError("invalid", INVALID) from None
    try:
        nonce, bits, issued = str(payload["n"]), int(payload["b"]), int(payload["t"])
    except (KeyError, TypeError, ValueError):
        raise ProofOfWorkError("invalid", INVALID) from None
    if len(solution) > SOLUTION_MAX_LENGTH or not solves(challenge, solution, bits):
        raise ProofOfWorkError("wrong", WRONG)
    remaining = max(1, MAX_AGE_SECONDS - (int(time.time()) - issued) + 1)
    try:
        first_use = cache.add(f"{USED_KEY_PREFIX}:{nonce}", 1, timeout=remaining)
    except Exception:  # a dead cache must not refuse a request (issue 20)
        log.warning("Proof of work: cache unreachable, challenge accepted without a reuse check.")
        return
    if not first_use:
        raise ProofOfWorkError("used", USED)

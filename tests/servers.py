"""Tests that need a server or a browser skip with a reason locally, and fail under CI."""

import os

import pytest


def unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
        pytest.fail(f"{reason} (CI must provide it)")
    pytest.skip(reason)

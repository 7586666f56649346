"""The core's clock actions (pause, extend, fee) send a letter by post through this:
registered as ``dsar.hooks.letter_senders`` in ExportsConfig.ready()."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser

from dsar.models import Case


def send_by_post(
    *, case: Case, kind: str, fields: Mapping[str, str], by: AbstractBaseUser | None
) -> object:
    """Issue the letter ``kind`` for posting, in the caller's transaction."""
    from .services import letter_issue  # the letters service imports this package

    return letter_issue(case=case, kind=kind, by=by, fields=dict(fields), delivery="post")

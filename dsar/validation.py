"""What a request must say, per right: one rule shared by the public form and the API.

Both take a mapping of case field names (see ``services.CASE_INPUT_FIELDS``) to the
values the requester gave and get back ``{field: message}``; an empty dict means valid.
The messages are written for the requester (plain English, UK spelling).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .choices import PortabilityDestination, Relationship, ReplyChannel, Right


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def validate_right_fields(right: str, data: Mapping[str, Any]) -> dict[str, str]:
    """The fields a request for ``right`` needs.

    - rectification: what is inaccurate and what it should say;
    - objection: which processing is objected to, or direct marketing;
    - portability to another organisation: which organisation.
    """
    errors: dict[str, str] = {}
    if right == Right.RECTIFICATION:
        if _blank(data.get("rectification_inaccurate")):
            errors["rectification_inaccurate"] = "Tell us which information is inaccurate."
        if _blank(data.get("rectification_correction")):
            errors["rectification_correction"] = "Tell us what the information should say."
    elif right == Right.OBJECTION:
        if _blank(data.get("objection_processing")) and not data.get("objection_direct_marketing"):
            errors["objection_processing"] = (
                "Tell us which use of your data you object to, or choose direct marketing."
            )
    elif (
        right == Right.PORTABILITY
        and data.get("portability_destination") == PortabilityDestination.ORGANISATION
        and _blank(data.get("portability_recipient"))
    ):
        errors["portability_recipient"] = (
            "Tell us which organisation should receive your data, and how to reach it."
        )
    return errors


def validate_request_fields(right: str, data: Mapping[str, Any]) -> dict[str, str]:
    """:func:`validate_right_fields` plus the rules every request shares.

    - someone acting for another person names that person;
    - a reply by post needs a postal address.
    """
    errors = validate_right_fields(right, data)
    relationship = data.get("relationship") or Relationship.SELF
    if relationship != Relationship.SELF and _blank(data.get("subject_name")):
        errors["subject_name"] = "Tell us the name of the person whose data you are asking about."
    if data.get("preferred_reply") == ReplyChannel.POST and _blank(data.get("requester_address")):
        errors["requester_address"] = "Give a postal address so we can reply by post."
    return errors

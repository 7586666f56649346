"""The API's JSON parser, strict about shapes that would otherwise cost a 500 or a DoS.

DRF's own parser hands the body to ``json.loads``: 100,000 nested brackets overflow the
stack (a 500), a 4,301-digit number trips Python's int limit deep in a serializer, and
``NaN`` or ``1e999`` become floats no field expects. Here each is a 400 with a clear
message instead, before any view sees the data.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_DEPTH = 32
MAX_NUMBER_LENGTH = 40


def _number(text: str, convert: type) -> Any:
    if len(text) > MAX_NUMBER_LENGTH:
        raise ParseError(f"A number in the JSON has more than {MAX_NUMBER_LENGTH} characters.")
    value = convert(text)
    if convert is float and value in (float("inf"), float("-inf")):
        raise ParseError("A number in the JSON is too large.")
    return value


def _constant(name: str) -> Any:
    raise ParseError(f"{name} is not a JSON value.")


def _depth(value: Any) -> int:
    """How deeply lists and objects nest (iterative: no recursion to overflow)."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if isinstance(current, dict):
            children = current.values()
        elif isinstance(current, list):
            children = current
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children)
    return deepest


class StrictJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError:
            raise ParseError("The body is not valid UTF-8 text.") from None
        try:
            data = json.loads(
                text,
                parse_int=lambda t: _number(t, int),
                parse_float=lambda t: _number(t, float),
                parse_constant=_constant,
            )
        except RecursionError:
            raise ParseError(f"The JSON nests deeper than {MAX_DEPTH} levels.") from None
        except ValueError as exc:
            raise ParseError(f"The body is not valid JSON: {exc}") from None
        if _depth(data) > MAX_DEPTH:
            raise ParseError(f"The JSON nests deeper than {MAX_DEPTH} levels.")
        return data

"""The OpenAPI schema's shared parts: one error shape, documented on every operation.

A drf-spectacular post-processing hook (``SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]``),
so endpoints of every app (dsar, identity, exports) get the same treatment without each
view repeating it:

- an ``Error`` component: ``{"detail": str, "errors": {field: [messages]}}``
  (dsar.api.errors makes every error response that shape);
- every error response a view declared with a description only gets that body;
- the errors any operation can answer are added where missing: 400 when it takes input
  (a body or query parameters), 401 and 403 when it needs authentication, 404 when its
  path names something or its list is paginated (an unknown page), 429 (throttles).
"""

from __future__ import annotations

from typing import Any

ERROR = {
    "type": "object",
    "description": "Every error: one clear sentence, and the fields at fault when there are.",
    "properties": {
        "detail": {"type": "string", "example": "Invalid input: This field is required."},
        "errors": {
            "type": "object",
            "description": "Messages by field name (nested for nested input).",
            "additionalProperties": {},
            "example": {"reason": ["This field is required."]},
        },
    },
    "required": ["detail"],
}
DEFAULTS = {
    "400": "Invalid input, or a move the case's state does not allow.",
    "401": "Not authenticated: send `Authorization: Token <key>` or sign in.",
    "403": "Not allowed: not an officer, or a read-only role where acting is needed.",
    "404": "No such thing visible to you (other controllers' data is never shown).",
    "429": "Too many requests: wait for the number of seconds in `Retry-After`.",
}
REF = {"$ref": "#/components/schemas/Error"}
METHODS = {"get", "post", "put", "patch", "delete"}


def _needs_auth(operation: dict[str, Any]) -> bool:
    security = operation.get("security")
    return bool(security) and any(requirement for requirement in security)


def add_error_responses(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            params = operation.get("parameters", [])
            codes = {"429"}
            if operation.get("requestBody") or any(p.get("in") == "query" for p in params):
                codes.add("400")
            if _needs_auth(operation):
                codes |= {"401", "403"}
            if "{" in path or any(p.get("name") == "page" for p in params):
                codes.add("404")
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(code, {"description": DEFAULTS[code]})
            for code, response in responses.items():
                if code.startswith("4") and "content" not in response:
                    response["content"] = {"application/json": {"schema": REF}}
    return result

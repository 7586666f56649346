"""One JSON error shape for the whole API: {"detail": "...", "errors": {field: [...]}}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dsar.errors import CaseActionError, ConflictError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, CaseActionError):
        body: dict[str, Any] = {"detail": exc.message}
        if exc.field:
            body["errors"] = {exc.field: [exc.message]}
        code = (
            status.HTTP_409_CONFLICT
            if isinstance(exc, ConflictError)
            else status.HTTP_400_BAD_REQUEST
        )
        return Response(body, status=code)
    if isinstance(exc, DjangoValidationError):
        # A rule a service or a model refuses (the settings pages' services raise these):
        # the usual 400 with the rule's own words, shaped below like a serializer's.
        exc = ValidationError(get_error_detail(exc))
    if isinstance(exc, ObjectDoesNotExist):
        return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, OverflowError):
        # An id in the path too large for the database (SQLite raises; PostgreSQL simply
        # finds nothing): it cannot name anything, so it is a 404 like any unknown id.
        return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    # Already shaped (DRF's own errors: a string detail). A serializer field that happens
    # to be called "detail" gives a list instead, and is shaped like any field error.
    if isinstance(data, dict) and isinstance(data.get("detail"), str):
        return response
    errors = data if isinstance(data, dict) else {"non_field_errors": data}
    first = next(iter(errors.values()), ["Invalid input."])
    message = first[0] if isinstance(first, list) and first else str(first)
    response.data = {"detail": f"Invalid input: {message}", "errors": errors}
    return response


@csrf_exempt  # it changes nothing; a POST to a wrong path must get this 404, not a CSRF 403
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """A path under /api/ that matches no endpoint: the same JSON shape, not an HTML page."""
    return JsonResponse({"detail": "Not found: no such API endpoint."}, status=404)

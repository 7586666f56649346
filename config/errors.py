"""Errors answered the same way in every environment, DEBUG or not.

- Under ``/api/`` every error is JSON in the API's one shape (``{"detail": ...}``, plus
  ``errors`` when fields are at fault): 500, 413 (a body
  over ``DATA_UPLOAD_MAX_MEMORY_SIZE``) and 503 included, never Django's HTML page.
- The database being unreachable is the one thing allowed to refuse a request: a 503 that
  says to try again shortly (a page, or JSON under ``/api/``), never a bare 500. Django
  closes the broken connection at the end of the request, and the next request opens a
  fresh one (``CONN_HEALTH_CHECKS``), so the process recovers by itself.

`ErrorsMiddleware` turns exceptions raised in views into these answers (before DEBUG's
technical page); ``handler400`` and ``handler500`` (config.urls) do the same for the few
raised outside a view.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string

log = logging.getLogger("django.request")

RETRY_AFTER_SECONDS = 30
UNAVAILABLE = "The service is briefly unavailable: please try again shortly."
TOO_LARGE = "The request body is too large."
SERVER_ERROR = "Something went wrong on our side; it has been logged. Please try again later."


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def database_down(exc: BaseException) -> bool:
    """The database refused, dropped or timed out a connection (or a lock or serialisation
    conflict): transient, so worth a 503 and a retry. A bad query stays a logged 500."""
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        response: HttpResponse = JsonResponse({"detail": UNAVAILABLE}, status=503)
    else:
        response = HttpResponse(render_to_string("errors/unavailable.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def too_large(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": TOO_LARGE}, status=413)
    return HttpResponse(render_to_string("errors/too_large.html"), status=413)


def server_error_response(request: HttpRequest) -> HttpResponse:
    if is_api(request):
        return JsonResponse({"detail": SERVER_ERROR}, status=500)
    return HttpResponse(render_to_string("errors/server_error.html"), status=500)


class ErrorsMiddleware:
    """Exceptions from views: 503 for the database down, 413 for a body too large, and
    JSON 500 under /api/ (logged with its traceback, as Django logs any 500)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if isinstance(exc, RequestDataTooBig):
            return too_large(request)
        if database_down(exc):
            log.warning("Database unreachable during %s (%s).", request.path, type(exc).__name__)
            return unavailable(request)
        if is_api(request):
            log.error("Server error: %s", request.path, exc_info=exc)
            return server_error_response(request)
        return None


def handler400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return too_large(request)
    if is_api(request):
        return JsonResponse({"detail": "Bad request."}, status=400)
    from django.views.defaults import bad_request

    return bad_request(request, exception)


def handler500(request: HttpRequest) -> HttpResponse:
    exc = sys.exc_info()[1]
    if database_down(exc):
        return unavailable(request)
    return server_error_response(request)

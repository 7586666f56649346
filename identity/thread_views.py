"""The message thread on the requester's status page: read, answer, download files.

Files are checked by content exactly as identity evidence is (``evidence.check_file``:
an executable renamed ``.pdf`` is refused); the writing goes through dsar.thread.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from dsar import ratelimit
from dsar.errors import CaseActionError
from dsar.thread import services as thread_services
from dsar.thread.files import serve_message_file
from dsar.thread.models import MessageFile

from . import evidence
from .status_views import (
    RATE_LIMIT_WINDOW,
    EvidenceSizeLimit,
    _case_or_response,
    _render,
    _too_big_message,
)
from .thread_forms import RequesterMessageForm

MESSAGES_PER_HOUR = 20  # per case


@csrf_exempt  # checked by _message once the size limit is in place, as for evidence
@never_cache
@require_POST
def message(request: HttpRequest, token: str) -> HttpResponse:
    limit = EvidenceSizeLimit(request, settings.EVIDENCE_MAX_BYTES)
    request.upload_handlers.insert(0, limit)
    return _message(request, token, limit)


@csrf_protect
def _message(request: HttpRequest, token: str, limit: EvidenceSizeLimit) -> HttpResponse:
    found = _case_or_response(request, token)
    if isinstance(found, HttpResponse):
        return found
    case = found
    form = RequesterMessageForm(request.POST, request.FILES)
    if not ratelimit.allow(f"thread-message:{case.pk}", MESSAGES_PER_HOUR, RATE_LIMIT_WINDOW):
        form.is_valid()
        form.add_error(None, "You have sent a lot of messages in the last hour. Try again later.")
        return _render(request, token, case, thread_form=form, status=429)
    if limit.too_big:
        form.is_valid()
        form.errors.pop("files", None)
        form.add_error("files", _too_big_message())
        return _render(request, token, case, thread_form=form, status=413)
    if form.is_valid():
        try:
            uploads = [_checked(f) for f in form.cleaned_data["files"]]
            thread_services.message_from_requester(
                case=case, body=form.cleaned_data["body"], uploads=uploads
            )
        except evidence.EvidenceRejected as exc:
            form.add_error("files", exc.message)
        except CaseActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Thank you: we have your message and will read it soon.")
            return redirect("identity:status", token=token)
    return _render(request, token, case, thread_form=form, status=400)


def _checked(upload) -> thread_services.Upload:
    checked = evidence.check_file(
        upload, size=upload.size or 0, max_bytes=settings.EVIDENCE_MAX_BYTES
    )
    stem = os.path.splitext(os.path.basename(upload.name or ""))[0][:80] or "file"
    return thread_services.Upload(
        name=f"{stem}{checked.extension}",
        stream=upload,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
    )


@never_cache
@require_GET
def message_file(request: HttpRequest, token: str, file_id: int) -> HttpResponse:
    """A file on the thread of this link's case only."""
    found = _case_or_response(request, token)
    if isinstance(found, HttpResponse):
        return found
    stored = MessageFile.objects.filter(pk=file_id, message__case=found).first()
    if stored is None:
        raise Http404("No such file on this request.")
    return serve_message_file(stored)

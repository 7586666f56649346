"""The requester's status page: `/status/<token>/` and asking for a new link at `/status/`.

No login: the signed link emailed to the requester is the key, and it opens one case only
(every step or upload address is looked up through that case). The page shows no name or
address, only what the requester needs: reference, right, status in plain words, due
date, what to send next, and a way to withdraw.

`/status/` answers every valid request the same way ("if we hold a request for that
address, we have emailed you a link"), whether or not a case exists, and the work is
handed to a task so the answer takes the same time either way.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.crypto import salted_hmac
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dsar import jobs, ratelimit
from dsar import services as case_services
from dsar.choices import ActorKind, Status
from dsar.errors import CaseActionError
from dsar.models import Case, Controller
from dsar.panels import status_panels
from dsar.tokens import InvalidLink

from . import evidence_services, policies, selectors, services
from .choices import UPLOAD_METHODS, StepStatus
from .clock_status import clock_context
from .evidence import EvidenceRejected, human_size
from .forms import EvidenceUploadForm, StatusLinkForm, WithdrawForm
from .thread_context import thread_context
from .tokens import STATUS_SALT, is_revoked, read_status_token

log = logging.getLogger(__name__)

RATE_LIMIT_WINDOW = 3600
UPLOADS_PER_HOUR = 20  # per case: plenty for a person, a ceiling for a leaked link

STATUS_WORDS = {
    Status.UNCONFIRMED: "Waiting for you to confirm your email address.",
    Status.AWAITING_IDENTITY: "We need to check who you are before we can start.",
    Status.IN_PROGRESS: "We are working on your request.",
    Status.AWAITING_REQUESTER: "Paused: we have asked you a question and are waiting for "
    "your answer.",
    Status.READY_FOR_REVIEW: "We are checking our reply before we send it.",
    Status.CLOSED: "We have answered your request.",
    Status.WITHDRAWN: "You withdrew this request.",
    Status.REFUSED: "We have refused this request.",
}


# --- the page ---------------------------------------------------------------------------


def _controller_of_expired(token: str) -> Controller | None:
    """For an expired link, whose organisation it was (to fill in the new-link form)."""
    try:
        payload = signing.loads(token, salt=STATUS_SALT)
    except signing.BadSignature:
        return None
    case = selectors.case_for_status_page(str(payload.get("case", "")))
    return case.controller if case else None


def _case_or_response(request: HttpRequest, token: str) -> Case | HttpResponse:
    try:
        reference = read_status_token(token)
    except InvalidLink as exc:
        if exc.expired:
            return render(
                request,
                "status/link_expired.html",
                {
                    "controller": _controller_of_expired(token),
                    "max_age_days": settings.STATUS_LINK_MAX_AGE_DAYS,
                },
                status=410,
            )
        return render(request, "status/link_invalid.html", status=404)
    case = selectors.case_for_status_page(reference)
    if case is None or is_revoked(case, token):  # the requester stopped it (issue 18)
        return render(request, "status/link_invalid.html", status=404)
    return case


def _under_heading(what: str, heading: str) -> str:
    """The sentence without the heading it sits under ("Proof of your identity" once)."""
    rest = what.removeprefix(f"{heading}: ")
    return what if rest == what else f"Send {rest}"


def _needed(case: Case) -> list[dict[str, Any]]:
    """Each step the requester can see, with what to do about it."""
    steps = selectors.steps_for_case(case)
    documents = policies.accepted_documents(case, policies.policy_for(case))
    latest: dict[str, Any] = {}
    for step in steps:
        latest[step.method] = step
    items = []
    for step in latest.values():
        files = list(step.evidence.all())
        items.append(
            {
                "step": step,
                "what": _under_heading(
                    policies.what_we_need(step.method, case, documents),
                    policies.HEADINGS[step.method],
                ),
                "label": policies.HEADINGS[step.method],
                "files": files,
                "last_sent": files[-1].uploaded_at if files else None,
                "can_upload": step.is_pending and step.method in UPLOAD_METHODS and case.is_open,
                "documents": documents,
            }
        )
    return items


def _render(
    request: HttpRequest,
    token: str,
    case: Case,
    *,
    bound_upload: EvidenceUploadForm | None = None,
    withdraw_form: WithdrawForm | None = None,
    thread_form: Any = None,
    answer_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    items = _needed(case)
    for item in items:
        step = item["step"]
        if not item["can_upload"]:
            item["form"] = None
        elif bound_upload is not None and bound_upload.step.pk == step.pk:
            item["form"] = bound_upload
        else:
            item["form"] = EvidenceUploadForm(step=step, documents=item["documents"])
    pending = [i for i in items if i["step"].status == StepStatus.PENDING]
    return render(
        request,
        "status/page.html",
        {
            "case": case,
            "controller": case.controller,
            "token": token,
            "status_words": STATUS_WORDS.get(case.status, ""),
            "pending": pending,
            "done": [i for i in items if i["step"].status != StepStatus.PENDING],
            "bound_upload": bound_upload,
            "withdraw_form": withdraw_form or (WithdrawForm() if case.is_open else None),
            "max_size": human_size(settings.EVIDENCE_MAX_BYTES),
            # Issue 15: the message thread (identity.thread_views).
            **thread_context(case, thread_form),
            # Issue 13: the clock (the question to answer, an extension, a fee).
            **clock_context(case, answer_form),
            # Other apps' sections, e.g. the requester's downloads (exports.data).
            "panels": status_panels(request, case),
        },
        status=status,
    )


@never_cache
@require_GET
def status_page(request: HttpRequest, token: str) -> HttpResponse:
    """Opening the link also proves the email address, where that check is pending."""
    found = _case_or_response(request, token)
    if isinstance(found, HttpResponse):
        return found
    case = services.email_ownership_confirmed(case=found)
    return _render(request, token, case)


class EvidenceSizeLimit(FileUploadHandler):
    """Skips (reads and discards) a file once it passes the limit, so an oversized upload
    is never kept in memory or on disk, even when the browser did not say its size."""

    def __init__(self, request: HttpRequest, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.too_big = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.max_bytes:
            self.too_big = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _too_big_message() -> str:
    return (
        f"The file is too big. Send a file of up to {human_size(settings.EVIDENCE_MAX_BYTES)}:"
        " a photo or scan at a lower resolution will do."
    )


@csrf_exempt  # checked by _upload, once the size limit is in place (Django's documented way)
@never_cache
@require_POST
def upload(request: HttpRequest, token: str, step_id: int) -> HttpResponse:
    limit = EvidenceSizeLimit(request, settings.EVIDENCE_MAX_BYTES)
    request.upload_handlers.insert(0, limit)
    return _upload(request, token, step_id, limit)


@csrf_protect
def _upload(
    request: HttpRequest, token: str, step_id: int, limit: EvidenceSizeLimit
) -> HttpResponse:
    found = _case_or_response(request, token)
    if isinstance(found, HttpResponse):
        return found
    case = found
    step = selectors.step_of_case(case, step_id)
    if step is None:
        raise Http404("No such check on this request.")
    documents = policies.accepted_documents(case, policies.policy_for(case))
    form = EvidenceUploadForm(request.POST, request.FILES, step=step, documents=documents)
    if not ratelimit.allow(f"evidence-upload:{case.pk}", UPLOADS_PER_HOUR, RATE_LIMIT_WINDOW):
        form.is_valid()
        form.add_error(None, "You have sent a lot of files in the last hour. Try again later.")
        return _render(request, token, case, bound_upload=form, status=429)
    if limit.too_big:
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", _too_big_message())
        return _render(request, token, case, bound_upload=form, status=413)
    if form.is_valid():
        try:
            evidence_services.evidence_add(
                step=step,
                upload=form.cleaned_data["file"],
                document_kind=form.cleaned_data.get("document_kind", ""),
            )
        except EvidenceRejected as exc:
            form.add_error("file", exc.message)
        except CaseActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, "Thank you: we have your file. We will check it and let you know."
            )
            return redirect("identity:status", token=token)
    return _render(request, token, case, bound_upload=form, status=400)


@never_cache
@require_POST
def withdraw(request: HttpRequest, token: str) -> HttpResponse:
    found = _case_or_response(request, token)
    if isinstance(found, HttpResponse):
        return found
    case = found
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            case_services.case_withdraw(
                case=case,
                by=None,
                actor_kind=ActorKind.REQUESTER,
                reason=form.cleaned_data["reason"],
            )
        except CaseActionError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Your request is withdrawn. We will not work on it further.")
            return redirect("identity:status", token=token)
    return _render(request, token, case, withdraw_form=form, status=400)


# --- asking for a new link --------------------------------------------------------------


def _email_key(email: str) -> str:
    digest = salted_hmac("identity.status-link.email", email.strip().lower(), algorithm="sha256")
    return f"status-link-email:{digest.hexdigest()[:32]}"


@never_cache
@require_http_methods(["GET", "POST"])
def ask_for_link(request: HttpRequest) -> HttpResponse:
    initial = {}
    if slug := request.GET.get("organisation"):
        initial["controller"] = Controller.objects.filter(slug=slug, is_active=True).first()
    form = StatusLinkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        limit = settings.STATUS_LINK_RATE_LIMIT_PER_HOUR
        email = form.cleaned_data["email"]
        if not (
            ratelimit.allow(ratelimit.client_key(request, "status-link"), limit, RATE_LIMIT_WINDOW)
            and ratelimit.allow(_email_key(email), limit, RATE_LIMIT_WINDOW)
        ):
            log.warning("Status link rate limit reached.")
            response = render(
                request,
                "status/ask_for_link.html",
                {"form": form, "rate_limited": True},
                status=429,
            )
            response["Retry-After"] = str(RATE_LIMIT_WINDOW)
            return response
        controller = form.cleaned_data["controller"]
        # Broker down: nothing is lost but this email, and they can ask again.
        jobs.queue("identity.tasks.send_status_links", controller.pk, email)
        return redirect("identity:link_sent")
    return render(
        request, "status/ask_for_link.html", {"form": form}, status=400 if form.errors else 200
    )


@require_GET
def link_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request, "status/link_sent.html", {"max_age_days": settings.STATUS_LINK_MAX_AGE_DAYS}
    )

"""Requests that arrived by email: the "to triage" list, one draft, its files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import selectors
from ..errors import CaseActionError
from ..formats import full_date, local_time
from ..forms.triage import ConvertForm, DiscardForm
from ..mailbox import services
from ..mailbox.models import InboundEmail, InboundFile, Mailbox
from ..thread.files import serve_message_file

RECENT = 20


def _visible(request: HttpRequest):
    return InboundEmail.objects.filter(
        controller__in=selectors.controllers_for(request.user).values("pk")
    ).select_related("controller", "mailbox")


@login_required
def triage_list(request: HttpRequest) -> HttpResponse:
    drafts = _visible(request)
    mailboxes = Mailbox.objects.filter(
        controller__in=selectors.controllers_for(request.user).values("pk"), is_active=True
    ).select_related("controller")
    return render(
        request,
        "officer/triage_list.html",
        {
            "to_triage": list(
                drafts.filter(state=InboundEmail.State.TO_TRIAGE).order_by("received_at", "id")
            ),
            "decided": list(
                drafts.exclude(state=InboundEmail.State.TO_TRIAGE)
                .select_related("case")
                .order_by("-decided_at", "-id")[:RECENT]
            ),
            "mailboxes": list(mailboxes),
        },
    )


def _draft(request: HttpRequest, pk: int) -> InboundEmail:
    draft = _visible(request).filter(pk=pk).prefetch_related("files").first()
    if draft is None:
        raise Http404("No such message visible to you.")
    return draft


@login_required
@require_http_methods(["GET", "POST"])
def triage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(request, pk)
    can_act = selectors.can_act(request.user, draft.controller)
    local_day = local_time(draft.received_at, draft.controller.time_zone).date()
    convert = ConvertForm(
        initial={
            "received_on": local_day,
            "requester_name": draft.from_name or draft.from_email,
        }
    )
    discard = DiscardForm()
    status = 200
    if request.method == "POST":
        if not can_act:
            return render(request, "officer/triage_forbidden.html", {"draft": draft}, status=403)
        action = request.POST.get("action")
        try:
            if action == "convert":
                convert = ConvertForm(request.POST)
                if convert.is_valid():
                    case = services.inbound_convert(
                        inbound=draft, by=request.user, **convert.cleaned_data
                    )
                    messages.success(
                        request, f"Logged {case.reference}: due {full_date(case.due_date)}."
                    )
                    return redirect(case)
            elif action == "discard":
                discard = DiscardForm(request.POST)
                if discard.is_valid():
                    services.inbound_discard(
                        inbound=draft, by=request.user, reason=discard.cleaned_data["reason"]
                    )
                    messages.success(request, "Kept for the record as not a request.")
                    return redirect("dsar:triage")
        except CaseActionError as exc:
            (convert if action == "convert" else discard).add_service_error(exc)
        status = 400
    return render(
        request,
        "officer/triage_detail.html",
        {"draft": draft, "convert": convert, "discard": discard, "can_act": can_act},
        status=status,
    )


@login_required
def triage_file(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    draft = _draft(request, pk)
    stored = InboundFile.objects.filter(pk=file_id, inbound=draft).first()
    if stored is None:
        raise Http404("No such file.")
    return serve_message_file(stored)

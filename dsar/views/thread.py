"""Officer side of the message thread: write to the requester, open a file."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from .. import selectors
from ..errors import CaseActionError
from ..forms.thread import OfficerMessageForm
from ..thread import services
from ..thread.files import serve_message_file
from ..thread.hooks import attachable_documents
from ..thread.models import MessageFile
from ..thread.panels import panel_context
from .access import forbidden, visible_case


@login_required
@require_POST
def message_send(request: HttpRequest, reference: str) -> HttpResponse:
    case = visible_case(request, reference)
    if not selectors.can_act(request.user, case.controller):
        return forbidden(request, case)
    form = OfficerMessageForm(request.POST, documents=attachable_documents(case))
    if form.is_valid():
        try:
            services.message_to_requester(
                case=case,
                by=request.user,
                body=form.cleaned_data["body"],
                document_ids=form.cleaned_data.get("documents") or [],
            )
        except CaseActionError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, "Sent: the requester has been emailed a link to read it.")
            return redirect(f"{case.get_absolute_url()}#messages")
    return render(
        request,
        "officer/message_error.html",
        {"case": case, "panel": panel_context(request, case, True, bound=form)},
        status=400,
    )


@login_required
@require_GET
def message_file(request: HttpRequest, reference: str, file_id: int) -> HttpResponse:
    case = visible_case(request, reference)
    stored = MessageFile.objects.filter(pk=file_id, message__case=case).first()
    if stored is None:
        raise Http404("No such file on this case.")
    return serve_message_file(stored)

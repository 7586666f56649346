"""Officer actions of the "Personal data" panel, and the public download of an export.

Thin views: reads through ``dsar.selectors`` (another controller's case is a 404; an
auditor, who may read it, gets 403 on every action), changes through the services of
``exports.data``. A refused action is shown on a small page with the input kept (400);
nothing was changed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dsar import selectors as case_selectors
from dsar.errors import CaseActionError
from dsar.models import Case
from dsar.uploads import sandboxed
from dsar.views.access import forbidden, visible_case

from .. import forms
from ..manual import UploadRejected
from ..models import ActionStep, Collection, DownloadLink, Exemption, Export, SourceResult
from ..services import actions, collection, delivery, exporting, suppression
from ..services.approval_actions import release_or_prepare
from . import tried


def _acting(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login, POST, a visible case, and the right to act on it; passes the case on."""

    @login_required
    @require_POST
    def wrapped(request: HttpRequest, reference: str, **kwargs: Any) -> HttpResponse:
        case = visible_case(request, reference)
        if not case_selectors.can_act(request.user, case.controller):
            return forbidden(request, case)
        return view(request, case, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _act(
    request: HttpRequest, case: Case, form: Form, title: str, perform: Callable[[dict], str]
) -> HttpResponse:
    if form.is_valid():
        try:
            message = perform(form.cleaned_data)
        except CaseActionError as exc:
            form.add_service_error(exc)
        except UploadRejected as exc:
            form.add_error("file", exc.message)
        else:
            messages.success(request, message)
            return redirect(f"{case.get_absolute_url()}#data")
    return render(
        request,
        "exports/data/data_action_error.html",
        {"case": case, "form": form, "title": title, "multipart": bool(form.fields.get("file"))},
        status=400,
    )


@_acting
def search_start(request: HttpRequest, case: Case) -> HttpResponse:
    form = forms.NoteForm(request.POST)

    def perform(data: dict) -> str:
        made = collection.collection_start(case=case, by=request.user)
        return f"Searching {made.results.count()} source(s) for the subject's data."

    return _act(request, case, form, "Search for the subject's data", perform)


@_acting
def manual_upload(request: HttpRequest, case: Case, result_id: int) -> HttpResponse:
    result = SourceResult.objects.filter(pk=result_id, collection__case=case).first()
    if result is None:
        raise Http404("No such source on this case.")
    form = forms.ManualUploadForm(request.POST, request.FILES, case=case, prefix_id=result.pk)

    def perform(data: dict) -> str:
        upload = data.get("file")
        collection.manual_upload(
            result=result,
            by=request.user,
            handle=upload.file if upload else None,
            filename=upload.name if upload else "",
            size=upload.size if upload else 0,
            category=data.get("category") or None,
            note=data.get("note", ""),
        )
        result.refresh_from_db()
        return f"{result.source_name}: {result.record_count} record(s) added."

    return _act(request, case, form, f"Findings from {result.source_name}", perform)


@_acting
def search_release(request: HttpRequest, case: Case, collection_id: int) -> HttpResponse:
    found = Collection.objects.filter(pk=collection_id, case=case).first()
    if found is None:
        raise Http404("No such search on this case.")
    form = forms.NoteForm(request.POST)

    def perform(data: dict) -> str:
        if release_or_prepare(collection=found, by=request.user, note=data["note"]):
            return "Release prepared: another officer approves it, and the data is released then."
        return "Released: exports can now be made from this data."

    return _act(request, case, form, "Release the data found", perform)


@_acting
def export_create(request: HttpRequest, case: Case) -> HttpResponse:
    form = forms.ExportForm(request.POST)

    def perform(data: dict) -> str:
        export = exporting.export_create(case=case, purpose=data["purpose"], by=request.user)
        return f"{export.document.title}: being made."

    return _act(request, case, form, "Make an export", perform)


@_acting
def link_create(request: HttpRequest, case: Case, document_id: int) -> HttpResponse:
    export = Export.objects.filter(document_id=document_id, document__case=case).first()
    if export is None:
        raise Http404("No such export on this case.")
    form = forms.LinkForm(request.POST, document_id=document_id)

    def perform(data: dict) -> str:
        link = delivery.download_link_create(
            document=export.document,
            by=request.user,
            audience=data["audience"],
            days=data["days"],
            recipient_email=data.get("recipient_email") or "",
        )
        return f"Download link made{f' and emailed to {link.sent_to}' if link.sent_to else ''}."

    return _act(request, case, form, "Send a download link", perform)


@_acting
def link_revoke(request: HttpRequest, case: Case, link_id: int) -> HttpResponse:
    link = DownloadLink.objects.filter(pk=link_id, document__case=case).first()
    if link is None:
        raise Http404("No such link on this case.")
    delivery.download_link_revoke(link=link, by=request.user)
    messages.success(request, "The link no longer works.")
    return redirect(f"{case.get_absolute_url()}#data")


@_acting
def exemption_add(request: HttpRequest, case: Case) -> HttpResponse:
    form = forms.ExemptionForm(request.POST, case=case)

    def perform(data: dict) -> str:
        actions.exemption_add(
            case=case,
            category=data["category"],
            reason=data["reason"],
            detail=data["detail"],
            by=request.user,
        )
        return f"{data['category']} will be kept, with the reason recorded."

    return _act(request, case, form, "Record an exemption", perform)


@_acting
def exemption_remove(request: HttpRequest, case: Case, exemption_id: int) -> HttpResponse:
    exemption = Exemption.objects.filter(pk=exemption_id, case=case).first()
    if exemption is None:
        raise Http404("No such exemption on this case.")
    tried(
        request,
        lambda: actions.exemption_remove(exemption=exemption, by=request.user),
        "Exemption removed.",
    )
    return redirect(f"{case.get_absolute_url()}#data")


@_acting
def run_start(request: HttpRequest, case: Case) -> HttpResponse:
    form = forms.RunForm(request.POST, case=case)

    def perform(data: dict) -> str:
        run = actions.action_run_start(
            case=case,
            by=request.user,
            values=form.values(),
            recipients_to_tell=data.get("recipients_to_tell", ""),
        )
        return f"{run.get_right_display()} started in every source."

    return _act(request, case, form, f"Carry out the {case.right}", perform)


@_acting
def step_done(request: HttpRequest, case: Case, step_id: int) -> HttpResponse:
    step = ActionStep.objects.filter(pk=step_id, run__case=case).first()
    if step is None:
        raise Http404("No such step on this case.")
    form = forms.StepDoneForm(request.POST, step_id=step.pk)

    def perform(data: dict) -> str:
        actions.action_step_complete(
            step=step, by=request.user, note=data["note"], rows_affected=data["rows_affected"]
        )
        return f"{step.source_name} / {step.category_name}: done."

    return _act(request, case, form, "Tick off a task", perform)


@_acting
def suppress(request: HttpRequest, case: Case) -> HttpResponse:
    form = forms.NoteForm(request.POST)

    def perform(data: dict) -> str:
        entries = suppression.suppression_add_for_case(case=case, by=request.user)
        return f"On the suppression list ({len(entries)} hashed identifier(s))."

    return _act(request, case, form, "Add to the suppression list", perform)


@_acting
def objection_decide(request: HttpRequest, case: Case) -> HttpResponse:
    form = forms.ObjectionDecisionForm(request.POST)

    def perform(data: dict) -> str:
        suppression.objection_decide(
            case=case,
            by=request.user,
            decision=data["decision"],
            reasons=data["reasons"],
            processing=data.get("processing", ""),
        )
        return "Decision recorded."

    return _act(request, case, form, "Decide the objection", perform)


# --- the public download -----------------------------------------------------------------


@never_cache
@require_GET
def download(request: HttpRequest, token: str) -> HttpResponse:
    """Stream the export behind a live link and record the download; a clear page when
    the link has expired or was withdrawn (410), or is not ours (404)."""
    try:
        document = delivery.download_open(token=token)
    except delivery.LinkUnusable as exc:
        if exc.expired:
            controller = exc.link.document.case.controller if exc.link else None
            return render(
                request,
                "exports/data/download_expired.html",
                {"controller": controller},
                status=410,
            )
        return render(request, "exports/data/download_invalid.html", status=404)
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        return render(request, "exports/data/download_invalid.html", status=404)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.download_name,
        content_type=document.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    sandboxed(response)
    return response

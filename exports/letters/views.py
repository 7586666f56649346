"""Officer pages for letters: write and preview, issue, download.

Who may do what: anyone who can see the case (officers and auditors of its controller)
may preview letters and download documents; only officers who can act may save drafts
or issue (auditors get 403). Anyone else gets 404, as for the case itself.
"""

from __future__ import annotations

from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_http_methods

from dsar import selectors as case_selectors
from dsar.errors import CaseActionError
from dsar.models import Case
from dsar.reports.access import record_document_read
from dsar.uploads import sandboxed
from dsar.views.access import forbidden, visible_case
from exports.models import Document

from . import LETTER_KINDS, LetterKind, prepare_instead, selectors, services
from .forms import LetterForm


def _kind(key: str) -> LetterKind:
    try:
        return LETTER_KINDS[key]
    except KeyError:
        raise Http404("No such letter.") from None


def _corrects(case: Case, raw: str | int | None) -> Document | None:
    if raw in (None, ""):
        return None
    try:
        document = selectors.case_document(case, int(raw))
    except (ValueError, Document.DoesNotExist):
        raise Http404("No such document on this case.") from None
    if document.category != Document.Category.LETTER:
        raise Http404("Only letters can be corrected.")
    return document


def _compose_url(case: Case, kind: LetterKind, corrects: Document | None) -> str:
    url = reverse("exports:letter", args=[case.reference, kind.key])
    return f"{url}?corrects={corrects.pk}" if corrects else url


@login_required
@require_http_methods(["GET", "POST"])
def letter_compose(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    """The letter's written parts beside a preview; "Update preview" keeps a draft."""
    case = visible_case(request, reference)
    letter = _kind(kind)
    can_act = case_selectors.can_act(request.user, case.controller)
    corrects = _corrects(case, request.POST.get("corrects") or request.GET.get("corrects"))
    status = 200
    if request.method == "POST":
        if not can_act:
            return forbidden(request, case)
        form = LetterForm(request.POST, case=case, kind=letter)
        if form.is_valid():
            fields, delivery = form.letter_fields(), form.cleaned_data["delivery"]
            services.letter_draft_save(
                case=case,
                kind=letter.key,
                by=request.user,
                fields=fields,
                delivery=delivery,
                corrects=corrects,
            )
            if request.POST.get("action") != "issue":
                messages.success(request, "Draft saved: the preview shows your changes.")
                return redirect(_compose_url(case, letter, corrects))
            try:
                # A letter a second officer must approve is prepared, not issued.
                prepared = prepare_instead(
                    case=case, kind=letter.key, by=request.user, fields=fields, delivery=delivery
                )
                if prepared:
                    messages.success(request, prepared)
                    return redirect(f"{case.get_absolute_url()}#disclosure")
                document = services.letter_issue(
                    case=case,
                    kind=letter.key,
                    by=request.user,
                    fields=fields,
                    delivery=delivery,
                    corrects=corrects,
                )
            except CaseActionError as exc:
                form.add_service_error(exc)
            else:
                how = "emailed" if document.delivery == "email" else "ready to print and post"
                messages.success(
                    request, f"{document.title} issued: the PDF is being made and will be {how}."
                )
                return redirect(f"{case.get_absolute_url()}#documents")
        status = 400
        preview = services.letter_preview(case=case, kind=letter.key, corrects=corrects)
    else:
        preview = services.letter_preview(case=case, kind=letter.key, corrects=corrects)
        form = LetterForm(
            initial={
                **preview.values,
                "delivery": preview.delivery,
                "corrects": corrects.pk if corrects else None,
            },
            case=case,
            kind=letter,
        )
    return render(
        request,
        "exports/letters/letter_compose.html",
        {
            "case": case,
            "kind": letter,
            "form": form,
            "preview": preview,
            "can_act": can_act,
            "corrects": corrects,
            "preview_url": reverse("exports:letter_preview", args=[case.reference, letter.key])
            + (f"?corrects={corrects.pk}" if corrects else ""),
        },
        status=status,
    )


@login_required
@xframe_options_sameorigin
# Shown in the compose page's frame; its styles are the letter's own <style> block (shared
# with the PDF), and it runs nothing: sandboxed, no script source at all.
@csp_replace(
    {"frame-ancestors": ["'self'"], "style-src": ["'self'", "'unsafe-inline'"], "sandbox": True}
)
def letter_preview(request: HttpRequest, reference: str, kind: str) -> HttpResponse:
    """The letter as HTML (the saved draft, or the defaults), shown in the compose page."""
    case = visible_case(request, reference)
    letter = _kind(kind)
    corrects = _corrects(case, request.GET.get("corrects"))
    preview = services.letter_preview(case=case, kind=letter.key, corrects=corrects)
    response = HttpResponse(preview.html)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def document_download(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    case = visible_case(request, reference)
    try:
        document = selectors.case_document(case, pk)
    except Document.DoesNotExist:
        raise Http404("No such document on this case.") from None
    if not document.is_ready:
        raise Http404("This document's file is not ready yet.")
    record_document_read(user=request.user, document=document)  # issue 16: the access log
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.download_name,
        content_type=document.content_type,
    )
    sandboxed(response)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["POST"])
def document_retry(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    """Make again a letter whose PDF could not be made (the case page's button)."""
    case = visible_case(request, reference)
    if not case_selectors.can_act(request.user, case.controller):
        return forbidden(request, case)
    try:
        document = selectors.case_document(case, pk)
    except Document.DoesNotExist:
        raise Http404("No such document on this case.") from None
    try:
        services.letter_retry(document=document, by=request.user)
    except CaseActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{document.title}: making the PDF again.")
    return redirect(f"{case.get_absolute_url()}#documents")

"""Officer pages for disclosure: review and withhold, the bundle and redaction, erasure
with care, and the second pair of eyes.

Thin views: a visible case or 404; acting needs an officer of the controller (an auditor
reads and gets 403 on every change); changes go through the services. Originals and
previews of bundle documents are served to officers with ``no-store`` and ``nosniff``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from dsar import selectors as case_selectors
from dsar.errors import CaseActionError
from dsar.models import Case
from dsar.reports.access import record_access
from dsar.reports.models import AccessKind
from dsar.views.access import forbidden, visible_case

from .. import redaction
from ..forms import BundleAddForm, ErasureForm, MarkForm, SuggestionForm, WithholdForm
from ..models import Approval, ApprovalAction, BundleDocument, Redaction, Withholding
from ..selectors import current_copy, latest_collection
from ..services import approvals, documents, erasure, review, suggestions
from . import tried


def _reading(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @require_GET
    @never_cache
    def wrapped(request: HttpRequest, reference: str, **kwargs: Any) -> HttpResponse:
        case = visible_case(request, reference)
        can_act = case_selectors.can_act(request.user, case.controller)
        return view(request, case, can_act, **kwargs)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


def _acting(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @login_required
    @require_POST
    def wrapped(request: HttpRequest, reference: str, **kwargs: Any) -> HttpResponse:
        case = visible_case(request, reference)
        if not case_selectors.can_act(request.user, case.controller):
            return forbidden(request, case)
        return view(request, case, **kwargs)

    wrapped.__name__, wrapped.__doc__ = view.__name__, view.__doc__
    return wrapped


def _act(
    request: HttpRequest,
    case: Case,
    form: Form,
    title: str,
    perform: Callable[[dict], str],
    back: str,
) -> HttpResponse:
    """Run a change; a refusal is shown with the input kept (400), nothing changed."""
    if form.is_valid():
        try:
            message = perform(form.cleaned_data)
        except approvals.SelfApproval as exc:
            return render(
                request,
                "exports/data/approval_refused.html",
                {"case": case, "message": exc.message},
                status=403,
            )
        except CaseActionError as exc:
            form.add_service_error(exc)
        else:
            messages.success(request, message)
            return redirect(back)
    return render(
        request,
        "exports/data/data_action_error.html",
        {"case": case, "form": form, "title": title, "multipart": "file" in form.fields},
        status=400,
    )


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- review and withholding --------------------------------------------------------------


def _review_url(case: Case, source: str = "", category: str = "", **extra: Any) -> str:
    query = {k: v for k, v in {"source": source, "category": category, **extra}.items() if v}
    url = reverse("exports:review", args=[case.reference])
    return f"{url}?{urlencode(query)}" if query else url


@_reading
def review_page(request: HttpRequest, case: Case, can_act: bool) -> HttpResponse:
    """The records found, per source and category, a page at a time, searchable."""
    collection = latest_collection(case)
    context: dict[str, Any] = {"case": case, "collection": collection, "can_act": can_act}
    if collection is None or collection.status == collection.Status.COLLECTING:
        return render(request, "exports/data/review.html", context)
    tabs = review.tabs(collection)
    source = request.GET.get("source", "")
    category = request.GET.get("category", "")
    current = next((t for t in tabs if (t.source, t.category) == (source, category)), None)
    if current is None and tabs:
        current = tabs[0]
    editable = can_act and collection.status == collection.Status.COLLECTED
    context.update(tabs=tabs, current=current, editable=editable)
    if current is not None:
        try:
            number = int(request.GET.get("page", "1"))
        except ValueError:
            number = 1
        table = review.page(
            collection,
            source=current.source,
            category=current.category,
            number=number,
            query=request.GET.get("q", "")[:200],
        )
        for row in table.rows:
            row.cells = [
                {
                    "name": column,
                    "value": "" if row.record.get(column) is None else str(row.record.get(column)),
                    "withheld": row.fields_withheld.get(column),
                }
                for column in table.columns
            ]
            row.form = (
                WithholdForm(
                    initial={
                        "scope": Withholding.Scope.RECORD,
                        "source": current.source,
                        "category": current.category,
                        "record": row.index,
                    },
                    fields=[c for c in row.record if c not in row.fields_withheld],
                    auto_id=f"id_r{row.index}_%s",
                )
                if editable and row.withheld is None
                else None
            )
        context.update(
            table=table,
            fold_at=review.FOLD_AT,
            base_query=urlencode(
                {"source": current.source, "category": current.category, "q": table.query}
            ),
            category_form=WithholdForm(
                initial={
                    "scope": Withholding.Scope.CATEGORY,
                    "source": "",
                    "category": current.category,
                },
                auto_id="id_cat_%s",
            )
            if editable and not current.withheld
            else None,
        )
    context["withholdings"] = list(collection.withholdings.select_related("created_by"))
    return render(request, "exports/data/review.html", context)


@_acting
def withhold(request: HttpRequest, case: Case) -> HttpResponse:
    collection = latest_collection(case)
    if collection is None:
        raise Http404("The data has not been searched for yet.")
    form = WithholdForm(request.POST)

    def perform(data: dict) -> str:
        scope = data["scope"]
        if scope == Withholding.Scope.RECORD and data.get("field"):
            scope = Withholding.Scope.FIELD
        made = review.withholding_add(
            collection=collection,
            scope=scope,
            source=data.get("source") or "",
            category=data["category"],
            record=data.get("record"),
            field=data.get("field") or "",
            ground=data["ground"],
            reason=data["reason"],
            by=request.user,
        )
        return f"Withheld: {made.describe()}."

    back = _review_url(
        case, request.POST.get("source", ""), request.POST.get("category", ""),
        page=request.POST.get("page", ""), q=request.POST.get("q", ""),
    )  # fmt: skip
    return _act(request, case, form, "Withhold from the disclosure", perform, back)


@_acting
def unwithhold(request: HttpRequest, case: Case, withholding_id: int) -> HttpResponse:
    found = Withholding.objects.filter(pk=withholding_id, case=case).first()
    if found is None:
        raise Http404("No such decision on this case.")
    tried(
        request,
        lambda: review.withholding_remove(withholding=found, by=request.user),
        f"Disclosed again: {found.describe()}.",
    )
    return redirect(_review_url(case, found.source_name, found.category))


# --- the bundle and redaction ------------------------------------------------------------


def _document(case: Case, document_id: int) -> BundleDocument:
    found = BundleDocument.objects.filter(pk=document_id, case=case).first()
    if found is None:
        raise Http404("No such document in this case's bundle.")
    return found


@_reading
def bundle_page(request: HttpRequest, case: Case, can_act: bool) -> HttpResponse:
    """The disclosure bundle: documents found by hand, their copies, and suggestions."""
    items = list(case.bundle_documents.prefetch_related("redactions", "jobs"))
    for item in items:
        item.copy = current_copy(item)
        item.latest_job = next(iter(item.jobs.all()), None)
    found = suggestions.suggestions(case) if can_act else []
    for item in found:
        item.form = SuggestionForm(initial={"term": item.value}, auto_id=f"id_s{id(item)}_%s")
    return render(
        request,
        "exports/data/bundle.html",
        {
            "case": case,
            "can_act": can_act,
            "documents": items,
            "add_form": BundleAddForm() if can_act and case.is_open else None,
            "suggestions": found,
        },
    )


@_acting
def bundle_add(request: HttpRequest, case: Case) -> HttpResponse:
    form = BundleAddForm(request.POST, request.FILES)

    def perform(data: dict) -> str:
        upload = data["file"]
        made = documents.bundle_add(
            case=case, by=request.user, handle=upload.file, size=upload.size, title=data["title"]
        )
        return f"{made.title} added to the disclosure bundle."

    back = reverse("exports:bundle", args=[case.reference])
    return _act(request, case, form, "Add a document to the bundle", perform, back)


@_acting
def bundle_remove(request: HttpRequest, case: Case, document_id: int) -> HttpResponse:
    document = _document(case, document_id)
    tried(
        request,
        lambda: documents.bundle_remove(document=document, by=request.user),
        f"{document.title} removed from the bundle.",
    )
    return redirect("exports:bundle", case.reference)


@_reading
def document_page(request: HttpRequest, case: Case, can_act: bool, document_id: int):
    """One document: its pages to mark, its terms, its marks and its redacted copy."""
    document = _document(case, document_id)
    marks = list(document.redactions.select_related("created_by"))
    return render(
        request,
        "exports/data/bundle_document.html",
        {
            "case": case,
            "can_act": can_act,
            "document": document,
            "marks": marks,
            "pages": range(1, document.pages + 1),
            "copy": current_copy(document),
            "latest_job": document.jobs.first(),
            "form": MarkForm() if can_act and case.is_open else None,
        },
    )


@_reading
def document_preview(
    request: HttpRequest, case: Case, can_act: bool, document_id: int, page: int
) -> HttpResponse:
    """A PNG of one page of the original (``?copy=1``: of the redacted copy)."""
    document = _document(case, document_id)
    if document.content_type == BundleDocument.Kind.TEXT:
        raise Http404("Plain text has no page images.")
    source = document.original
    if request.GET.get("copy"):
        copy = current_copy(document)
        if copy is None:
            raise Http404("There is no up-to-date redacted copy.")
        source = copy.file
    with source.open("rb") as handle:
        data = handle.read()
    try:
        image = (
            redaction.pdf_preview(data, page) if document.is_pdf else redaction.image_preview(data)
        )
    except redaction.RedactionError:
        raise Http404("No such page.") from None
    return _private(HttpResponse(image, content_type="image/png"))


@_reading
def document_file(
    request: HttpRequest, case: Case, can_act: bool, document_id: int, which: str
) -> HttpResponse:
    """The original or the redacted copy, for officers, as a download."""
    document = _document(case, document_id)
    if which not in {"original", "redacted"}:
        raise Http404("Choose the original or the redacted copy.")
    if which == "redacted":
        copy = current_copy(document)
        if copy is None:
            raise Http404("There is no up-to-date redacted copy.")
        field, suffix = copy.file, "-redacted"
    else:
        field, suffix = document.original, "-original"
    with field.open("rb") as handle:
        data = handle.read()
    # Issue 16: the access log (dsar.reports).
    record_access(
        user=request.user,
        kind=AccessKind.DOCUMENT,
        case=case,
        object_id=document.pk,
        what=f"{document.title} ({which})",
    )
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="{case.reference}-bundle-{document.pk}{suffix}.{document.extension}"'
    )
    return _private(response)


@_acting
def mark_add(request: HttpRequest, case: Case, document_id: int) -> HttpResponse:
    document = _document(case, document_id)
    form = MarkForm(request.POST)

    def perform(data: dict) -> str:
        box = form.box()
        if form.errors:
            raise CaseActionError(form.errors["left"][0], field="left")
        made = documents.redaction_add(
            document=document,
            by=request.user,
            ground=data["ground"],
            reason=data["reason"],
            term=data.get("term") or "",
            page=data.get("page"),
            box=box,
        )
        return f"Marked for redaction: {made.describe()}. Make the redacted copy when done."

    back = reverse("exports:bundle_document", args=[case.reference, document.pk])
    return _act(request, case, form, f"Mark {document.title} for redaction", perform, back)


@_acting
def mark_remove(request: HttpRequest, case: Case, document_id: int, mark_id: int):
    document = _document(case, document_id)
    mark = Redaction.objects.filter(pk=mark_id, document=document).first()
    if mark is None:
        raise Http404("No such mark.")
    tried(request, lambda: documents.redaction_remove(mark=mark, by=request.user), "Mark removed.")
    return redirect("exports:bundle_document", case.reference, document.pk)


@_acting
def redact(request: HttpRequest, case: Case, document_id: int) -> HttpResponse:
    document = _document(case, document_id)
    tried(
        request,
        lambda: documents.redaction_job_start(document=document, by=request.user),
        "The redacted copy is being made: refresh in a moment.",
    )
    return redirect("exports:bundle_document", case.reference, document.pk)


@_acting
def suggestion_redact(request: HttpRequest, case: Case) -> HttpResponse:
    form = SuggestionForm(request.POST)

    def perform(data: dict) -> str:
        done = suggestions.suggestion_redact(
            case=case,
            term=data["term"],
            ground=data["ground"],
            reason=data["reason"],
            by=request.user,
        )
        return (
            f"Marked in {done['documents']} document(s) and withheld from "
            f"{done['fields']} field(s) of the records. Make the redacted copies when done."
        )

    back = reverse("exports:bundle", args=[case.reference])
    return _act(request, case, form, "Redact everywhere", perform, back)


# --- erasure with care -------------------------------------------------------------------


@login_required
@never_cache
def erasure_page(request: HttpRequest, reference: str) -> HttpResponse:
    """What the erasure would do, source by source, and the confirmation naming the subject."""
    case = visible_case(request, reference)
    can_act = case_selectors.can_act(request.user, case.controller)
    if case.right != "erasure":
        raise Http404("This is not an erasure request.")
    form = ErasureForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_act:
            return forbidden(request, case)
        if form.is_valid():
            try:
                message = _erase(request, case, form.cleaned_data)
            except CaseActionError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, message)
                return redirect(f"{case.get_absolute_url()}#data")
        status = 400
    search = erasure.completed_search(case)
    rows = erasure.preview(case) if search is not None else []
    return render(
        request,
        "exports/data/erasure.html",
        {
            "case": case,
            "can_act": can_act,
            "search": search,
            "rows": rows,
            "total": sum(r.rows or 0 for r in rows),
            "form": form,
            "needs_approval": approvals.needs_approval(case.controller, ApprovalAction.ERASURE),
        },
        status=status,
    )


def _erase(request: HttpRequest, case: Case, data: dict) -> str:
    from ..services.actions import action_run_start

    payload = {
        "confirmation": data["confirmation"],
        "recipients_to_tell": data.get("recipients_to_tell", ""),
    }
    if approvals.needs_approval(case.controller, ApprovalAction.ERASURE):
        approvals.approval_prepare(
            case=case, action=ApprovalAction.ERASURE, by=request.user, payload=payload
        )
        return "The erasure is prepared: another officer approves it, and it runs then."
    action_run_start(case=case, by=request.user, **payload)
    return "The erasure has started."


# --- second pair of eyes -----------------------------------------------------------------


def _approval(case: Case, approval_id: int) -> Approval:
    found = Approval.objects.filter(pk=approval_id, case=case).first()
    if found is None:
        raise Http404("No such approval on this case.")
    return found


@_acting
def approval_approve(request: HttpRequest, case: Case, approval_id: int) -> HttpResponse:
    approval = _approval(case, approval_id)
    try:
        approvals.approval_approve(approval=approval, by=request.user)
    except (approvals.SelfApproval, approvals.NotApprover) as exc:
        return render(
            request,
            "exports/data/approval_refused.html",
            {"case": case, "message": exc.message},
            status=403,
        )
    except CaseActionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Approved: {approval.get_action_display().lower()}.")
    return redirect(f"{case.get_absolute_url()}#disclosure")


@_acting
def approval_withdraw(request: HttpRequest, case: Case, approval_id: int) -> HttpResponse:
    approval = _approval(case, approval_id)
    tried(
        request,
        lambda: approvals.approval_withdraw(approval=approval, by=request.user),
        "Withdrawn: nothing was carried out.",
    )
    return redirect(f"{case.get_absolute_url()}#disclosure")

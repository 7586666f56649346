"""REST endpoints for disclosure under ``/api/v1/cases/{ref}/data/``: the records to review
with what is withheld, the bundle and its redaction jobs, suggestions, the erasure preview
and the second pair of eyes.

As elsewhere in the API: a case outside the user's controllers is a 404, auditors read but
get 403 on every change, refusals are 400 ``{detail, errors}``; approving what you
prepared yourself is 403 with the reason.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dsar.api.cases import acting_case, visible_case
from dsar.api.permissions import IsOfficer
from dsar.models import Case

from ..models import Approval, BundleDocument, Redaction, Withholding
from ..selectors import latest_collection
from ..services import approvals, documents, erasure, review, suggestions
from . import disclosure_serializers as s

TAG = ["case disclosure"]
ERRORS = {
    400: OpenApiResponse(description="Invalid input or a refused action: {detail, errors}."),
    403: OpenApiResponse(description="Not an officer, a read-only role, or self-approval."),
    404: OpenApiResponse(description="Nothing of that name visible to you."),
}
READ = {403: ERRORS[403], 404: ERRORS[404]}


def _collection(case: Case):
    found = latest_collection(case)
    if found is None or found.status == found.Status.COLLECTING:
        raise NotFound("No finished search to review yet.")
    return found


def _document(case: Case, pk: int) -> BundleDocument:
    found = (
        BundleDocument.objects.filter(case=case, pk=pk)
        .prefetch_related("redactions", "jobs")
        .first()
    )
    if found is None:
        raise NotFound("No such document in this case's bundle.")
    return found


class ReviewView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_review",
        summary="What the latest search found, per source and category",
        tags=TAG,
        responses={200: s.ReviewSerializer, **READ},
    )
    def get(self, request: Request, reference: str) -> Response:
        found = _collection(visible_case(request, reference))
        return Response(
            s.ReviewSerializer(
                {"collection_id": found.pk, "status": found.status, "tabs": review.tabs(found)}
            ).data
        )


class ReviewRecordsView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_review_records",
        summary="One page of a source's records of a category, with what is withheld",
        tags=TAG,
        parameters=[
            OpenApiParameter("source", OpenApiTypes.STR, required=True),
            OpenApiParameter("category", OpenApiTypes.STR, required=True),
            OpenApiParameter("q", OpenApiTypes.STR, description="Text the record contains."),
            OpenApiParameter("page", OpenApiTypes.INT, description="From 1; 25 a page."),
        ],
        responses={200: s.RecordPageSerializer, **ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        found = _collection(visible_case(request, reference))
        try:
            number = max(1, int(request.query_params.get("page", "1")))
        except ValueError:
            number = 1
        table = review.page(
            found,
            source=request.query_params.get("source", ""),
            category=request.query_params.get("category", ""),
            number=number,
            query=request.query_params.get("q", "")[:200],
        )
        rows = [
            {
                "index": row.index,
                "record": row.record,
                "withheld": row.withheld.ground if row.withheld else None,
                "fields_withheld": {k: w.ground for k, w in row.fields_withheld.items()},
            }
            for row in table.rows
        ]
        return Response(
            s.RecordPageSerializer(
                {
                    "tab": table.tab,
                    "columns": table.columns,
                    "count": table.total,
                    "page": table.number,
                    "pages": table.pages,
                    "query": table.query,
                    "results": rows,
                }
            ).data
        )


class WithholdingListView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_withholdings_list",
        summary="What is withheld from the latest search",
        tags=TAG,
        responses={200: s.WithholdingSerializer(many=True), **READ},
    )
    def get(self, request: Request, reference: str) -> Response:
        found = _collection(visible_case(request, reference))
        return Response(s.WithholdingSerializer(found.withholdings.all(), many=True).data)

    @extend_schema(
        operation_id="case_data_withholdings_create",
        summary="Withhold a record, a field of one, or a category, under an exemption",
        description="`scope` record (with `source`, `category`, `record`), field (and "
        "`field`) or category (`source` blank for every source). Refused once released.",
        tags=TAG,
        request=s.WithholdingSerializer,
        responses={201: s.WithholdingSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = acting_case(request, reference)
        body = s.WithholdingSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        made = review.withholding_add(
            collection=_collection(case),
            scope=data["scope"],
            source=data.get("source_name", ""),
            category=data["category"],
            record=data.get("record"),
            field=data.get("field", ""),
            ground=data["ground"],
            reason=data["reason"],
            by=request.user,
        )
        return Response(s.WithholdingSerializer(made).data, status=status.HTTP_201_CREATED)


class WithholdingDetailView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_withholdings_delete",
        summary="Disclose again what was withheld (before release)",
        tags=TAG,
        responses={204: None, **ERRORS},
    )
    def delete(self, request: Request, reference: str, pk: int) -> Response:
        case = acting_case(request, reference)
        found = Withholding.objects.filter(case=case, pk=pk).first()
        if found is None:
            raise NotFound("No such decision on this case.")
        review.withholding_remove(withholding=found, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class BundleListView(APIView):
    permission_classes = [IsOfficer]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="case_data_bundle_list",
        summary="The disclosure bundle: documents found by hand",
        tags=TAG,
        responses={200: s.BundleDocumentSerializer(many=True), **READ},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = visible_case(request, reference)
        items = case.bundle_documents.prefetch_related("redactions", "jobs")
        return Response(s.BundleDocumentSerializer(items, many=True).data)

    @extend_schema(
        operation_id="case_data_bundle_add",
        summary="Add a document (multipart: title, file), checked by its content",
        tags=TAG,
        request={"multipart/form-data": s.BundleAddSerializer},
        responses={201: s.BundleDocumentSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = acting_case(request, reference)
        body = s.BundleAddSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        made = documents.bundle_add(
            case=case,
            by=request.user,
            handle=upload.file,
            size=upload.size,
            title=body.validated_data["title"],
        )
        return Response(
            s.BundleDocumentSerializer(_document(case, made.pk)).data,
            status=status.HTTP_201_CREATED,
        )


class BundleDetailView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_bundle_detail",
        summary="A bundle document with its marks and latest redaction job",
        tags=TAG,
        responses={200: s.BundleDocumentSerializer, **READ},
    )
    def get(self, request: Request, reference: str, pk: int) -> Response:
        case = visible_case(request, reference)
        return Response(s.BundleDocumentSerializer(_document(case, pk)).data)

    @extend_schema(
        operation_id="case_data_bundle_delete",
        summary="Remove a document from the bundle",
        tags=TAG,
        responses={204: None, **ERRORS},
    )
    def delete(self, request: Request, reference: str, pk: int) -> Response:
        case = acting_case(request, reference)
        documents.bundle_remove(document=_document(case, pk), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RedactionListView(APIView):
    permission_classes = [IsOfficer]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="case_data_bundle_redactions_create",
        summary="Mark a term (everywhere) or an area of a page to redact",
        tags=TAG,
        request=s.RedactionSerializer,
        responses={201: s.RedactionSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, pk: int) -> Response:
        case = acting_case(request, reference)
        body = s.RedactionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        box = data.get("box")
        made = documents.redaction_add(
            document=_document(case, pk),
            by=request.user,
            ground=data["ground"],
            reason=data["reason"],
            term=data.get("term", ""),
            page=data.get("page"),
            box=tuple(box) if box else None,
        )
        return Response(s.RedactionSerializer(made).data, status=status.HTTP_201_CREATED)


class RedactionDetailView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_bundle_redactions_delete",
        summary="Remove a mark",
        tags=TAG,
        responses={204: None, **ERRORS},
    )
    def delete(self, request: Request, reference: str, pk: int, mark_id: int) -> Response:
        case = acting_case(request, reference)
        mark = Redaction.objects.filter(document__case=case, document_id=pk, pk=mark_id).first()
        if mark is None:
            raise NotFound("No such mark.")
        documents.redaction_remove(mark=mark, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RedactionJobView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_bundle_jobs_list",
        summary="Redaction jobs of a document, newest first",
        tags=TAG,
        responses={200: s.RedactionJobSerializer(many=True), **READ},
    )
    def get(self, request: Request, reference: str, pk: int) -> Response:
        case = visible_case(request, reference)
        return Response(s.RedactionJobSerializer(_document(case, pk).jobs.all(), many=True).data)

    @extend_schema(
        operation_id="case_data_bundle_jobs_create",
        summary="Make the redacted copy from the current marks (a Celery task)",
        tags=TAG,
        request=None,
        responses={202: s.RedactionJobSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, pk: int) -> Response:
        case = acting_case(request, reference)
        job = documents.redaction_job_start(document=_document(case, pk), by=request.user)
        job.refresh_from_db()
        return Response(s.RedactionJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class SuggestionListView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_suggestions",
        summary="Other people's emails, phones and postcodes in the records and documents",
        tags=TAG,
        responses={200: s.SuggestionSerializer(many=True), **READ},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = acting_case(request, reference)
        found = suggestions.suggestions(case)
        return Response(
            s.SuggestionSerializer(
                [
                    {"kind": f.kind, "label": f.label, "value": f.value, "records": f.records,
                     "documents": f.documents, "unmarked": f.unmarked}
                    for f in found
                ],
                many=True,
            ).data
        )  # fmt: skip


class SuggestionRedactView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_suggestions_redact",
        summary="Redact one email, phone or postcode everywhere (documents and records)",
        tags=TAG,
        request=s.SuggestionRedactSerializer,
        responses={200: s.SuggestionRedactedSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = acting_case(request, reference)
        body = s.SuggestionRedactSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        done = suggestions.suggestion_redact(case=case, by=request.user, **body.validated_data)
        return Response(s.SuggestionRedactedSerializer(done).data)


class ErasurePreviewView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_erasure_preview",
        summary="What the erasure would do, per source, by a rolled-back dry run",
        tags=TAG,
        responses={200: s.PreviewRowSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = acting_case(request, reference)
        if case.right != "erasure":
            raise NotFound("This is not an erasure request.")
        erasure.check_search(case)
        return Response(s.PreviewRowSerializer(erasure.preview(case), many=True).data)


class ApprovalListView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_approvals_list",
        summary="Actions prepared for a second officer, newest first",
        tags=TAG,
        responses={200: s.ApprovalSerializer(many=True), **READ},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = visible_case(request, reference)
        items = case.approvals.select_related("prepared_by", "decided_by")
        return Response(s.ApprovalSerializer(items, many=True).data)

    @extend_schema(
        operation_id="case_data_approvals_prepare",
        summary="Prepare releasing, a response or an erasure for another officer to approve",
        description="release: `note`; access_response / portability_response: `fields` and "
        "`delivery` as the letter API takes them; erasure: `confirmation` (the subject's "
        "name) and `recipients_to_tell`.",
        tags=TAG,
        request=s.ApprovalPrepareSerializer,
        responses={201: s.ApprovalSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = acting_case(request, reference)
        body = s.ApprovalPrepareSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        action = data.pop("action")
        payload: dict[str, Any]
        if action == "release":
            payload = {"collection_id": _collection(case).pk, "note": data["note"]}
        elif action == "erasure":
            payload = {k: data[k] for k in ("confirmation", "recipients_to_tell")}
        else:
            payload = {"fields": data["fields"], "delivery": data["delivery"]}
        made = approvals.approval_prepare(
            case=case, action=action, by=request.user, payload=payload
        )
        return Response(s.ApprovalSerializer(made).data, status=status.HTTP_201_CREATED)


def _approval(case: Case, pk: int) -> Approval:
    found = Approval.objects.filter(case=case, pk=pk).select_related("prepared_by").first()
    if found is None:
        raise NotFound("No such approval on this case.")
    return found


class ApprovalApproveView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_approvals_approve",
        summary="Approve, as a second officer; the action is carried out at once",
        description="403 for the officer who prepared it.",
        tags=TAG,
        request=None,
        responses={200: s.ApprovalSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, pk: int) -> Response:
        case = acting_case(request, reference)
        try:
            done = approvals.approval_approve(approval=_approval(case, pk), by=request.user)
        except (approvals.SelfApproval, approvals.NotApprover) as exc:
            raise PermissionDenied(exc.message) from None
        return Response(s.ApprovalSerializer(done).data)


class ApprovalWithdrawView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="case_data_approvals_withdraw",
        summary="Withdraw a prepared action before it is approved",
        tags=TAG,
        request=None,
        responses={200: s.ApprovalSerializer, **ERRORS},
    )
    def post(self, request: Request, reference: str, pk: int) -> Response:
        case = acting_case(request, reference)
        done = approvals.approval_withdraw(approval=_approval(case, pk), by=request.user)
        return Response(s.ApprovalSerializer(done).data)

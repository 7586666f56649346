"""Verification steps and evidence in the REST API, under ``/api/v1/cases/<reference>/
verification/`` (included from config/urls.py, namespace ``identity-api``).

The API twin of identity.views, with the same rules: reads through the selectors (a case
another controller's officer cannot see is a 404), every change through identity.services
or identity.evidence_services, auditors read but get 403 on every action and on evidence
files (evidence is the most sensitive thing held: viewing needs the right to act, and
each download is an ``evidence_viewed`` event on the case).
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse
from django.urls import path, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dsar import selectors as case_selectors
from dsar.api import examples as ex
from dsar.api.cases import ERRORS, acting_case, visible_case
from dsar.api.permissions import IsOfficer
from dsar.api.serializers import CaseDetailSerializer, ReadModelSerializer
from dsar.models import Case
from dsar.uploads import sandboxed

from . import evidence, evidence_services, selectors, services
from .choices import Method
from .models import EvidenceFile, VerificationStep

app_name = "identity-api"
TEXT_MAX = 5000
READ_ONLY = "Your role on this controller is read-only: you can see cases but not act on them."

# Examples (dsar.api.examples): the case's photo ID check, passed on a passport.
EVIDENCE = {
    "id": 15,
    "content_type": "application/pdf",
    "size": 482113,
    "sha256": ex.SHA256,
    "document_kind": "Passport",
    "uploaded_at": "2026-03-04T16:02:11Z",
    "uploaded_by": None,
    "download_url": f"{ex.CASE_URL}verification/evidence/15/download/",
}
STEP_PENDING = {
    "id": 7,
    "method": "identity_document",
    "status": "pending",
    "request_note": "A passport or driving licence.",
    "requested_at": ex.RECEIVED_AT,
    "requested_by": ex.OFFICER,
    "evidence_received_on": None,
    "decision_note": "",
    "reviewed_at": None,
    "reviewed_by": None,
    "evidence": [],
}
STEP_PASSED = {
    **STEP_PENDING,
    "status": "passed",
    "evidence_received_on": "2026-03-04",
    "decision_note": "The passport matches the name and address on the account.",
    "reviewed_at": "2026-03-05T09:40:00Z",
    "reviewed_by": ex.OFFICER,
    "evidence": [EVIDENCE],
}


def _step(case: Case, step_id: int) -> VerificationStep:
    step = selectors.step_of_case(case, step_id)
    if step is None:
        raise NotFound("No such check on this case.")
    return step


# --- serializers -------------------------------------------------------------------------


@extend_schema_serializer(
    examples=[OpenApiExample("A passport", value=EVIDENCE, response_only=True)]
)
class EvidenceFileSerializer(ReadModelSerializer):
    uploaded_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="null when the requester uploaded it.",
    )
    download_url = serializers.SerializerMethodField(
        help_text="Officers who may act on the case download it here (each download is "
        "recorded on the case)."
    )

    class Meta:
        model = EvidenceFile
        fields = [
            "id", "content_type", "size", "sha256", "document_kind", "uploaded_at",
            "uploaded_by", "download_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download_url(self, item: EvidenceFile) -> str:
        url = reverse("identity-api:evidence-download", args=[self.context["reference"], item.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


@extend_schema_serializer(
    examples=[OpenApiExample("Passed on a passport", value=STEP_PASSED, response_only=True)]
)
class StepSerializer(ReadModelSerializer):
    requested_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    reviewed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )
    evidence = EvidenceFileSerializer(many=True, read_only=True)

    class Meta:
        model = VerificationStep
        fields = [
            "id", "method", "status", "request_note", "requested_at", "requested_by",
            "evidence_received_on", "decision_note", "reviewed_at", "reviewed_by", "evidence",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Passed and the clock runs again",
            value={"step": STEP_PASSED, "case_status": "in_progress", "due_date": ex.DUE_DATE},
            response_only=True,
        )
    ]
)
class StepDecisionResultSerializer(serializers.Serializer):
    step = StepSerializer()
    case_status = serializers.CharField(help_text="The case's status after the decision.")
    due_date = serializers.DateField(help_text="The case's due date after the decision.")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A photo ID",
            value={"method": "identity_document", "note": "A passport or driving licence."},
            request_only=True,
        )
    ]
)
class StepRequestSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=Method.choices, help_text="What to ask for.")
    note = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default="",
        help_text="Told to the requester with the request.",
    )  # fmt: skip


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "The passport matches",
            value={
                "note": "The passport matches the name and address on the account.",
                "evidence_received_on": "2026-03-04",
            },
            request_only=True,
        )
    ]
)
class StepPassSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True, default="")
    evidence_received_on = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="For evidence that came by post or phone; default: the day the last file "
        "was uploaded, else today. The clock restarts from the latest evidence date.",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Another name",
            value={
                "reason": "The passport is in another name than the account's.",
                "refuse": False,
            },
            request_only=True,
        )
    ]
)
class StepFailSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX, help_text="Goes on the case record.")
    refuse = serializers.BooleanField(
        default=False,
        help_text="Also refuse the request as identity not verified (the requester is told).",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Known customer",
            value={"reason": "The request came from the email address on the account."},
            request_only=True,
        )
    ]
)
class StepWaiveSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TEXT_MAX, help_text="Why it is not needed.")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Still waiting",
            value={"message": "We still need a photo of your passport or driving licence."},
            request_only=True,
        )
    ]
)
class RequestMoreSerializer(serializers.Serializer):
    message = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, default="",
        help_text="Added to the email with the requester's status link.",
    )  # fmt: skip


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "One check waiting",
            value={
                "detail": "Emailed the requester their status link and what is still needed.",
                "pending": [STEP_PENDING],
            },
            response_only=True,
        )
    ]
)
class RequestMoreResultSerializer(serializers.Serializer):
    detail = serializers.CharField()
    pending = StepSerializer(many=True, help_text="The checks still waiting for evidence.")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "No evidence came",
            value={"reasons": "We asked twice for proof of identity and received none."},
            request_only=True,
        )
    ]
)
class CloseUnverifiedSerializer(serializers.Serializer):
    reasons = serializers.CharField(max_length=TEXT_MAX, help_text="Told to the requester.")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A passport scanned from a letter",
            value={"file": "passport-scan.pdf", "document_kind": "Passport"},
            request_only=True,
            media_type="multipart/form-data",
        )
    ]
)
class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="PDF, JPEG or PNG, checked by its content.")
    document_kind = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="",
        help_text="Which accepted document it is, e.g. Passport.",
    )  # fmt: skip


# --- views ---------------------------------------------------------------------------------

ACT_ERRORS = {
    **ERRORS,
    403: OpenApiResponse(description="Read-only role: auditors cannot act."),
}


def _context(request: Request, reference: str) -> dict[str, Any]:
    return {"request": request, "reference": reference}


def _decision(request: Request, case: Case, step: VerificationStep, code: int = 200) -> Response:
    fresh = selectors.steps_for_case(case)
    step = next(s for s in fresh if s.pk == step.pk)
    case.refresh_from_db(fields=["status", "due_date", "version"])
    body = {
        "step": StepSerializer(step, context=_context(request, case.reference)).data,
        "case_status": case.status,
        "due_date": case.due_date.isoformat(),
    }
    return Response(body, status=code)


class StepListCreateView(APIView):
    """The case's checks, oldest first (a few per case: not paginated); asking for another."""

    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="verification_steps_list",
        summary="A case's verification steps with their evidence files",
        tags=["verification"],
        responses={200: StepSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = visible_case(request, reference)
        steps = selectors.steps_for_case(case)
        return Response(StepSerializer(steps, many=True, context=_context(request, reference)).data)

    @extend_schema(
        operation_id="verification_steps_create",
        summary="Ask the requester for a check (the case waits for identity; they are emailed)",
        tags=["verification"],
        request=StepRequestSerializer,
        responses={201: StepDecisionResultSerializer, **ACT_ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = acting_case(request, reference)
        data = self._valid(StepRequestSerializer, request)
        step = services.step_request(
            case=case, method=data["method"], by=request.user, note=data["note"]
        )
        return _decision(request, case, step, status.HTTP_201_CREATED)

    @staticmethod
    def _valid(serializer_class: type[serializers.Serializer], request: Request) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class StepDetailView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="verification_steps_retrieve",
        summary="One verification step",
        tags=["verification"],
        responses={200: StepSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str, step_id: int) -> Response:
        case = visible_case(request, reference)
        step = _step(case, step_id)
        full = next(s for s in selectors.steps_for_case(case) if s.pk == step.pk)
        return Response(StepSerializer(full, context=_context(request, reference)).data)


class StepDecisionView(APIView):
    """``POST .../steps/<id>/pass|fail|waive/``: routed once per decision."""

    permission_classes = [IsOfficer]
    decision = ""
    inputs: dict[str, type[serializers.Serializer]] = {
        "pass": StepPassSerializer,
        "fail": StepFailSerializer,
        "waive": StepWaiveSerializer,
    }

    def post(self, request: Request, reference: str, step_id: int) -> Response:
        case = acting_case(request, reference)
        step = _step(case, step_id)
        serializer = self.inputs[self.decision](data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if self.decision == "pass":
            services.step_pass(
                step=step,
                by=request.user,
                note=data["note"],
                evidence_received_on=data["evidence_received_on"],
            )
        elif self.decision == "fail":
            services.step_fail(
                step=step, by=request.user, reason=data["reason"], refuse=data["refuse"]
            )
        else:
            services.step_waive(step=step, by=request.user, reason=data["reason"])
        return _decision(request, case, step)


DECISIONS = {
    "pass": "Pass a step: the evidence is good (the clock starts when every step is done)",
    "fail": "Fail a step, optionally refusing the request as identity not verified",
    "waive": "Waive a step that is not needed after all, with the reason",
}


def _decision_view(decision: str) -> Any:
    schema = extend_schema(
        operation_id=f"verification_steps_{decision}",
        summary=DECISIONS[decision],
        tags=["verification"],
        request=StepDecisionView.inputs[decision],
        responses={200: StepDecisionResultSerializer, **ACT_ERRORS},
    )

    def post(self: StepDecisionView, request: Request, reference: str, step_id: int) -> Response:
        return StepDecisionView.post(self, request, reference, step_id)

    view = type(
        f"Step{decision.title()}View",
        (StepDecisionView,),
        {"decision": decision, "post": schema(post)},
    )
    return view.as_view()


class RequestMoreView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="verification_request_more",
        summary="Email the requester their status link again, with what is still needed",
        tags=["verification"],
        request=RequestMoreSerializer,
        responses={200: RequestMoreResultSerializer, **ACT_ERRORS},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = acting_case(request, reference)
        data = StepListCreateView._valid(RequestMoreSerializer, request)
        services.evidence_request_more(case=case, by=request.user, message=data["message"])
        pending = [s for s in selectors.steps_for_case(case) if s.is_pending]
        body = {
            "detail": "Emailed the requester their status link and what is still needed.",
            "pending": StepSerializer(
                pending, many=True, context=_context(request, reference)
            ).data,
        }
        return Response(body)


class CloseUnverifiedView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="verification_close_unverified",
        summary="Refuse the request as identity not verified; the requester is told why",
        tags=["verification"],
        request=CloseUnverifiedSerializer,
        responses={
            200: OpenApiResponse(
                response=CaseDetailSerializer, description="The case, as GET cases/{reference}/."
            ),
            **ACT_ERRORS,
        },
    )
    def post(self, request: Request, reference: str) -> Response:
        from dsar.api.cases import detail_response

        case = acting_case(request, reference)
        data = StepListCreateView._valid(CloseUnverifiedSerializer, request)
        services.case_close_unverified(case=case, by=request.user, reasons=data["reasons"])
        return detail_response(request, reference)


class EvidenceUploadView(APIView):
    """An officer adds a file received another way (post, email) to a pending step."""

    permission_classes = [IsOfficer]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="verification_evidence_upload",
        summary="Upload evidence for a pending step (multipart: file, document_kind)",
        tags=["verification"],
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceFileSerializer, **ACT_ERRORS},
    )
    def post(self, request: Request, reference: str, step_id: int) -> Response:
        case = acting_case(request, reference)
        step = _step(case, step_id)
        data = StepListCreateView._valid(EvidenceUploadSerializer, request)
        try:
            item = evidence_services.evidence_add(
                step=step, upload=data["file"], document_kind=data["document_kind"], by=request.user
            )
        except evidence.EvidenceRejected as exc:
            raise serializers.ValidationError({"file": [exc.message]}) from None
        body = EvidenceFileSerializer(item, context=_context(request, reference)).data
        return Response(body, status=status.HTTP_201_CREATED)


class EvidenceDownloadView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="verification_evidence_download",
        summary="Download an evidence file (officers who may act; recorded on the case)",
        tags=["verification"],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "image/jpeg"): OpenApiTypes.BINARY,
            (200, "image/png"): OpenApiTypes.BINARY,
            **ACT_ERRORS,
        },
    )
    def get(self, request: Request, reference: str, evidence_id: int) -> FileResponse:
        case = visible_case(request, reference)
        try:
            item = selectors.evidence_for_officer(request.user, evidence_id)
        except EvidenceFile.DoesNotExist:
            raise NotFound("No such evidence, or it has been deleted.") from None
        if item.step.case_id != case.pk:
            raise NotFound("No such evidence, or it has been deleted.")
        if not case_selectors.can_act(request.user, case.controller):
            raise PermissionDenied(READ_ONLY)
        try:
            handle = item.file.open("rb")
        except FileNotFoundError:
            raise NotFound("The file is missing from storage.") from None
        evidence_services.evidence_viewed(evidence_file=item, by=request.user)
        extension = evidence.EXTENSIONS[item.content_type]
        response = FileResponse(
            handle,
            content_type=item.content_type,
            as_attachment=True,
            filename=f"{case.reference}-evidence-{item.pk}{extension}",
        )
        sandboxed(response)
        response["Cache-Control"] = "private, no-store"
        return response


BASE = "cases/<str:reference>/verification/"
urlpatterns = [
    path(f"{BASE}steps/", StepListCreateView.as_view(), name="steps"),
    path(f"{BASE}steps/<int:step_id>/", StepDetailView.as_view(), name="step"),
    *(
        path(
            f"{BASE}steps/<int:step_id>/{decision}/",
            _decision_view(decision),
            name=f"step-{decision}",
        )
        for decision in DECISIONS
    ),
    path(
        f"{BASE}steps/<int:step_id>/evidence/", EvidenceUploadView.as_view(), name="evidence-upload"
    ),
    path(
        f"{BASE}evidence/<int:evidence_id>/download/",
        EvidenceDownloadView.as_view(),
        name="evidence-download",
    ),
    path(f"{BASE}request-more/", RequestMoreView.as_view(), name="request-more"),
    path(f"{BASE}close-unverified/", CloseUnverifiedView.as_view(), name="close-unverified"),
]

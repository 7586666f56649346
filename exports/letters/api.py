"""Letters in the REST API, under ``/api/v1/cases/<reference>/letters/`` (included from
config/urls.py, namespace ``letters-api``).

The API twin of exports.letters.views, with its rules: anyone who can see the case (officers and
auditors of its controller) lists letter kinds, previews, lists and downloads letters;
only those who may act issue one (auditors get 403); anyone else gets 404. Issuing goes
through ``exports.letters.services.letter_issue``: a new Document and a ``letter_issued`` event in
one transaction, the PDF made by a task after commit (``status`` says when it is ready).
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
from rest_framework import generics, serializers, status
from rest_framework.exceptions import APIException, NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dsar.api import examples as ex
from dsar.api.cases import ERRORS, acting_case, visible_case
from dsar.api.permissions import IsOfficer
from dsar.api.serializers import ReadModelSerializer
from dsar.models import Case
from dsar.reports.access import record_document_read
from dsar.uploads import sandboxed
from exports.models import Delivery, Document

from . import LETTER_KINDS, selectors, services

app_name = "letters-api"
TEXT_MAX = 20000

# Examples (dsar.api.examples): the extension notice of the case.
REASONS = "Your request covers eleven years of orders, calls and emails, held in four systems."
NOTE_HELP = "Printed as its own paragraph before the closing."


class NotReady(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The PDF is still being made: try again in a moment."
    default_code = "not_ready"


def _letter(case: Case, pk: int) -> Document:
    document = (
        selectors.case_documents(case).filter(pk=pk, category=Document.Category.LETTER).first()
    )
    if document is None:
        raise NotFound("No such letter on this case.")
    return document


# --- serializers -------------------------------------------------------------------------


class LetterFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    help = serializers.CharField()
    required = serializers.BooleanField(help_text="Must be filled before issuing, for this case.")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An extension notice",
            value={
                "key": "extension_notice",
                "title": "We need more time to answer your request",
                "summary": "Tells the requester of an extension and why; only within the "
                "original period.",
                "suits": True,
                "refusal": None,
                "fields": [
                    {
                        "name": "reasons",
                        "label": "Why we need more time",
                        "help": "",
                        "required": True,
                    },
                    {
                        "name": "note",
                        "label": "Anything else to say (optional)",
                        "help": NOTE_HELP,
                        "required": False,
                    },
                ],
            },
            response_only=True,
        )
    ]
)
class LetterKindSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    suits = serializers.BooleanField(help_text="Suits the case as it stands (suggested first).")
    refusal = serializers.CharField(
        allow_null=True, help_text="Why it cannot be issued now; null when it can."
    )
    fields = LetterFieldSerializer(many=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An extension notice by email",
            value={
                "kind": "extension_notice",
                "fields": {"reasons": REASONS, "note": ""},
                "delivery": "email",
            },
            request_only=True,
        )
    ]
)
class LetterInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[(k, v.title) for k, v in LETTER_KINDS.items()])
    fields = serializers.DictField(
        child=serializers.CharField(max_length=TEXT_MAX, allow_blank=True),
        required=False,
        default=dict,
        help_text="The letter's written parts by name (see letter kinds); a part left out "
        "keeps its default or saved draft.",
    )
    delivery = serializers.ChoiceField(
        choices=Delivery.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Default: the requester's preferred reply, where we have the address.",
    )
    corrects = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="The id of an earlier letter on this case that this one corrects.",
    )

    def validate_corrects(self, value: int | None) -> Document | None:
        if value is None:
            return None
        document = Document.objects.filter(
            case=self.context["case"], pk=value, category=Document.Category.LETTER
        ).first()
        if document is None:
            raise serializers.ValidationError("No such letter on this case to correct.")
        return document


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An extension notice ready to issue",
            value={
                "kind": "extension_notice",
                "html": f'<article class="letter"><p>Dear {ex.REQUESTER_NAME},</p>'
                f"<p>Reference {ex.REFERENCE}</p><p>{REASONS}</p></article>",
                "values": {"reasons": REASONS, "note": ""},
                "missing": [],
                "delivery": "email",
                "refusal": None,
                "warnings": [],
            },
            response_only=True,
        )
    ]
)
class LetterPreviewSerializer(serializers.Serializer):
    kind = serializers.CharField()
    html = serializers.CharField(help_text="The letter as HTML, as it would be issued today.")
    values = serializers.DictField(child=serializers.CharField(allow_blank=True))
    missing = serializers.ListField(
        child=serializers.CharField(), help_text="Required parts still empty."
    )
    delivery = serializers.CharField()
    refusal = serializers.CharField(
        allow_null=True, help_text="Why it cannot be issued now; null when it can."
    )
    warnings = serializers.ListField(
        child=serializers.CharField(),
        help_text="What to know before issuing, as the compose page shows it: a reply after "
        "the deadline, a transfer safeguard no longer valid.",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Issued and emailed",
            value={
                "id": 42,
                "kind": "extension_notice",
                "title": "We need more time to answer your request",
                "status": "ready",
                "sha256": ex.SHA256,
                "size": 48213,
                "produced_by": ex.OFFICER,
                "produced_at": ex.NOW,
                "issued_at": ex.NOW,
                "letter_date": ex.TODAY,
                "delivery": "email",
                "delivered_to": ex.REQUESTER_EMAIL,
                "emailed_at": ex.LATER,
                "corrects": None,
                "download_url": f"{ex.CASE_URL}letters/42/download/",
            },
            response_only=True,
        )
    ]
)
class LetterDocumentSerializer(ReadModelSerializer):
    produced_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="null when the system made it.",
    )
    corrects = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField(help_text="null until the PDF is ready.")

    class Meta:
        model = Document
        fields = [
            "id", "kind", "title", "status", "sha256", "size", "produced_by", "produced_at",
            "issued_at", "letter_date", "delivery", "delivered_to", "emailed_at", "corrects",
            "download_url",
        ]  # fmt: skip
        read_only_fields = fields

    def get_download_url(self, document: Document) -> str | None:
        if not document.is_ready:
            return None
        url = reverse("letters-api:download", args=[document.case.reference, document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


# --- views ---------------------------------------------------------------------------------


class LetterKindListView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="letters_kinds_list",
        summary="The letters this case can have, suggested ones first, with their parts",
        tags=["letters"],
        responses={200: LetterKindSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str) -> Response:
        case = visible_case(request, reference)
        today = case.controller.today()
        suggested, _others = selectors.letter_kinds_for(case)
        rows = [
            {
                "key": kind.key,
                "title": kind.title,
                "summary": kind.summary,
                "suits": kind in suggested,
                "refusal": kind.refuse_issue(case, today),
                "fields": [
                    {
                        "name": f.name,
                        "label": f.label,
                        "help": f.help,
                        "required": f.required_for(case),
                    }
                    for f in kind.fields
                ],
            }
            # The API lists every kind (with "suits"); the case page offers only fitting ones.
            for kind in [*suggested, *(k for k in LETTER_KINDS.values() if k not in suggested)]
        ]
        return Response(LetterKindSerializer(rows, many=True).data)


def _input(request: Request, case: Case) -> dict[str, Any]:
    serializer = LetterInputSerializer(data=request.data, context={"case": case})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class LetterPreviewView(APIView):
    """Reading, not acting: auditors may preview too. Nothing is saved."""

    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="letters_preview",
        summary="Preview a letter as HTML with the parts given (nothing is saved)",
        tags=["letters"],
        request=LetterInputSerializer,
        responses={200: LetterPreviewSerializer, 400: ERRORS[400], 404: ERRORS[404]},
    )
    def post(self, request: Request, reference: str) -> Response:
        case = visible_case(request, reference)
        data = _input(request, case)
        preview = services.letter_preview(
            case=case,
            kind=data["kind"],
            fields=data["fields"],
            delivery=data["delivery"],
            corrects=data["corrects"],
        )
        body = {
            "kind": preview.kind.key,
            "html": preview.html,
            "values": preview.values,
            "missing": [f.name for f in preview.missing],
            "delivery": preview.delivery,
            "refusal": preview.refusal,
            "warnings": list(preview.warnings),
        }
        return Response(LetterPreviewSerializer(body).data)


class LetterListIssueView(generics.ListAPIView):
    permission_classes = [IsOfficer]
    serializer_class = LetterDocumentSerializer
    filter_backends: list = []

    def get_queryset(self) -> Any:
        case = visible_case(self.request, self.kwargs["reference"])
        return selectors.case_documents(case).filter(category=Document.Category.LETTER)

    @extend_schema(
        operation_id="letters_list",
        summary="The letters issued on a case, newest first",
        tags=["letters"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="letters_issue",
        summary="Issue a letter: stored as a document, its PDF made and (by email) sent",
        tags=["letters"],
        request=LetterInputSerializer,
        responses={
            201: LetterDocumentSerializer,
            400: OpenApiResponse(
                description="Invalid input, a required part missing, or the letter cannot be "
                "issued now: {detail, errors}."
            ),
            403: OpenApiResponse(description="Read-only role: auditors cannot issue letters."),
            404: ERRORS[404],
        },
    )
    def post(self, request: Request, reference: str) -> Response:
        case = acting_case(request, reference)
        data = _input(request, case)
        document = services.letter_issue(
            case=case,
            kind=data["kind"],
            by=request.user,
            fields=data["fields"],
            delivery=data["delivery"],
            corrects=data["corrects"],
        )
        issued = _letter(case, document.pk)
        body = LetterDocumentSerializer(issued, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class LetterDetailView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="letters_retrieve",
        summary="One issued letter: whether its PDF is ready, its SHA-256, when it was emailed",
        tags=["letters"],
        responses={200: LetterDocumentSerializer, 404: ERRORS[404]},
    )
    def get(self, request: Request, reference: str, pk: int) -> Response:
        case = visible_case(request, reference)
        document = _letter(case, pk)
        return Response(LetterDocumentSerializer(document, context={"request": request}).data)


class LetterDownloadView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="letters_download",
        summary="Download a letter's PDF",
        tags=["letters"],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            404: ERRORS[404],
            409: OpenApiResponse(description="The PDF is still being made (or failed)."),
        },
    )
    def get(self, request: Request, reference: str, pk: int) -> FileResponse:
        case = visible_case(request, reference)
        document = _letter(case, pk)
        if not document.is_ready:
            raise NotReady()
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


BASE = "cases/<str:reference>/letters/"
urlpatterns = [
    path(BASE, LetterListIssueView.as_view(), name="letters"),
    path(f"{BASE}kinds/", LetterKindListView.as_view(), name="kinds"),
    path(f"{BASE}preview/", LetterPreviewView.as_view(), name="preview"),
    path(f"{BASE}<int:pk>/", LetterDetailView.as_view(), name="detail"),
    path(f"{BASE}<int:pk>/download/", LetterDownloadView.as_view(), name="download"),
]

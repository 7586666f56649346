"""Serializers of the disclosure API: review, withholding, the bundle, redaction, approvals.

Input serializers hand plain values to the services; outputs read what the view loaded.
Examples use invented people (example.com/net addresses, 07700 900xxx numbers).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from ..models import (
    Approval,
    ApprovalAction,
    BundleDocument,
    Ground,
    Redaction,
    RedactionJob,
    Withholding,
)

WHEN = "2026-11-20T10:15:00Z"
TAB = {"source": "Customer database", "category": "Contact", "count": 2, "withheld": False}
ROW = {
    "index": 0,
    "record": {"email": "jane.doe@example.com", "phone": "07700 900123", "postcode": "SW1A 1AA"},
    "withheld": None,
    "fields_withheld": {"phone": "third_party"},
}
WITHHOLDING = {
    "scope": "field",
    "source": "Customer database",
    "category": "Contact",
    "record": 0,
    "field": "phone",
    "exemption": "third_party",
    "reason": "The number is her partner's, not hers.",
}
WITHHOLDING_READ = {
    "id": 7,
    **WITHHOLDING,
    "exemption_label": Ground.THIRD_PARTY.label,
    "described": "Contact, record 1 from Customer database, field phone",
    "created_at": WHEN,
}
MARK_TERM = {
    "term": "Samira Thirlwell",
    "exemption": "third_party",
    "reason": "A colleague's name.",
}
MARK_AREA = {
    "page": 1,
    "box": [0.1, 0.62, 0.45, 0.7],
    "exemption": "third_party",
    "reason": "A colleague's signature.",
}
MARK_READ = {
    "id": 4,
    "kind": "term",
    "page": None,
    "box": None,
    "term": "Samira Thirlwell",
    "exemption": "third_party",
    "reason": "A colleague's name.",
    "created_at": WHEN,
}
JOB = {
    "id": 3,
    "status": "ready",
    "sha256": "9f2c4e0b8a1d7c3e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6",
    "size": 18234,
    "areas_removed": 3,
    "error": "",
    "requested_at": WHEN,
    "finished_at": "2026-11-20T10:15:04Z",
}
DOCUMENT = {
    "id": 12,
    "title": "Call notes, 3 May 2025",
    "content_type": "application/pdf",
    "sha256": "1d2c3b4a5f6e7d8c9b0a1f2e3d4c5b6a7f8e9d0c1b2a3f4e5d6c7b8a9f0e1d2c",
    "size": 40211,
    "pages": 2,
    "include": True,
    "added_at": WHEN,
    "redactions": [MARK_READ],
    "latest_job": JOB,
    "redacted_copy_ready": True,
}
APPROVAL = {
    "id": 5,
    "action": "release",
    "status": "pending",
    "summary": "37 records found, 2 withholding decisions.",
    "prepared_by": "dana",
    "prepared_at": WHEN,
    "decided_by": None,
    "decided_at": None,
}


class TabSerializer(serializers.Serializer):
    source = serializers.CharField()
    category = serializers.CharField()
    count = serializers.IntegerField()
    withheld = serializers.BooleanField(help_text="The whole category is withheld.")


@extend_schema_serializer(examples=[OpenApiExample("One record", value=ROW, response_only=True)])
class RowSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="0-based position in its source's file.")
    record = serializers.DictField(help_text="The record's fields, as the source names them.")
    withheld = serializers.CharField(
        allow_null=True, help_text="The exemption the whole record is withheld under."
    )
    fields_withheld = serializers.DictField(
        child=serializers.CharField(), help_text="{field: exemption} of withheld fields."
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A page",
            value={
                "tab": TAB,
                "columns": ["email", "phone", "postcode"],
                "count": 2,
                "page": 1,
                "pages": 1,
                "query": "",
                "results": [ROW],
            },
            response_only=True,
        )
    ]
)
class RecordPageSerializer(serializers.Serializer):
    tab = TabSerializer()
    columns = serializers.ListField(child=serializers.CharField())
    count = serializers.IntegerField(help_text="Records in the table, or matching `q`.")
    page = serializers.IntegerField()
    pages = serializers.IntegerField()
    query = serializers.CharField(allow_blank=True)
    results = RowSerializer(many=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Review",
            value={"collection_id": 9, "status": "collected", "tabs": [TAB]},
            response_only=True,
        )
    ]
)
class ReviewSerializer(serializers.Serializer):
    collection_id = serializers.IntegerField()
    status = serializers.CharField()
    tabs = TabSerializer(many=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample("Withhold a field", value=WITHHOLDING, request_only=True),
        OpenApiExample("Withheld", value=WITHHOLDING_READ, response_only=True),
    ]
)
class WithholdingSerializer(serializers.ModelSerializer):
    source = serializers.CharField(source="source_name", required=False, allow_blank=True)
    record = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    field = serializers.CharField(required=False, allow_blank=True)
    exemption = serializers.ChoiceField(source="ground", choices=Ground.choices)
    exemption_label = serializers.CharField(source="get_ground_display", read_only=True)
    described = serializers.CharField(source="describe", read_only=True)

    class Meta:
        model = Withholding
        fields = [
            "id", "scope", "source", "category", "record", "field", "exemption", "reason",
            "exemption_label", "described", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "created_at"]


@extend_schema_serializer(
    examples=[
        OpenApiExample("A term", value=MARK_TERM, request_only=True),
        OpenApiExample("An area", value=MARK_AREA, request_only=True),
        OpenApiExample("Marked", value=MARK_READ, response_only=True),
    ]
)
class RedactionSerializer(serializers.ModelSerializer):
    box = serializers.ListField(
        child=serializers.FloatField(min_value=0, max_value=1),
        min_length=4,
        max_length=4,
        required=False,
        allow_null=True,
        help_text="[left, top, right, bottom] as fractions of the page, from its top left.",
    )
    term = serializers.CharField(required=False, allow_blank=True, max_length=200)
    page = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    exemption = serializers.ChoiceField(source="ground", choices=Ground.choices)

    class Meta:
        model = Redaction
        fields = ["id", "kind", "page", "box", "term", "exemption", "reason", "created_at"]
        read_only_fields = ["id", "kind", "created_at"]

    def to_representation(self, instance: Redaction) -> dict:
        data = super().to_representation(instance)
        data["box"] = list(instance.box) if instance.kind == Redaction.Kind.AREA else None
        return data


@extend_schema_serializer(
    examples=[
        OpenApiExample("Made", value=JOB, response_only=True, status_codes=["200", "202"]),
    ]
)
class RedactionJobSerializer(serializers.ModelSerializer):
    class Meta:
        model = RedactionJob
        fields = [
            "id", "status", "sha256", "size", "areas_removed", "error", "requested_at",
            "finished_at",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema_serializer(
    examples=[OpenApiExample("In the bundle", value=DOCUMENT, response_only=True)]
)
class BundleDocumentSerializer(serializers.ModelSerializer):
    redactions = RedactionSerializer(many=True, read_only=True)
    latest_job = serializers.SerializerMethodField()
    redacted_copy_ready = serializers.SerializerMethodField()

    class Meta:
        model = BundleDocument
        fields = [
            "id", "title", "content_type", "sha256", "size", "pages", "include", "added_at",
            "redactions", "latest_job", "redacted_copy_ready",
        ]  # fmt: skip
        read_only_fields = fields

    def get_latest_job(self, document: BundleDocument) -> dict | None:
        jobs = list(document.jobs.all())
        return RedactionJobSerializer(jobs[0]).data if jobs else None

    def get_redacted_copy_ready(self, document: BundleDocument) -> bool:
        from ..selectors import current_copy

        return current_copy(document) is not None


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A scanned letter",
            value={"title": "Letter from the branch, 3 May 2025", "file": "letter.pdf"},
            request_only=True,
            media_type="multipart/form-data",
        )
    ]
)
class BundleAddSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    file = serializers.FileField(help_text="PDF, PNG, JPEG or plain text (UTF-8).")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Found",
            value={
                "kind": "email",
                "label": "Email address",
                "value": "sam.lee@example.net",
                "records": 2,
                "documents": ["Call notes, 3 May 2025"],
                "unmarked": 1,
            },
            response_only=True,
        )
    ]
)
class SuggestionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["email", "phone", "postcode"])
    label = serializers.CharField()
    value = serializers.CharField()
    records = serializers.IntegerField(help_text="Records holding it.")
    documents = serializers.ListField(child=serializers.CharField())
    unmarked = serializers.IntegerField(help_text="Documents holding it without a mark.")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Redact everywhere",
            value={
                "term": "sam.lee@example.net",
                "exemption": "third_party",
                "reason": "A colleague's address.",
            },
            request_only=True,
        ),
    ]
)
class SuggestionRedactSerializer(serializers.Serializer):
    term = serializers.CharField(max_length=200)
    exemption = serializers.ChoiceField(
        source="ground", choices=Ground.choices, default=Ground.THIRD_PARTY
    )
    reason = serializers.CharField()


@extend_schema_serializer(
    examples=[OpenApiExample("Done", value={"documents": 1, "fields": 2}, response_only=True)]
)
class SuggestionRedactedSerializer(serializers.Serializer):
    documents = serializers.IntegerField(help_text="Term marks added to documents.")
    fields = serializers.IntegerField(help_text="Fields of records withheld.")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Waiting", value=APPROVAL, response_only=True, status_codes=["200", "201", "202"]
        )
    ]
)
class ApprovalSerializer(serializers.ModelSerializer):
    prepared_by = serializers.CharField(source="prepared_by.get_username", read_only=True)
    decided_by = serializers.CharField(
        source="decided_by.get_username", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Approval
        fields = [
            "id", "action", "status", "summary", "prepared_by", "prepared_at", "decided_by",
            "decided_at",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Prepare an erasure",
            value={"action": "erasure", "confirmation": "Jane Doe", "recipients_to_tell": ""},
            request_only=True,
        ),
        OpenApiExample(
            "Prepare an access response",
            value={
                "action": "access_response",
                "delivery": "email",
                "fields": {"summary": "We hold personal data about you."},
            },
            request_only=True,
        ),
    ]
)
class ApprovalPrepareSerializer(serializers.Serializer):
    action = serializers.ChoiceField(choices=ApprovalAction.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    fields = serializers.DictField(
        child=serializers.CharField(allow_blank=True), required=False, default=dict
    )
    delivery = serializers.CharField(required=False, allow_blank=True, default="")
    confirmation = serializers.CharField(required=False, allow_blank=True, default="")
    recipients_to_tell = serializers.CharField(required=False, allow_blank=True, default="")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Preview",
            value={
                "source": "Customer database",
                "category": "Contact",
                "operation": "Delete",
                "rows": 1,
                "note": "1 row would be affected.",
            },
            response_only=True,
        )
    ]
)
class PreviewRowSerializer(serializers.Serializer):
    source = serializers.CharField()
    category = serializers.CharField()
    operation = serializers.CharField()
    rows = serializers.IntegerField(allow_null=True)
    note = serializers.CharField()

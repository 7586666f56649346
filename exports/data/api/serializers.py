"""Serializers for the data map, searches, exports, actions and suppression endpoints.

Input serializers validate and hand plain values to the services of ``exports.data``;
output serializers read only what the views loaded (no per-row queries in lists).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiExample, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from dsar.api import examples as ex
from exports.data.models import (
    ActionRight,
    ActionRun,
    ActionStep,
    Collection,
    DataCategory,
    DataMapSettings,
    DataSystem,
    DownloadLink,
    Exemption,
    Export,
    ObjectionDecision,
    ProcessingPurpose,
    SourceResult,
)
from exports.data.services.delivery import MAX_DAYS

# Examples (dsar.api.examples): the data map of one controller, and the search, export,
# erasure and objection work on its cases. Request and answer differ (ids, dates and
# computed fields are only read), hence the two kinds of example on most serializers.
SYSTEM = {
    "name": "Customer database",
    "description": "Accounts, orders and marketing preferences.",
    "hosted_in": "United Kingdom (London data centre)",
    "outside_uk": False,
    "transfer_safeguard": "",
}
SYSTEM_READ = {"id": 3, **SYSTEM}
CATEGORY = {
    "name": "Financial",
    "description": "Bank details and payment methods.",
    "recipients": "External billing providers",
    "retention": "Six years after the contract ends (HMRC).",
    "source": "You.",
    "provided_by_subject": True,
    "automated_means": True,
    "systems": [3],
    "purposes": [{"purpose": "To bill you", "lawful_basis": "contract", "basis_detail": ""}],
}
CATEGORY_READ = {"id": 11, **CATEGORY, "order": 2, "special_category": False, "portable": True}
STATEMENTS = {
    "automated_decisions": "We make no decisions about you by automated means alone.",
    "transfers": "Our card payments provider processes some data in the United States, "
    "under the UK International Data Transfer Addendum.",
}
SOURCE_RESULT = {
    "id": 21,
    "source_name": "Orders database",
    "source_kind": "sql",
    "status": "done",
    "error": "",
    "record_count": 35,
    "counts": {"Contact details": 1, "Orders": 34},
    "started_at": ex.NOW,
    "finished_at": ex.LATER,
}
MANUAL_RESULT = {
    "id": 22,
    "source_name": "Paper archive",
    "source_kind": "manual",
    "status": "done",
    "error": "",
    "record_count": 2,
    "counts": {"Call recordings": 2},
    "started_at": None,
    "finished_at": ex.LATER,
}
LINK = {
    "id": 4,
    "audience": "requester",
    "sent_to": ex.REQUESTER_EMAIL,
    "expires_at": ex.LINK_EXPIRES_AT,
    "revoked_at": None,
    "download_count": 0,
    "is_live": True,
    "url": f"{ex.SITE}/download/NTE.aExampleToken.only-for-docs/",
}
MANUAL_STEP = {
    "id": 32,
    "source_name": "Paper archive",
    "category_name": "Contact details",
    "operation": "manual",
    "status": "done",
    "rows_affected": 3,
    "instructions": "Correct the surname on the signed delivery notes.",
    "note": "Corrected three delivery notes on 20 March 2026.",
    "error": "",
    "done_at": ex.LATER,
}


# --- the data map ------------------------------------------------------------------------


class ProcessingPurposeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessingPurpose
        fields = ["purpose", "lawful_basis", "basis_detail"]


@extend_schema_serializer(
    examples=[
        OpenApiExample("Financial", value=CATEGORY, request_only=True),
        OpenApiExample("Financial", value=CATEGORY_READ, response_only=True),
    ]
)
class DataCategorySerializer(serializers.ModelSerializer):
    """A category; ``purposes`` and ``systems``, when given, replace the category's own
    (the view saves through ``dsar.configuration.datamap``, which records the change)."""

    purposes = ProcessingPurposeSerializer(many=True, required=False)
    systems = serializers.PrimaryKeyRelatedField(
        many=True, required=False, queryset=DataSystem.objects.none()
    )
    portable = serializers.BooleanField(read_only=True)

    class Meta:
        model = DataCategory
        fields = [
            "id", "name", "description", "order", "special_category", "recipients",
            "retention", "source", "provided_by_subject", "automated_means", "portable",
            "systems", "purposes",
        ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        controller = self.context.get("controller")
        if controller is not None:
            self.fields["systems"].child_relation.queryset = DataSystem.objects.filter(
                controller=controller
            )

    def validate_name(self, value: str) -> str:
        controller = self.context["controller"]
        others = DataCategory.objects.filter(controller=controller, name=value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError(f"{controller} already has a category “{value}”.")
        return value


@extend_schema_serializer(
    examples=[
        OpenApiExample("The customer database", value=SYSTEM, request_only=True),
        OpenApiExample("The customer database", value=SYSTEM_READ, response_only=True),
    ]
)
class DataSystemSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataSystem
        fields = ["id", "name", "description", "hosted_in", "outside_uk", "transfer_safeguard"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance = DataSystem(controller=self.context["controller"])
        if self.instance is not None:
            instance = self.instance
        for name, value in attrs.items():
            setattr(instance, name, value)
        try:
            instance.clean()
            instance.require_safeguard()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        name = attrs.get("name")
        if name:
            others = DataSystem.objects.filter(controller=self.context["controller"], name=name)
            if self.instance is not None:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                raise serializers.ValidationError({"name": ["A system of that name exists."]})
        return attrs


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "No automated decisions and one transfer", value=STATEMENTS, request_only=True
        )
    ]
)
class DataMapStatementsSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataMapSettings
        fields = ["automated_decisions", "transfers"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "One system and one category",
            value={
                "controller": ex.CONTROLLER,
                **STATEMENTS,
                "systems": [SYSTEM_READ],
                "categories": [CATEGORY_READ],
            },
            response_only=True,
        )
    ]
)
class DataMapSerializer(serializers.Serializer):
    controller = serializers.CharField(help_text="The controller's slug.")
    automated_decisions = serializers.CharField(allow_blank=True)
    transfers = serializers.CharField(allow_blank=True)
    systems = DataSystemSerializer(many=True)
    categories = DataCategorySerializer(many=True)


# --- searches ----------------------------------------------------------------------------


class SourceResultSerializer(serializers.ModelSerializer):
    source_kind = serializers.SerializerMethodField()

    class Meta:
        model = SourceResult
        fields = [
            "id", "source_name", "source_kind", "status", "error", "record_count", "counts",
            "started_at", "finished_at",
        ]  # fmt: skip

    @extend_schema_field(serializers.ChoiceField(choices=["sql", "manual", ""]))
    def get_source_kind(self, result: SourceResult) -> str:
        return result.source.kind if result.source else ""


COLLECTION = {
    "id": 9,
    "status": "collected",
    "started_at": ex.NOW,
    "identifier_kinds": ["email", "customer_number"],
    "released_at": None,
    "release_note": "",
    "record_count": 35,
    "results": [SOURCE_RESULT],
}


@extend_schema_serializer(
    examples=[
        OpenApiExample("Searched and waiting for review", value=COLLECTION, response_only=True),
        OpenApiExample(
            "Findings uploaded for a manual source",
            value={**COLLECTION, "record_count": 37, "results": [SOURCE_RESULT, MANUAL_RESULT]},
            response_only=True,
        ),
    ]
)
class CollectionSerializer(serializers.ModelSerializer):
    results = SourceResultSerializer(many=True, read_only=True)
    record_count = serializers.SerializerMethodField()

    class Meta:
        model = Collection
        fields = [
            "id", "status", "started_at", "identifier_kinds", "released_at", "release_note",
            "record_count", "results",
        ]  # fmt: skip

    def get_record_count(self, collection: Collection) -> int:
        return sum(r.record_count for r in collection.results.all())


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Reviewed",
            value={"note": "Checked every source; nothing about other customers."},
            request_only=True,
        )
    ]
)
class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Two calls found in the archive",
            value={
                "file": "calls.csv",
                "category": "Call recordings",
                "note": "Searched the paper archive by the phone number 07700 900123.",
            },
            request_only=True,
            media_type="multipart/form-data",
        )
    ]
)
class ManualUploadSerializer(serializers.Serializer):
    """What an officer found by hand in a manual source; the rules are the case page's."""

    file = serializers.FileField(
        required=False,
        help_text="CSV (UTF-8, a header row, rows as long as it) or JSON (a list of records, "
        "or records keyed by category). Leave out when nothing was found.",
    )
    category = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="A category of the data map: needed for a CSV or a JSON list; leave out for "
        "JSON keyed by category.",
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text="Where you looked; required when nothing was found (no file).",
    )

    def validate_category(self, value: str) -> str:
        case = self.context["case"]
        if (
            value
            and not DataCategory.objects.filter(controller=case.controller, name=value).exists()
        ):
            raise serializers.ValidationError("Choose a category of this controller's data map.")
        return value


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An order",
            value={
                "source": "Orders database",
                "category": "Orders",
                "record": {"order_id": "100482", "placed_on": "2026-01-14", "total": "42.50"},
            },
            response_only=True,
        )
    ]
)
class RecordSerializer(serializers.Serializer):
    source = serializers.CharField()
    category = serializers.CharField()
    record = serializers.DictField(help_text="Field names as the source has them.")


# --- exports and links -------------------------------------------------------------------


@extend_schema_serializer(
    examples=[OpenApiExample("Access", value={"purpose": "access"}, request_only=True)]
)
class ExportCreateSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=Export.Purpose.choices)


@extend_schema_serializer(
    examples=[OpenApiExample("Emailed to the requester", value=LINK, response_only=True)]
)
class DownloadLinkSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The link itself, while it works.")
    is_live = serializers.BooleanField(read_only=True)

    class Meta:
        model = DownloadLink
        fields = [
            "id", "audience", "sent_to", "expires_at", "revoked_at", "download_count",
            "is_live", "url",
        ]  # fmt: skip

    @extend_schema_field(serializers.URLField(allow_blank=True))
    def get_url(self, link: DownloadLink) -> str:
        from exports.data.services.delivery import link_url

        return link_url(link) if link.is_live else ""


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Ready and linked to the requester",
            value={
                "document_id": 51,
                "purpose": "access",
                "title": "Your personal data (access export, ZIP)",
                "status": "ready",
                "sha256": ex.SHA256,
                "size": 18342,
                "produced_at": ex.NOW,
                "manifest": {
                    "controller": "Kynex Home Supplies Limited",
                    "case_reference": ex.REFERENCE,
                    "generated_at": "2026-03-20T10:30:05+00:00",
                    "purpose": "access",
                    "format": "dsar-desk export 1",
                    "sources": [{"name": "Orders database", "categories": SOURCE_RESULT["counts"]}],
                    "categories": SOURCE_RESULT["counts"],
                    "rows": 35,
                    "files": [
                        {"name": "data.json", "sha256": ex.SHA256, "size": 9120, "rows": 35},
                        {
                            "name": "csv/contact-details.csv",
                            "sha256": ex.SHA256,
                            "size": 164,
                            "rows": 1,
                            "category": "Contact details",
                        },
                        {
                            "name": "csv/orders.csv",
                            "sha256": ex.SHA256,
                            "size": 2210,
                            "rows": 34,
                            "category": "Orders",
                        },
                    ],
                },
                "error": "",
                "links": [LINK],
            },
            response_only=True,
        )
    ]
)
class ExportSerializer(serializers.ModelSerializer):
    document_id = serializers.IntegerField(source="document.pk", read_only=True)
    title = serializers.CharField(source="document.title", read_only=True)
    status = serializers.CharField(source="document.status", read_only=True)
    sha256 = serializers.CharField(source="document.sha256", read_only=True)
    size = serializers.IntegerField(source="document.size", read_only=True, allow_null=True)
    produced_at = serializers.DateTimeField(source="document.produced_at", read_only=True)
    links = DownloadLinkSerializer(source="document.download_links", many=True, read_only=True)

    class Meta:
        model = Export
        fields = [
            "document_id", "purpose", "title", "status", "sha256", "size", "produced_at",
            "manifest", "error", "links",
        ]  # fmt: skip


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "To the requester", value={"audience": "requester", "days": 14}, request_only=True
        )
    ]
)
class LinkCreateSerializer(serializers.Serializer):
    audience = serializers.ChoiceField(
        choices=DownloadLink.Audience.choices, default=DownloadLink.Audience.REQUESTER
    )
    days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS, required=False)
    recipient_email = serializers.EmailField(required=False, allow_blank=True, default="")


# --- actions, exemptions, objections -----------------------------------------------------

EXEMPTION = {
    "category": "Financial",
    "reason": "legal_obligation",
    "detail": "HMRC requires invoices to be kept for six years.",
}
OBJECTION = {
    "decision": "rejected",
    "processing": "Fraud checks on new accounts",
    "reasons": "Preventing fraud is a compelling legitimate ground that overrides the "
    "objection; the checks use only the account details.",
}


@extend_schema_serializer(
    examples=[OpenApiExample("A manual task done", value=MANUAL_STEP, response_only=True)]
)
class ActionStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActionStep
        fields = [
            "id", "source_name", "category_name", "operation", "status", "rows_affected",
            "instructions", "note", "error", "done_at",
        ]  # fmt: skip


@extend_schema_field(
    {"type": "string", "enum": list(ActionRight.values)}, component_name="ActionRightEnum"
)
class ActionRightField(serializers.ChoiceField):
    pass


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Rectification with a task by hand",
            value={
                "id": 6,
                "right": "rectification",
                "status": "running",
                "values": {"last_name": "Sample-Jones"},
                "recipients_to_tell": "Our courier, who has the delivery address.",
                "identifier_proof": [{"kind": "email", "hmac": ex.SHA256}],
                "started_at": ex.NOW,
                "finished_at": None,
                "steps": [
                    {
                        **MANUAL_STEP,
                        "id": 31,
                        "source_name": "Customer database",
                        "category_name": "Contact details",
                        "operation": "update",
                        "rows_affected": 1,
                        "instructions": "",
                        "note": "",
                    },
                    {
                        **MANUAL_STEP,
                        "status": "manual",
                        "rows_affected": None,
                        "note": "",
                        "done_at": None,
                    },
                ],
            },
            response_only=True,
        )
    ]
)
class ActionRunSerializer(serializers.ModelSerializer):
    right = ActionRightField(choices=ActionRight.choices, read_only=True)
    steps = ActionStepSerializer(many=True, read_only=True)

    class Meta:
        model = ActionRun
        fields = [
            "id", "right", "status", "values", "recipients_to_tell", "identifier_proof",
            "started_at", "finished_at", "steps",
        ]  # fmt: skip


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Rectification",
            value={
                "values": {"last_name": "Sample-Jones"},
                "recipients_to_tell": "Our courier, who has the delivery address.",
            },
            request_only=True,
        )
    ]
)
class ActionRunCreateSerializer(serializers.Serializer):
    values = serializers.DictField(
        child=serializers.CharField(max_length=500),
        required=False,
        default=dict,
        help_text="Rectification: the corrected value of each column an update step needs.",
    )
    recipients_to_tell = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000
    )
    confirmation = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text="Erasure: the subject's name, typed to confirm (after a completed search).",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Delivery notes corrected",
            value={"note": MANUAL_STEP["note"], "rows_affected": 3},
            request_only=True,
        )
    ]
)
class StepDoneSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)
    rows_affected = serializers.IntegerField(min_value=0, required=False, allow_null=True)


@extend_schema_serializer(
    examples=[
        OpenApiExample("Invoices", value=EXEMPTION, request_only=True),
        OpenApiExample(
            "Invoices", value={"id": 2, **EXEMPTION, "created_at": ex.NOW}, response_only=True
        ),
    ]
)
class ExemptionSerializer(serializers.ModelSerializer):
    category = serializers.SlugRelatedField(slug_field="name", queryset=DataCategory.objects.none())

    class Meta:
        model = Exemption
        fields = ["id", "category", "reason", "detail", "created_at"]
        read_only_fields = ["created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        case = self.context.get("case")
        if case is not None:
            self.fields["category"].queryset = DataCategory.objects.filter(
                controller=case.controller
            )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An email address",
            value={"email": "ada@example.net", "controller": ex.CONTROLLER},
            request_only=True,
        )
    ]
)
class SuppressionCheckQuerySerializer(serializers.Serializer):
    email = serializers.CharField(required=False, max_length=254)
    phone = serializers.CharField(required=False, max_length=40)
    controller = serializers.CharField(
        required=False, help_text="A controller's slug; default every controller you belong to."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("email") and not attrs.get("phone"):
            raise serializers.ValidationError({"email": ["Give an email or a phone number."]})
        return attrs


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Suppressed",
            value={"suppress": True, "controllers": [ex.CONTROLLER]},
            response_only=True,
        )
    ]
)
class SuppressionCheckSerializer(serializers.Serializer):
    suppress = serializers.BooleanField(help_text="True: send this person no marketing.")
    controllers = serializers.ListField(
        child=serializers.CharField(), help_text="Slugs of the controllers checked."
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Email and phone",
            value={"suppressed": 2, "kinds": ["email", "phone"]},
            response_only=True,
        )
    ]
)
class SuppressionAddedSerializer(serializers.Serializer):
    suppressed = serializers.IntegerField(help_text="Hashed identifiers on the list.")
    kinds = serializers.ListField(child=serializers.CharField())


@extend_schema_serializer(
    examples=[
        OpenApiExample("Not upheld", value=OBJECTION, request_only=True),
        OpenApiExample(
            "Not upheld",
            value={"id": 1, **OBJECTION, "decided_at": ex.NOW},
            response_only=True,
        ),
    ]
)
class ObjectionDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ObjectionDecision
        fields = ["id", "decision", "processing", "reasons", "decided_at"]
        read_only_fields = ["decided_at"]
        extra_kwargs = {"processing": {"required": False, "allow_blank": True}}

"""Serializers for the data map, searches, exports, actions and suppression endpoints.

Input serializers validate and hand plain values to the services of ``exports.data``;
output serializers read only what the views loaded (no per-row queries in lists).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from exports.data.casework import (
    ActionRun,
    ActionStep,
    Collection,
    DownloadLink,
    Exemption,
    Export,
    ObjectionDecision,
    SourceResult,
)
from exports.data.delivery import MAX_DAYS
from exports.data.models import (
    ActionRight,
    DataCategory,
    DataMapSettings,
    DataSystem,
    ProcessingPurpose,
)

# --- the data map ------------------------------------------------------------------------


class ProcessingPurposeSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcessingPurpose
        fields = ["purpose", "lawful_basis", "basis_detail"]


class DataCategorySerializer(serializers.ModelSerializer):
    """A category; ``purposes`` replaces the category's purposes when written."""

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

    def _save_relations(self, category: DataCategory, purposes: Any, systems: Any) -> None:
        if purposes is not None:
            category.purposes.all().delete()
            ProcessingPurpose.objects.bulk_create(
                ProcessingPurpose(category=category, order=i, **dict(item))
                for i, item in enumerate(purposes)
            )
        if systems is not None:
            category.systems.set(systems)

    def create(self, validated_data: dict[str, Any]) -> DataCategory:
        purposes = validated_data.pop("purposes", None)
        systems = validated_data.pop("systems", None)
        category = DataCategory.objects.create(
            controller=self.context["controller"], **validated_data
        )
        self._save_relations(category, purposes, systems)
        return category

    def update(self, instance: DataCategory, validated_data: dict[str, Any]) -> DataCategory:
        purposes = validated_data.pop("purposes", None)
        systems = validated_data.pop("systems", None)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.save()
        self._save_relations(instance, purposes, systems)
        return instance


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

    def create(self, validated_data: dict[str, Any]) -> DataSystem:
        return DataSystem.objects.create(controller=self.context["controller"], **validated_data)


class DataMapStatementsSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataMapSettings
        fields = ["automated_decisions", "transfers"]


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


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")


class RecordSerializer(serializers.Serializer):
    source = serializers.CharField()
    category = serializers.CharField()
    record = serializers.DictField(help_text="Field names as the source has them.")


# --- exports and links -------------------------------------------------------------------


class ExportCreateSerializer(serializers.Serializer):
    purpose = serializers.ChoiceField(choices=Export.Purpose.choices)


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
        from exports.data.delivery import link_url

        return link_url(link) if link.is_live else ""


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


class LinkCreateSerializer(serializers.Serializer):
    audience = serializers.ChoiceField(
        choices=DownloadLink.Audience.choices, default=DownloadLink.Audience.REQUESTER
    )
    days = serializers.IntegerField(min_value=1, max_value=MAX_DAYS, required=False)
    recipient_email = serializers.EmailField(required=False, allow_blank=True, default="")


# --- actions, exemptions, objections -----------------------------------------------------


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


class ActionRunSerializer(serializers.ModelSerializer):
    right = ActionRightField(choices=ActionRight.choices, read_only=True)
    steps = ActionStepSerializer(many=True, read_only=True)

    class Meta:
        model = ActionRun
        fields = [
            "id", "right", "status", "values", "recipients_to_tell", "identifier_proof",
            "started_at", "finished_at", "steps",
        ]  # fmt: skip


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


class StepDoneSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=5000)
    rows_affected = serializers.IntegerField(min_value=0, required=False, allow_null=True)


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


class SuppressionCheckSerializer(serializers.Serializer):
    suppress = serializers.BooleanField(help_text="True: send this person no marketing.")
    controllers = serializers.ListField(
        child=serializers.CharField(), help_text="Slugs of the controllers checked."
    )


class SuppressionAddedSerializer(serializers.Serializer):
    suppressed = serializers.IntegerField(help_text="Hashed identifiers on the list.")
    kinds = serializers.ListField(child=serializers.CharField())


class ObjectionDecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ObjectionDecision
        fields = ["id", "decision", "processing", "reasons", "decided_at"]
        read_only_fields = ["decided_at"]
        extra_kwargs = {"processing": {"required": False, "allow_blank": True}}

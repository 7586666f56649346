"""Serializers for the REST API: input checks and output shapes, no state changes.

Input serializers validate and hand plain values to ``dsar.services``; output serializers
read only what the selectors already loaded (no per-row queries in lists).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from dsar import actions, selectors
from dsar.abuse import proof_of_work
from dsar.choices import Channel
from dsar.configuration.checklist import publish_problems
from dsar.models import Case, CaseEvent, Controller, Pause
from dsar.services import CASE_INPUT_FIELDS
from dsar.validation import validate_request_fields

from . import examples as ex
from .fields import TEXT_MAX


class ReadModelSerializer(serializers.ModelSerializer):
    """For output: read-only model fields keep ``allow_blank``, which DRF drops, so the
    schema says a blank choice or email may come back as ``""`` (as it does)."""

    def include_extra_kwargs(
        self, kwargs: dict[str, Any], extra_kwargs: dict[str, Any]
    ) -> dict[str, Any]:
        blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs


# --- creating cases ------------------------------------------------------------------


class SubjectIdentifierSerializer(serializers.Serializer):
    kind = serializers.CharField(
        max_length=40, help_text="email, phone, customer_number, postcode..."
    )
    value = serializers.CharField(max_length=200)


POW_HOW = "Get a new challenge from GET /api/v1/requests/challenge/ and solve it."


class CaseFieldsSerializer(serializers.ModelSerializer):
    """The right and what the requester told us; shared by public intake and officers."""

    subject_identifiers = SubjectIdentifierSerializer(many=True, required=False, max_length=20)

    class Meta:
        model = Case
        fields = [
            "right", "requester_name", "requester_email", "requester_phone",
            "requester_address", "relationship", "subject_name", "subject_email",
            "subject_address", "organisation_name", "subject_identifiers", "description",
            "rectification_inaccurate", "rectification_correction", "objection_processing",
            "objection_direct_marketing", "portability_destination", "portability_recipient",
            "preferred_reply",
        ]  # fmt: skip
        extra_kwargs = {
            name: {"max_length": TEXT_MAX}
            for name in (
                "requester_address", "subject_address", "description", "rectification_inaccurate",
                "rectification_correction", "objection_processing",
            )
        }  # fmt: skip

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = validate_request_fields(attrs["right"], attrs)
        if errors:
            raise serializers.ValidationError({field: [msg] for field, msg in errors.items()})
        return attrs

    def case_fields(self) -> dict[str, Any]:
        """The validated values that ``services.case_create`` takes as ``fields``."""
        data = self.validated_data
        fields = {name: data[name] for name in CASE_INPUT_FIELDS if name in data}
        if "subject_identifiers" in fields:
            fields["subject_identifiers"] = [dict(item) for item in fields["subject_identifiers"]]
        return fields


class ProofOfWorkSerializer(serializers.Serializer):
    challenge = serializers.CharField(
        max_length=500, help_text="As returned by GET /api/v1/requests/challenge/."
    )
    solution = serializers.CharField(
        max_length=proof_of_work.SOLUTION_MAX_LENGTH,
        help_text='A string such that sha256("<challenge>:<solution>") starts with `bits` '
        "zero bits, e.g. a counter.",
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample("Proof-of-work check on", value=ex.POW_CHALLENGE_RESULT),
        OpenApiExample("Proof-of-work check off", value={"challenge": None, "bits": 0}),
    ]
)
class ProofOfWorkChallengeSerializer(serializers.Serializer):
    challenge = serializers.CharField(allow_null=True, help_text="null when the check is off.")
    bits = serializers.IntegerField(help_text="Leading zero bits asked for; 0 when off.")


@extend_schema_serializer(
    examples=[
        OpenApiExample("An access request", value=ex.INTAKE, request_only=True),
        OpenApiExample(
            "With the proof-of-work check on", value=ex.INTAKE_WITH_POW, request_only=True
        ),
    ]
)
class IntakeSerializer(CaseFieldsSerializer):
    """A request from the public (or a controller's own website) through the API."""

    controller = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Controller.objects.filter(is_active=True),
        help_text="The organisation asked, by its slug (as in /r/<slug>/).",
        error_messages={"does_not_exist": "No organisation takes requests at “{value}”."},
    )
    requester_email = serializers.EmailField(
        max_length=254, help_text="A confirmation link is sent here; the request waits for it."
    )
    declaration = serializers.BooleanField(
        help_text="The requester confirms the information is true and they are entitled to ask."
    )
    proof_of_work = ProofOfWorkSerializer(
        required=False,
        help_text="Required while the server's proof-of-work check is on "
        "(GET /api/v1/requests/challenge/ says so with bits > 0). Each challenge is good "
        "for one request.",
    )

    class Meta(CaseFieldsSerializer.Meta):
        fields = ["controller", *CaseFieldsSerializer.Meta.fields, "declaration", "proof_of_work"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if proof_of_work.is_on():
            answer = attrs.get("proof_of_work") or {}
            try:
                proof_of_work.verify(answer.get("challenge", ""), answer.get("solution", ""))
            except proof_of_work.ProofOfWorkError as exc:
                raise serializers.ValidationError(
                    {"proof_of_work": [f"{exc.message} {POW_HOW}"]}
                ) from None
        return attrs

    def validate_controller(self, controller: Controller) -> Controller:
        # Issue 19: the same minimum as the public form (configuration.checklist).
        if publish_problems(controller, form=False):
            raise serializers.ValidationError(
                f"{controller.name or controller.slug} does not take requests yet: its "
                "settings are not complete. Ask the organisation another way."
            )
        return controller

    def validate_declaration(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError("Confirm the declaration to send the request.")
        return value


@extend_schema_serializer(
    examples=[
        OpenApiExample("Waiting for the emailed link", value=ex.INTAKE_RESULT, response_only=True)
    ]
)
class IntakeResultSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField()
    message = serializers.CharField()


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An access request received by email", value=ex.CASE_CREATE, request_only=True
        )
    ]
)
class CaseCreateSerializer(CaseFieldsSerializer):
    """An officer (or another system) logs a request taken by post, phone, email..."""

    controller = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Controller.objects.none(),  # narrowed to the user's controllers in __init__
        help_text="Slug of a controller you act for.",
        error_messages={"does_not_exist": "You have no controller “{value}”."},
    )
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        default=Channel.API,
        help_text="How the request came in. `web`: a form on the controller's own site, "
        "forwarded by its backend; the case waits, unconfirmed, until the requester follows "
        "the link emailed to them (so `requester_email` is required). Any other channel "
        "starts at once, in progress.",
    )
    received_on = serializers.DateField(
        help_text="The day the request really arrived (day one of the clock); not in the future."
    )

    class Meta(CaseFieldsSerializer.Meta):
        fields = ["controller", "channel", "received_on", *CaseFieldsSerializer.Meta.fields]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["controller"].queryset = selectors.controllers_for(request.user)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if attrs["received_on"] > attrs["controller"].today():
            raise serializers.ValidationError(
                {"received_on": ["The received date cannot be in the future."]}
            )
        if attrs["channel"] == Channel.WEB and not attrs.get("requester_email"):
            raise serializers.ValidationError(
                {
                    "requester_email": [
                        "A web request is confirmed by email: give the requester's address."
                    ]
                }
            )
        if not any(
            attrs.get(f) for f in ("requester_email", "requester_phone", "requester_address")
        ):
            raise serializers.ValidationError(
                {
                    "requester_email": [
                        "Give at least one way to reach the requester: email, phone or address."
                    ]
                }
            )
        return attrs


# --- reading cases -------------------------------------------------------------------


class PauseSerializer(ReadModelSerializer):
    days = serializers.SerializerMethodField(
        help_text="Days paused, both ends included; an open pause counts to today."
    )

    class Meta:
        model = Pause
        fields = ["started_on", "ended_on", "reason", "sent_by", "answer", "days"]

    def get_days(self, pause: Pause) -> int:
        # pause.case is the prefetching case, already in memory with its controller.
        end = pause.ended_on or pause.case.controller.today()
        return max((end - pause.started_on).days + 1, 0)


# What CaseRowsSerializer reads: the list view loads only these.
CASE_LIST_COLUMNS = (
    "reference", "right", "channel", "status", "received_on", "due_date", "original_due_date",
    "extended", "requester_name", "requester_email", "subject_name", "organisation_name",
    "version", "created_at", "controller__slug", "controller__time_zone", "assignee__username",
)  # fmt: skip


DATE_TIME = serializers.DateTimeField()  # DRF's time zone and format, without binding


class CaseRowsSerializer(serializers.ListSerializer):
    """A page of cases, each exactly as CaseListSerializer gives one (a test compares
    them), built as plain dicts: DRF's per-field machinery cost more than the query."""

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        cases = data.all() if hasattr(data, "all") else data
        marker = "REFERENCE"
        url = reverse("api:case-detail", args=[marker])
        request = self.context.get("request")
        if request is not None:
            url = request.build_absolute_uri(url)
        rows = []
        for case in cases:
            days_left = case.days_left() if case.is_open else None
            rows.append(
                {
                    "reference": case.reference,
                    "url": url.replace(marker, case.reference),
                    "controller": case.controller.slug,
                    "right": str(case.right),
                    "channel": str(case.channel),
                    "status": str(case.status),
                    "received_on": _iso(case.received_on),
                    "due_date": _iso(case.due_date),
                    "original_due_date": _iso(case.original_due_date),
                    "extended": case.extended,
                    "assignee": case.assignee.username if case.assignee_id else None,
                    "requester_name": case.requester_name,
                    "requester_email": case.requester_email,
                    "subject_name": case.subject_name,
                    "organisation_name": case.organisation_name,
                    "days_left": days_left,
                    "is_overdue": days_left is not None and days_left < 0,
                    "version": case.version,
                    "created_at": DATE_TIME.to_representation(case.created_at),
                }
            )
        return rows


def _iso(day: Any) -> str | None:
    return day.isoformat() if day is not None else None


@extend_schema_serializer(
    examples=[OpenApiExample("An open access request", value=ex.CASE_LIST, response_only=True)]
)
class CaseListSerializer(ReadModelSerializer):
    """One queue row: everything here is on the case, its controller or its assignee."""

    url = serializers.HyperlinkedIdentityField(
        view_name="api:case-detail", lookup_field="reference"
    )
    controller = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    assignee = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="Username, or null when unassigned.",
    )
    days_left = serializers.SerializerMethodField(
        help_text="Calendar days to the end of the due day (negative when overdue); "
        "null once closed."
    )
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = [
            "reference", "url", "controller", "right", "channel", "status", "received_on",
            "due_date", "original_due_date", "extended", "assignee", "requester_name",
            "requester_email", "subject_name", "organisation_name", "days_left", "is_overdue",
            "version", "created_at",
        ]  # fmt: skip
        read_only_fields = fields
        list_serializer_class = CaseRowsSerializer

    def get_days_left(self, case: Case) -> int | None:
        return case.days_left() if case.is_open else None

    def get_is_overdue(self, case: Case) -> bool:
        return case.is_open and case.days_left() < 0


@extend_schema_serializer(
    examples=[OpenApiExample("An open access request", value=ex.CASE_DETAIL, response_only=True)]
)
class CaseDetailSerializer(CaseListSerializer):
    pauses = PauseSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField(
        help_text="The actions you may take now (`POST cases/{reference}/<action>/`); empty "
        "for a read-only role or a closed case."
    )

    def get_actions(self, case: Case) -> list[str]:
        # The case page's list, from the same table.
        request = self.context.get("request")
        if request is None:
            return []
        return [action.slug for action in actions.offered(request.user, case)]

    class Meta(CaseListSerializer.Meta):
        fields = [
            "reference", "url", "controller", "right", "channel", "status", "version",
            "received_on", "identity_received_on", "fee_requested_on", "fee_received_on",
            "due_date",
            "original_due_date", "extended", "extension_reason", "pauses", "days_left",
            "is_overdue", "assignee", "requester_name", "requester_email", "requester_phone",
            "requester_address", "relationship", "subject_name", "subject_email",
            "subject_address", "organisation_name", "subject_identifiers", "description",
            "rectification_inaccurate", "rectification_correction", "objection_processing",
            "objection_direct_marketing", "portability_destination", "portability_recipient",
            "preferred_reply", "declaration_at", "outcome", "refusal_ground", "outcome_reasons",
            "created_at", "confirmed_at", "closed_at", "actions",
        ]  # fmt: skip
        read_only_fields = fields


@extend_schema_serializer(
    examples=[OpenApiExample("Logged by an officer", value=ex.CASE_EVENT, response_only=True)]
)
class CaseEventSerializer(ReadModelSerializer):
    actor = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text="The officer's username; null otherwise.",
    )

    class Meta:
        model = CaseEvent
        fields = [
            "at",
            "actor_kind",
            "actor",
            "kind",
            "from_status",
            "to_status",
            "message",
            "data",
        ]
        read_only_fields = fields

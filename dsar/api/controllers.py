"""``/api/v1/controllers/``: the organisations answering requests, and their settings.

Who may do what (the rule used everywhere an endpoint says "controller admin"):

- read: any member of the controller (officer, auditor, admin); others get 404;
- change a controller's settings: its admins (Membership role ``admin``), staff users and
  superusers;
- create a controller: staff users and superusers only (a controller admin manages their
  own organisation, not the deployment). The creator is made its admin, so a staff user
  who is not a superuser sees what they created.

Controller settings are configuration, not case work: no case event is written. Creating
or changing a controller goes through ``dsar.configuration.services``, which records it on
the controller's Changes tab as the settings pages and the admin do.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from dsar import deadlines, selectors
from dsar.configuration import services as settings_services
from dsar.models import Controller

from . import examples as ex
from .permissions import IsOfficer, IsOfficerOrStaff

CONTROLLER_REQUEST = OpenApiExample(
    "A retailer on the calendar-month rule",
    value={
        "slug": ex.CONTROLLER,
        "name": ex.CONTROLLER_NAME,
        "legal_name": "Kynex Home Supplies Limited",
        "ico_registration": "ZA000123",
        "dpo_email": ex.DPO_EMAIL,
        "team_email": ex.TEAM_EMAIL,
        "time_zone": "Europe/London",
        "holiday_region": "england",
        "deadline_rule": "calendar_month",
        "reminder_days": [7, 3, 1],
    },
    request_only=True,
)
CONTROLLER_CHANGE = OpenApiExample(
    "Remind earlier and take phone requests",
    value={"reminder_days": [10, 5, 2], "accepts_phone": True},
    request_only=True,
)
CONTROLLER_RESPONSE = OpenApiExample(
    "A retailer on the calendar-month rule",
    value={
        "slug": ex.CONTROLLER,
        "name": ex.CONTROLLER_NAME,
        "legal_name": "Kynex Home Supplies Limited",
        "company_number": "00000123",
        "ico_registration": "ZA000123",
        "dpo_name": "Jo Placeholder",
        "dpo_email": ex.DPO_EMAIL,
        "dpo_phone": "07700 900456",
        "postal_address": "Data Protection Officer\nKynex Home Supplies\n2 Sample Road\nAB1 2CD",
        "team_email": ex.TEAM_EMAIL,
        "website": "https://www.example.com",
        "time_zone": "Europe/London",
        "holiday_region": "england",
        "deadline_rule": "calendar_month",
        "deadline_days": 28,
        "extension_months": 2,
        "clock_starts": "submitted",
        "accepted_identity_documents": ["Passport", "Driving licence"],
        "letterhead_required_for_organisations": True,
        "accepts_post": True,
        "accepts_phone": False,
        "reminder_days": [7, 3, 1],
        "closed_case_retention_days": 2190,
        "digest_hour": 8,
        "unconfirmed_chase_after_days": 3,
        "unconfirmed_discard_after_days": 14,
        "letterhead": "Kynex Home Supplies Limited, 2 Sample Road, AB1 2CD",
        "is_active": True,
    },
    response_only=True,
)


@extend_schema_serializer(examples=[CONTROLLER_REQUEST, CONTROLLER_RESPONSE])
class ControllerSerializer(serializers.ModelSerializer):
    reminder_days = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=60),
        max_length=10,
        required=False,
        help_text="Working days before due to remind the officers, e.g. [7, 3, 1].",
    )
    accepted_identity_documents = serializers.ListField(
        child=serializers.CharField(max_length=200),
        max_length=30,
        required=False,
        help_text='Documents accepted as proof of identity, e.g. ["Passport"].',
    )
    deadline_days = serializers.IntegerField(
        min_value=1,
        max_value=366,
        required=False,
        help_text="Used by the fixed-days rule: at most 28 (the law gives one calendar month).",
    )
    extension_months = serializers.IntegerField(
        min_value=0, max_value=12, required=False, help_text="At most 2 further months."
    )

    class Meta:
        model = Controller
        fields = [
            "slug", "name", "legal_name", "company_number", "ico_registration", "dpo_name",
            "dpo_email", "dpo_phone", "postal_address", "team_email", "website", "time_zone",
            "holiday_region", "deadline_rule", "deadline_days", "extension_months",
            "clock_starts", "accepted_identity_documents",
            "letterhead_required_for_organisations", "accepts_post", "accepts_phone",
            "reminder_days", "closed_case_retention_days", "digest_hour",
            "unconfirmed_chase_after_days", "unconfirmed_discard_after_days", "letterhead",
            "is_active",
        ]  # fmt: skip
        extra_kwargs = {
            "postal_address": {"max_length": 2000},
            "letterhead": {"max_length": 2000},
            "closed_case_retention_days": {"max_value": 100 * 365},
            "unconfirmed_chase_after_days": {"max_value": 365},
            "unconfirmed_discard_after_days": {"max_value": 366},
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance is not None:
            # The slug is the public form's address (/r/<slug>/) and every API reference:
            # it never changes once created.
            self.fields["slug"].read_only = True

    def validate_time_zone(self, value: str) -> str:
        try:
            ZoneInfo(value)
        except Exception:
            raise serializers.ValidationError("Not a known time zone.") from None
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        def value(name: str) -> Any:
            if name in attrs:
                return attrs[name]
            if self.instance is not None:
                return getattr(self.instance, name)
            return Controller._meta.get_field(name).get_default()

        chase, discard = (
            value("unconfirmed_chase_after_days"),
            value("unconfirmed_discard_after_days"),
        )
        if discard <= chase:
            raise serializers.ValidationError(
                {
                    "unconfirmed_discard_after_days": [
                        "Discard unconfirmed requests only after chasing them."
                    ]
                }
            )
        # The rule must be one the law allows, whatever the rule chosen (a 40-day value is
        # refused even with the calendar-month rule: it would apply the day the rule changes).
        problems = deadlines.rule_problems(
            value("deadline_rule"), value("deadline_days"), value("extension_months")
        )
        if problems:
            raise serializers.ValidationError({k: [v] for k, v in problems.items()})
        return attrs


class ControllerListCreateView(generics.ListCreateAPIView):
    permission_classes = [IsOfficerOrStaff]
    serializer_class = ControllerSerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[Controller]:
        return selectors.controllers_for(self.request.user).order_by("name", "pk")

    @extend_schema(
        operation_id="controllers_list",
        summary="The controllers you are a member of",
        tags=["controllers"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="controllers_create",
        summary="Create a controller (staff only); you become its admin",
        tags=["controllers"],
        responses={
            201: ControllerSerializer,
            400: OpenApiResponse(description="Invalid settings: {detail, errors}."),
            403: OpenApiResponse(description="Only staff users create controllers."),
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().post(request, *args, **kwargs)

    def perform_create(self, serializer: ControllerSerializer) -> None:
        user = self.request.user
        if not (user.is_staff or user.is_superuser):
            raise PermissionDenied("Only staff users can create controllers.")
        serializer.instance = settings_services.controller_create(
            fields=serializer.validated_data, by=user
        )


class ControllerDetailView(generics.RetrieveUpdateAPIView):
    permission_classes = [IsOfficer]
    serializer_class = ControllerSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> Controller:
        controller = (
            selectors.controllers_for(self.request.user).filter(slug=self.kwargs["slug"]).first()
        )
        if controller is None:
            raise NotFound("No such controller.")
        return controller

    @extend_schema(
        operation_id="controllers_retrieve", summary="A controller", tags=["controllers"]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="controllers_partial_update",
        summary="Change a controller's settings (its admins)",
        tags=["controllers"],
        # Only what changes (the slug never does); the view's examples replace the
        # serializer's, so the answer's is named again.
        examples=[CONTROLLER_CHANGE, CONTROLLER_RESPONSE],
        responses={
            200: ControllerSerializer,
            400: OpenApiResponse(description="Invalid settings: {detail, errors}."),
            403: OpenApiResponse(description="Only the controller's admins change it."),
            404: OpenApiResponse(description="No such controller visible to you."),
        },
    )
    def patch(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().patch(request, *args, **kwargs)

    def perform_update(self, serializer: ControllerSerializer) -> None:
        if not selectors.is_controller_admin(self.request.user, serializer.instance):
            raise PermissionDenied("Only this controller's admins can change its settings.")
        # The model's own checks, as the admin runs them, refuse with a 400 (dsar.api.errors).
        serializer.instance = settings_services.controller_update(
            controller=serializer.instance,
            by=self.request.user,
            values=serializer.validated_data,
            target="Organisation (through the API)",
        )

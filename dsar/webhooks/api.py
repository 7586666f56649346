"""``/api/v1/webhooks/``: a controller's admins register, list and delete receivers, and
read the delivery log. Everyone else sees none (a 404 on another's endpoint); an officer
or auditor who is not an admin of the controller gets 403 on registering one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from dsar import selectors
from dsar.api import examples as ex
from dsar.api.permissions import IsOfficer
from dsar.api.serializers import ReadModelSerializer
from dsar.configuration import webhooks
from dsar.models import Controller

from . import addresses
from .models import EventType, WebhookDelivery, WebhookEndpoint

ENDPOINT = {
    "controller": ex.CONTROLLER,
    "url": "https://crm.example.com/hooks/dsar",
    "description": "CRM: flag customers with an open request",
    "event_types": ["case.status_changed", "case.closed"],
}
ENDPOINT_READ = {**ENDPOINT, "id": 5, "is_active": True, "created_at": ex.RECEIVED_AT}


@extend_schema_serializer(
    examples=[
        OpenApiExample("Status changes and closures to a CRM", value=ENDPOINT, request_only=True),
        OpenApiExample(
            "Status changes and closures to a CRM", value=ENDPOINT_READ, response_only=True
        ),
    ]
)
class WebhookEndpointSerializer(serializers.ModelSerializer):
    controller = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Controller.objects.none(),  # narrowed to the user's controllers
        help_text="Slug of the controller whose case events are sent.",
        error_messages={"does_not_exist": "You have no controller “{value}”."},
    )
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=EventType.choices),
        required=False,
        max_length=len(EventType.values),
        help_text="Which events to send; empty or omitted: all of them.",
    )
    url = serializers.URLField(
        max_length=500,
        help_text="HTTPS, on a public address (see the README: webhooks).",
    )

    class Meta:
        model = WebhookEndpoint
        fields = [
            "id",
            "controller",
            "url",
            "description",
            "event_types",
            "is_active",
            "created_at",
        ]
        read_only_fields = ["id", "is_active", "created_at"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["controller"].queryset = selectors.controllers_for(request.user)

    def validate_url(self, value: str) -> str:
        try:
            addresses.check_url(value)
        except addresses.AddressRefused as exc:
            raise serializers.ValidationError(str(exc)) from None
        return value


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Registered with its secret",
            value={**ENDPOINT_READ, "secret": "whsec_3q2-7wQxExampleOnlyNotARealKey0000000000"},
            response_only=True,
        )
    ]
)
class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text="The signing key. Shown only now: keep it in your receiver's secrets.",
    )

    class Meta(WebhookEndpointSerializer.Meta):
        fields = [*WebhookEndpointSerializer.Meta.fields, "secret"]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Delivered on the first attempt",
            value={
                "event_id": "3f1c9a52-8d4e-4b7a-9c61-2e5f0d8b7a14",
                "event_type": "case.status_changed",
                "attempt": 1,
                "at": ex.LATER,
                "status_code": 200,
                "ok": True,
                "error": "",
                "duration_ms": 184,
                "message_state": "delivered",
            },
            response_only=True,
        )
    ]
)
class WebhookDeliverySerializer(ReadModelSerializer):
    event_id = serializers.UUIDField(source="message.event_id", read_only=True)
    event_type = serializers.CharField(source="message.event_type", read_only=True)
    message_state = serializers.CharField(
        source="message.state",
        read_only=True,
        help_text="pending (more attempts to come), delivered or failed (gave up).",
    )

    class Meta:
        model = WebhookDelivery
        fields = [
            "event_id", "event_type", "attempt", "at", "status_code", "ok", "error",
            "duration_ms", "message_state",
        ]  # fmt: skip
        read_only_fields = fields


class WebhookListCreateView(generics.ListCreateAPIView):
    permission_classes = [IsOfficer]
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[WebhookEndpoint]:
        return (
            WebhookEndpoint.objects.filter(
                controller__in=selectors.administered_by(self.request.user).values("pk")
            )
            .select_related("controller")
            .order_by("created_at", "id")
        )

    def get_serializer_class(self) -> type[serializers.BaseSerializer]:
        if self.request.method == "POST":
            return WebhookEndpointCreatedSerializer
        return WebhookEndpointSerializer

    @extend_schema(
        operation_id="webhooks_list",
        summary="Webhook endpoints of the controllers you administer",
        tags=["webhooks"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="webhooks_create",
        summary="Register an HTTPS endpoint for signed case events (controller admins)",
        description=(
            "Each event is POSTed as JSON and signed: `X-DSAR-Webhook-Signature: v1=<hex>` "
            "is the HMAC-SHA256, keyed with the returned `secret`, of "
            "`<X-DSAR-Webhook-Timestamp>.<raw body>`. Failed deliveries are retried with "
            "exponential back-off, then marked failed (see the deliveries log)."
        ),
        tags=["webhooks"],
        request=WebhookEndpointSerializer,
        responses={
            201: WebhookEndpointCreatedSerializer,
            400: OpenApiResponse(description="Invalid URL or events: {detail, errors}."),
            403: OpenApiResponse(description="Only the controller's admins register webhooks."),
        },
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = WebhookEndpointSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not selectors.is_controller_admin(request.user, data["controller"]):
            raise PermissionDenied("Only this controller's admins can register webhooks.")
        endpoint = webhooks.webhook_register(
            controller=data["controller"],
            by=request.user,
            url=data["url"],
            description=data.get("description", ""),
            event_types=data.get("event_types"),
        )
        body = WebhookEndpointCreatedSerializer(endpoint, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class WebhookDetailView(generics.RetrieveDestroyAPIView):
    permission_classes = [IsOfficer]
    serializer_class = WebhookEndpointSerializer

    def get_object(self) -> WebhookEndpoint:
        endpoint = (
            WebhookEndpoint.objects.filter(
                pk=self.kwargs["pk"],
                controller__in=selectors.administered_by(self.request.user).values("pk"),
            )
            .select_related("controller")
            .first()
        )
        if endpoint is None:
            raise NotFound("No such webhook endpoint.")
        return endpoint

    @extend_schema(
        operation_id="webhooks_retrieve", summary="A webhook endpoint", tags=["webhooks"]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="webhooks_destroy",
        summary="Delete a webhook endpoint, its messages and their delivery log",
        tags=["webhooks"],
        responses={204: None, 404: OpenApiResponse(description="No such endpoint.")},
    )
    def delete(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        endpoint = self.get_object()
        webhooks.webhook_remove(controller=endpoint.controller, by=request.user, endpoint=endpoint)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryListView(generics.ListAPIView):
    """Every attempt, newest first: the delivery log."""

    permission_classes = [IsOfficer]
    serializer_class = WebhookDeliverySerializer
    filter_backends: list = []

    def get_queryset(self) -> QuerySet[WebhookDelivery]:
        endpoint = WebhookDetailView(request=self.request, kwargs=self.kwargs).get_object()
        return (
            WebhookDelivery.objects.filter(message__endpoint=endpoint)
            .select_related("message")
            .order_by("-at", "-id")
        )

    @extend_schema(
        operation_id="webhooks_deliveries_list",
        summary="The delivery log: one row per attempt, newest first",
        tags=["webhooks"],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

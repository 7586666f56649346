"""``GET /api/v1/deadlines/preview/``: "when is this due?" for any received date and rule."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from dsar import deadlines, selectors
from dsar.models import Controller

from .examples import DEADLINE_PREVIEW
from .permissions import IsOfficer


class DeadlinePreviewQuerySerializer(serializers.Serializer):
    """Query parameters. With ``controller``, its settings apply unless given explicitly."""

    received = serializers.DateField(help_text="The day the request arrived, YYYY-MM-DD.")
    controller = serializers.CharField(
        required=False, help_text="Take rule, days, extension and region from this controller."
    )
    rule = serializers.ChoiceField(choices=[r.value for r in deadlines.Rule], required=False)
    days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=366,
        help_text="N for the days rule (implies rule=days).",
    )
    extension_months = serializers.IntegerField(required=False, min_value=0, max_value=12)
    region = serializers.ChoiceField(choices=[r.value for r in deadlines.Region], required=False)
    extended = serializers.BooleanField(default=False)
    identity_received = serializers.DateField(required=False)
    fee_received = serializers.DateField(required=False)
    pause = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        max_length=50,
        help_text="START:END, both days included (START: while still open); repeatable.",
    )
    as_of = serializers.DateField(
        required=False, help_text="Count open pauses to this day; default today."
    )

    def validate_controller(self, slug: str) -> Controller:
        controller = (
            selectors.controllers_for(self.context["request"].user).filter(slug=slug).first()
        )
        if controller is None:
            raise serializers.ValidationError(f"You have no controller “{slug}”.")
        return controller

    def validate_pause(self, values: list[str]) -> list[deadlines.Pause]:
        pauses, errors = [], []
        for text in values:
            try:
                pauses.append(deadlines.parse_pause(text))
            except ValueError as exc:
                errors.append(str(exc))
        if errors:
            raise serializers.ValidationError(errors)
        return pauses

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = {}
        for name, label in (
            ("identity_received", "Identity evidence"),
            ("fee_received", "The fee"),
        ):
            if attrs.get(name) and attrs[name] < attrs["received"]:
                errors[name] = [f"{label} cannot arrive before the request."]
        if errors:
            raise serializers.ValidationError(errors)
        controller = attrs.get("controller")
        options = deadlines.regime_options(
            controller.deadline_options() if controller else None,
            **{k: attrs.get(k) for k in ("rule", "days", "extension_months", "region")},
        )
        try:
            attrs["input"] = deadlines.DeadlineInput(
                received=attrs["received"],
                extended=attrs["extended"],
                identity_received=attrs.get("identity_received"),
                fee_received=attrs.get("fee_received"),
                pauses=tuple(attrs.get("pause", ())),
                **options,
            )
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from None
        return attrs


class DeadlinePreviewInputSerializer(serializers.Serializer):
    received = serializers.DateField()
    rule = serializers.CharField()
    days = serializers.IntegerField(help_text="Used by the days rule only.")
    extension_months = serializers.IntegerField()
    region = serializers.CharField()
    extended = serializers.BooleanField()
    identity_received = serializers.DateField(allow_null=True)
    fee_received = serializers.DateField(allow_null=True)
    controller = serializers.CharField(allow_null=True)


class DeadlinePreviewSerializer(serializers.Serializer):
    due_date = serializers.DateField(help_text="The deadline: the extended one when extended=true.")
    original_due_date = serializers.DateField()
    extended_due_date = serializers.DateField()
    start_date = serializers.DateField()
    paused_days = serializers.IntegerField()
    explanation = serializers.ListField(child=serializers.CharField())
    input = DeadlinePreviewInputSerializer(help_text="What the answer was computed from.")


def deadline_preview_data(
    result: deadlines.Deadline, inp: deadlines.DeadlineInput, controller: Controller | None
) -> dict[str, Any]:
    return {
        "due_date": result.due,
        "original_due_date": result.original_due,
        "extended_due_date": result.extended_due,
        "start_date": result.start,
        "paused_days": result.paused_days,
        "explanation": list(result.explanation),
        "input": {
            "received": inp.received,
            "rule": inp.rule.value,
            "days": inp.days,
            "extension_months": inp.extension_months,
            "region": inp.region.value,
            "extended": inp.extended,
            "identity_received": inp.identity_received,
            "fee_received": inp.fee_received,
            "controller": controller.slug if controller else None,
        },
    }


class DeadlinePreviewView(APIView):
    permission_classes = [IsOfficer]

    @extend_schema(
        operation_id="deadlines_preview",
        summary="Preview a deadline",
        description=(
            "Applies the UK rule (see dsar/deadlines.py): start date, one calendar month or N "
            "days, clarification pauses, then the roll to the next working day. With "
            "`controller`, that controller's rule, days, extension and holiday region are used "
            "unless given explicitly."
        ),
        parameters=[DeadlinePreviewQuerySerializer],
        responses=DeadlinePreviewSerializer,
        examples=[
            # ?received=2026-03-02&controller=kynex&pause=2026-03-05:2026-03-09
            OpenApiExample("Paused five days", value=DEADLINE_PREVIEW, response_only=True)
        ],
        tags=["deadlines"],
    )
    def get(self, request: Request) -> Response:
        query = DeadlinePreviewQuerySerializer(
            data=request.query_params, context={"request": request}
        )
        query.is_valid(raise_exception=True)
        params = query.validated_data
        controller = params.get("controller")
        as_of = params.get("as_of") or (controller.today() if controller else timezone.localdate())
        result = deadlines.compute_deadline(params["input"], as_of=as_of)
        data = deadline_preview_data(result, params["input"], controller)
        return Response(DeadlinePreviewSerializer(data).data)

"""The case actions' input on the API: each serializer's fields are the keyword arguments
of the action's service, plus ``version``. The table in :mod:`dsar.actions` pairs them."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from dsar import clock, selectors
from dsar.choices import ExtensionGround, Outcome, RefusalGround

from . import examples as ex
from .fields import TEXT_MAX, ExtensionGroundField, FeeGroundField, RefusalGroundField


class ActionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The case version you last read. If the case changed since, nothing is done "
        "and the answer is 409.",
    )


@extend_schema_serializer(
    examples=[ex.action_example("Assign to an officer", {"assignee": ex.OFFICER})]
)
class AssignActionSerializer(ActionSerializer):
    assignee = serializers.CharField(
        allow_null=True,
        help_text="Username of an officer of the case's controller; null to unassign.",
    )

    def validate_assignee(self, value: str | None) -> Any:
        if value is None:
            return None
        officer = (
            selectors.assignable_officers(self.context["case"].controller)
            .filter(username=value)
            .first()
        )
        if officer is None:
            raise serializers.ValidationError(f"No officer of this controller is called “{value}”.")
        return officer


@extend_schema_serializer(
    examples=[
        ex.action_example(
            "Ask which account is meant",
            {"reason": ex.PAUSE["reason"]},
        )
    ]
)
class PauseActionSerializer(ActionSerializer):
    reason = serializers.CharField(
        max_length=TEXT_MAX,
        help_text="The question, sent to the requester now (email, or a letter by post).",
    )
    started_on = serializers.DateField(
        required=False,
        help_text="Only today is accepted: a pause starts the day the question is sent.",
    )


@extend_schema_serializer(
    examples=[ex.action_example("The requester answered", {"ended_on": ex.RESUMED_ON})]
)
class ResumeActionSerializer(ActionSerializer):
    ended_on = serializers.DateField(
        required=False, help_text="The day the answer came; default today."
    )
    answer = serializers.CharField(
        max_length=TEXT_MAX, required=False, allow_blank=True, help_text="Their answer, in short."
    )


@extend_schema_serializer(
    examples=[
        ex.action_example(
            "A repeated request",
            {
                "ground": "manifestly_excessive",
                "amount": "£25.00",
                "reason": "The third identical request this month; two hours of staff time.",
                "how_to_pay": "By card on 0300 000 0000, quoting the reference.",
            },
        )
    ]
)
class RequestFeeActionSerializer(ActionSerializer):
    ground = FeeGroundField(
        choices=[(g.value, g.label) for g in clock.FeeGround],
        help_text="Nothing else allows a fee (Art 12(5), 15(3)).",
    )
    amount = serializers.CharField(max_length=100)
    reason = serializers.CharField(max_length=TEXT_MAX, help_text="Told to the requester.")
    how_to_pay = serializers.CharField(max_length=TEXT_MAX)


@extend_schema_serializer(
    examples=[ex.action_example("Paid by card", {"received_on": ex.RESUMED_ON})]
)
class FeeReceivedActionSerializer(ActionSerializer):
    received_on = serializers.DateField(
        required=False, help_text="The day the fee arrived (the clock restarts); default today."
    )


@extend_schema_serializer(
    examples=[
        ex.action_example(
            "A complex request",
            {
                "reason": "The request covers eleven years of orders, calls and emails, "
                "held in four systems.",
                "ground": "complex",
            },
        )
    ]
)
class ExtendActionSerializer(ActionSerializer):
    reason = serializers.CharField(
        max_length=TEXT_MAX,
        help_text="Why the request is complex or numerous (told to the requester).",
    )
    ground = ExtensionGroundField(
        choices=ExtensionGround.choices,
        required=False,
        help_text="complex, numerous or both: what the reports count. Without it, the "
        "reports read the reason's words.",
    )


class NoteActionSerializer(ActionSerializer):
    note = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)


@extend_schema_serializer(
    examples=[
        ex.action_example(
            "Photo ID", {"note": "Please send a copy of your passport or driving licence."}
        )
    ]
)
class RequestIdentityActionSerializer(NoteActionSerializer):
    pass


@extend_schema_serializer(
    examples=[
        ex.action_example(
            "Ready for review",
            {"note": "Export and covering letter ready for a second pair of eyes."},
        )
    ]
)
class SubmitForReviewActionSerializer(NoteActionSerializer):
    pass


@extend_schema_serializer(
    examples=[
        ex.action_example("More work", {"note": "The call recordings are missing from the export."})
    ]
)
class ReturnForWorkActionSerializer(NoteActionSerializer):
    pass


@extend_schema_serializer(
    examples=[ex.action_example("Passport received", {"received_on": ex.PAUSED_ON})]
)
class IdentityReceivedActionSerializer(ActionSerializer):
    received_on = serializers.DateField(
        required=False,
        help_text="The day the evidence arrived (the clock restarts); default today.",
    )


@extend_schema_serializer(
    examples=[
        ex.action_example(
            "Partly fulfilled",
            {
                "outcome": "partly_fulfilled",
                "reasons": "Fraud-check records withheld (crime exemption).",
            },
        )
    ]
)
class CloseActionSerializer(ActionSerializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reasons = serializers.CharField(
        max_length=TEXT_MAX,
        required=False,
        allow_blank=True,
        help_text="Required when partly fulfilled: the exemptions applied.",
    )


@extend_schema_serializer(
    examples=[
        ex.action_example(
            "Manifestly excessive",
            {
                "ground": "manifestly_excessive",
                "reasons": "The same request was answered in full on 2 February 2026.",
            },
        )
    ]
)
class RefuseActionSerializer(ActionSerializer):
    ground = RefusalGroundField(choices=RefusalGround.choices)
    reasons = serializers.CharField(max_length=TEXT_MAX, help_text="Told to the requester.")


@extend_schema_serializer(
    examples=[
        ex.action_example(
            "Withdrawn by email",
            {"reason": "The requester wrote that they no longer need the copy."},
        )
    ]
)
class WithdrawActionSerializer(ActionSerializer):
    reason = serializers.CharField(max_length=TEXT_MAX, required=False, allow_blank=True)

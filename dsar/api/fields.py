"""Serializer fields shared by the case API's serializers (case data and case actions)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from dsar import clock
from dsar.choices import ExtensionGround, RefusalGround

TEXT_MAX = 5000


# Choice sets that are a subset of, or another name for, a model field's choices get their
# own named schema component, so the generator does not see one enum under two names.
@extend_schema_field(
    {"type": "string", "enum": list(RefusalGround.values)}, component_name="GroundEnum"
)
class RefusalGroundField(serializers.ChoiceField):
    pass


@extend_schema_field(
    {"type": "string", "enum": [g.value for g in clock.FeeGround]},
    component_name="FeeGroundEnum",
)
class FeeGroundField(serializers.ChoiceField):
    pass


@extend_schema_field(
    {"type": "string", "enum": list(ExtensionGround.values)},
    component_name="ExtensionGroundEnum",
)
class ExtensionGroundField(serializers.ChoiceField):
    pass

"""Attack: a staff user wiping the suppression list in the admin."""

import pytest
from django.urls import reverse

from exports.models import SuppressionEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_not_even_a_superuser_can_delete_a_suppression_entry(client, controller):
    entry = SuppressionEntry.objects.create(controller=controller, kind="email", digest="ab" * 32)
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:exports_suppressionentry_delete", args=[entry.pk])
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 403
    changelist = reverse("admin:exports_suppressionentry_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [entry.pk]})
    assert SuppressionEntry.objects.filter(pk=entry.pk).exists()

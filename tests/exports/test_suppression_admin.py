"""Attack: a staff user wiping the suppression list in the admin; withdrawing an entry
is the one change, recorded with a reason (issue 18)."""

import pytest
from django.urls import reverse

from dsar.choices import Right, Role
from dsar.configuration.models import ControllerEvent
from dsar.errors import CaseActionError
from exports.data.services import suppression
from exports.models import SuppressionEntry
from tests.exports.data.conftest import JANE, subject_case
from tests.factories import UserFactory, officer_of

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


# --- issue 18 point 2: withdrawn with a reason, never deleted ------------------------------


def marketing_objection(controller):
    case = subject_case(controller, right=Right.OBJECTION, objection_direct_marketing=True)
    return case, suppression.suppression_add_for_case(case=case, by=None)


def test_an_entry_is_withdrawn_in_the_admin_with_a_reason_and_stays_on_record(client, controller):
    case, entries = marketing_objection(controller)
    email = next(e for e in entries if e.kind == "email")
    staff = officer_of(controller, role=Role.ADMIN, username="ada", is_staff=True)
    client.force_login(staff)
    change = reverse("admin:exports_suppressionentry_change", args=[email.pk])

    response = client.post(change, {"withdraw_reason": "Asked to get our newsletter again."})

    assert response.status_code == 302
    email.refresh_from_db()
    assert email.withdrawn_by == staff and email.withdrawn_at is not None
    assert email.withdrawn_reason == "Asked to get our newsletter again."
    assert not suppression.is_suppressed([controller], email=JANE["email"])
    assert SuppressionEntry.objects.filter(pk=email.pk).exists()  # withdrawn, not deleted
    event = ControllerEvent.objects.get(controller=controller, kind="suppression_withdrawn")
    assert event.actor == staff and event.after["reason"] == "Asked to get our newsletter again."
    assert case.events.filter(kind="suppression_withdrawn").exists()
    page = client.get(change).content.decode()
    assert "withdraw_reason" not in page  # a withdrawn entry cannot be changed again


def test_withdrawing_needs_a_reason_and_happens_once(controller, officer):
    _, entries = marketing_objection(controller)
    with pytest.raises(CaseActionError, match="why"):
        suppression.suppression_withdraw(entry=entries[0], by=officer, reason="  ")
    suppression.suppression_withdraw(entry=entries[0], by=officer, reason="Consent given.")
    with pytest.raises(CaseActionError, match="already"):
        suppression.suppression_withdraw(entry=entries[0], by=officer, reason="Again.")


def test_a_new_objection_after_a_withdrawal_suppresses_again_beside_the_old_entry(
    controller, officer
):
    _, entries = marketing_objection(controller)
    for entry in entries:
        suppression.suppression_withdraw(entry=entry, by=officer, reason="Consent given.")
    assert not suppression.is_suppressed([controller], email=JANE["email"])

    marketing_objection(controller)

    assert suppression.is_suppressed([controller], email=JANE["email"])
    assert SuppressionEntry.objects.filter(kind="email").count() == 2


def test_a_staff_admin_of_another_controller_cannot_see_or_withdraw_the_entry(
    client, controller, other_controller
):
    _, entries = marketing_objection(controller)
    client.force_login(officer_of(other_controller, role=Role.ADMIN, username="x", is_staff=True))
    change = reverse("admin:exports_suppressionentry_change", args=[entries[0].pk])
    client.post(change, {"withdraw_reason": "Because."})
    entries[0].refresh_from_db()
    assert entries[0].withdrawn_at is None

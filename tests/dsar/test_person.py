"""The person panel, duplicate warnings, and linking cases as the same person."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dsar.choices import Relationship, Right, Status
from dsar.models import CaseEvent
from tests.factories import CaseFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def panel(client, case) -> str:
    html = client.get(case.get_absolute_url()).content.decode()
    start = html.index('<section class="panel person"')
    return html[start : html.index("</section>", start)]


def test_panel_shows_the_same_persons_requests_in_every_status(officer_client, controller):
    case = CaseFactory(
        controller=controller,
        requester_email="Ada@Example.org",
        requester_phone="020 7946 0001",
        subject_identifiers=[{"kind": "customer_number", "value": "C-1001"}],
    )
    by_email = CaseFactory(controller=controller, requester_email="ada@example.org ")
    by_phone = CaseFactory(
        controller=controller, requester_phone="+44 20 7946 0001", status=Status.CLOSED
    )
    by_number = CaseFactory(
        controller=controller,
        subject_identifiers=[{"kind": "customer_number", "value": "c1001"}],
        status=Status.WITHDRAWN,
    )
    stranger = CaseFactory(controller=controller, requester_email="someone@example.org")
    shown = panel(officer_client, case)
    for other in (by_email, by_phone, by_number):
        assert other.reference in shown
    assert stranger.reference not in shown
    assert "Possible duplicate" in shown  # by_email: open, same right


def test_an_agents_own_phone_does_not_make_two_subjects_one_person(officer_client, controller):
    first = CaseFactory(
        controller=controller, relationship=Relationship.SOLICITOR, requester_phone="0161 4960000"
    )
    second = CaseFactory(
        controller=controller, relationship=Relationship.SOLICITOR, requester_phone="0161 4960000"
    )
    assert second.reference not in panel(officer_client, first)


def test_another_controllers_case_never_appears_in_the_panel(officer_client, controller, outsider):
    case = CaseFactory(controller=controller, requester_email="ada@example.org")
    elsewhere = CaseFactory(controller=outsider.memberships.get().controller)
    elsewhere.requester_email = "ada@example.org"
    elsewhere.save()
    assert elsewhere.reference not in panel(officer_client, case)


def test_staff_of_both_controllers_see_both(client, controller, other_controller):
    both = UserFactory(username="group-dpo")
    MembershipFactory(user=both, controller=controller)
    MembershipFactory(user=both, controller=other_controller)
    case = CaseFactory(controller=controller, requester_email="ada@example.org")
    elsewhere = CaseFactory(controller=other_controller, requester_email="ada@example.org")
    client.force_login(both)
    shown = panel(client, case)
    assert elsewhere.reference in shown and "Other Group" in shown


def test_matching_survives_erasure_of_the_personal_fields(officer_client, controller):
    case = CaseFactory(controller=controller, requester_email="ada@example.org")
    erased = CaseFactory(
        controller=controller, requester_email="ada@example.org", status=Status.CLOSED
    )
    erased.requester_name = erased.requester_email = ""
    erased.save()
    erased.refresh_from_db()
    assert erased.requester_email == "" and erased.search_text == erased.reference.lower()
    assert erased.reference in panel(officer_client, case)


def test_link_and_unlink_write_an_event_on_both_cases(officer_client, controller, officer):
    case = CaseFactory(controller=controller, requester_email="ada@example.org")
    other = CaseFactory(controller=controller, requester_email="a.lovelace@example.net")
    assert other.reference not in panel(officer_client, case)

    officer_client.post(
        reverse("dsar:person_link", args=[case.reference]), {"other": other.reference.lower()}
    )
    assert other.reference in panel(officer_client, case)
    assert case.reference in panel(officer_client, other)
    for this, that in ((case, other), (other, case)):
        event = CaseEvent.objects.get(case=this, kind="person_linked")
        assert event.actor == officer and event.data == {"other": that.reference}

    officer_client.post(
        reverse("dsar:person_unlink", args=[case.reference]), {"other": other.reference}
    )
    assert other.reference not in panel(officer_client, case)
    assert CaseEvent.objects.filter(kind="person_unlinked").count() == 2


def test_unlinking_keeps_apart_two_cases_whose_email_matches(officer_client, controller):
    case = CaseFactory(controller=controller, requester_email="ada@example.org")
    namesake = CaseFactory(controller=controller, requester_email="ada@example.org")
    officer_client.post(
        reverse("dsar:person_unlink", args=[case.reference]), {"other": namesake.reference}
    )
    assert namesake.reference not in panel(officer_client, case)


def test_auditor_cannot_link_and_outsider_gets_404(client, auditor, outsider, controller):
    case = CaseFactory(controller=controller)
    other = CaseFactory(controller=controller)
    url = reverse("dsar:person_link", args=[case.reference])
    client.force_login(auditor)
    assert client.post(url, {"other": other.reference}).status_code == 403
    client.force_login(outsider)
    assert client.post(url, {"other": other.reference}).status_code == 404
    assert CaseEvent.objects.count() == 0


def test_logging_a_request_from_the_same_email_warns_of_a_duplicate(officer_client, controller):
    existing = CaseFactory(controller=controller, requester_email="ada@example.org")
    form = {
        "controller": controller.pk,
        "channel": "email",
        "received_on": controller.today().isoformat(),
        "right": Right.ACCESS,
        "requester_name": "Ada Lovelace",
        "requester_email": "ADA@example.org",
        "relationship": Relationship.SELF,
        "preferred_reply": "email",
    }
    response = officer_client.post(reverse("dsar:log_request"), form)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This may be a duplicate" in html
    assert f'href="{existing.get_absolute_url()}"' in html
    assert CaseEvent.objects.filter(kind="created").count() == 0

    response = officer_client.post(reverse("dsar:log_request"), {**form, "duplicate_ok": "1"})
    assert response.status_code == 302
    assert CaseEvent.objects.filter(kind="created").count() == 1


def test_case_page_with_the_person_panel_runs_a_fixed_number_of_queries(officer_client, controller):
    case = CaseFactory(controller=controller, requester_email="ada@example.org")
    seen = {}
    for number in (5, 50):
        while _others(case) < number:
            CaseFactory(controller=controller, requester_email="ada@example.org")
        with CaptureQueriesContext(connection) as queries:
            html = panel(officer_client, case)
        assert html.count("<li>") == number
        seen[number] = len(queries)
    assert seen[5] == seen[50], seen


def _others(case) -> int:
    from dsar.models import PersonKey

    digests = case.person_keys.values("digest")
    return PersonKey.objects.filter(digest__in=digests).exclude(case=case).count()

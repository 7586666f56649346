"""`manage.py seed_demo`: the demo organisations, logins and a queue worth looking at."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from dsar import services
from dsar.choices import OPEN_STATUSES, Role, Status
from dsar.models import Case, CaseEvent, Controller, Membership
from dsar.selectors import can_act, visible_cases

SLUGS = {"customer-first-group", "cx-services", "intelligent-actions", "kynex"}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings, tmp_path):
    """The command sets three passwords; a fast hasher keeps each test quick. Its logins
    file goes to a temporary VAR_DIR."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.VAR_DIR = tmp_path


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def output() -> str:
    return seed()


def counts() -> tuple[int, ...]:
    from django.contrib.auth import get_user_model

    return (
        Controller.objects.count(),
        get_user_model().objects.count(),
        Membership.objects.count(),
        Case.objects.count(),
        CaseEvent.objects.count(),
    )


def test_one_controller_per_seed_organisation(output):
    assert set(Controller.objects.values_list("slug", flat=True)) == SLUGS


def test_kynex_promises_28_days_and_the_others_a_calendar_month(output):
    rules = dict(Controller.objects.values_list("slug", "deadline_rule"))
    assert rules.pop("kynex") == "days"
    assert Controller.objects.get(slug="kynex").deadline_days == 28
    assert set(rules.values()) == {"calendar_month"}


def test_controllers_carry_what_their_notices_say(output):
    ia = Controller.objects.get(slug="intelligent-actions")
    assert "Colour copy of passport" in ia.accepted_identity_documents
    assert len(ia.accepted_identity_documents) == 4
    assert ia.letterhead_required_for_organisations
    assert ia.dpo_email == "dpo@iactions.co.uk"
    cx = Controller.objects.get(slug="cx-services")
    assert (cx.ico_registration, cx.holiday_region, cx.accepts_phone) == (
        "ZA506847",
        "scotland",
        True,
    )
    cfg = Controller.objects.get(slug="customer-first-group")
    assert (cfg.company_number, cfg.ico_registration) == ("10782184", "ZA919714")
    # No ICO number is invented where a notice gives none.
    assert Controller.objects.get(slug="kynex").ico_registration == ""
    assert ia.ico_registration == ""
    # Reminders for unassigned cases never reach a real organisation's inbox.
    assert all(c.team_email.endswith(".invalid") for c in Controller.objects.all())


def test_officer_logs_in_with_the_printed_password_and_sees_the_queue(client, output):
    assert "officer / demo-officer-2026" in output
    assert "http://127.0.0.1:8000/queue/" in output
    assert client.login(username="officer", password="demo-officer-2026")
    response = client.get("/queue/")
    assert response.status_code == 200
    most_overdue = Case.objects.filter(status=Status.IN_PROGRESS).order_by("due_date").first()
    assert most_overdue.reference in response.text
    assert "tag-overdue" in response.text
    assert "tag-soon" in response.text
    officer = Case.objects.filter(assignee__isnull=False).first().assignee
    assert visible_cases(officer).count() == Case.objects.count() > 0
    assert all(can_act(officer, c) for c in Controller.objects.all())


def test_auditor_sees_every_controller_but_cannot_act(client, output):
    assert client.login(username="auditor", password="demo-auditor-2026")
    auditor = Membership.objects.filter(role=Role.AUDITOR).first().user
    assert Membership.objects.filter(user=auditor).count() == len(SLUGS)
    assert not any(can_act(auditor, c) for c in Controller.objects.all())
    assert client.login(username="admin", password="demo-admin-2026")


def test_cases_cover_every_status(output):
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert Case.objects.count() >= 40
    for status in Status:
        assert f"  {status.value}: " in output


def test_queue_has_overdue_cases_and_cases_due_this_week(output):
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES).select_related("controller")
    days_left = [c.days_left() for c in open_cases]
    assert any(d < 0 for d in days_left)
    assert any(0 <= d <= 7 for d in days_left)
    assert Case.objects.filter(extended=True).exists()
    assert Case.objects.filter(pauses__ended_on__isnull=False).exists()
    assert Case.objects.filter(
        status=Status.AWAITING_REQUESTER, pauses__ended_on__isnull=True
    ).exists()
    assert Case.objects.filter(assignee__isnull=False).exists()
    assert Case.objects.filter(assignee__isnull=True).exists()


def test_stored_due_dates_are_the_engines_answer(output):
    for case in Case.objects.filter(status__in=OPEN_STATUSES).select_related("controller"):
        assert case.due_date == services.compute_case_deadline(case).due, case.reference


def test_every_case_has_an_event_trail(output):
    assert not Case.objects.filter(events__isnull=True).exists()
    refused = Case.objects.filter(status=Status.REFUSED).first()
    assert refused.events.filter(kind="refused").exists()


def test_running_twice_changes_nothing(output):
    before = counts()
    seed()
    assert counts() == before


def test_reset_replaces_the_demo_cases(output):
    old = set(Case.objects.values_list("reference", flat=True))
    before = counts()
    seed("--reset")
    assert counts()[3] == before[3]
    assert not old & set(Case.objects.values_list("reference", flat=True))


def test_no_cases_makes_controllers_and_users_only():
    seed("--no-cases")
    assert Controller.objects.count() == len(SLUGS)
    assert not Case.objects.exists()


def test_refuses_to_run_in_production_without_being_told(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        seed()
    assert not Controller.objects.exists()


def test_settings_are_for_admins_in_the_officer_app_not_the_django_admin(client, output):
    """Issue 19 reversed the old demo grant: the officer changes no settings anywhere."""
    client.login(username="officer", password="demo-officer-2026")
    kynex = Controller.objects.get(slug="kynex")
    assert client.get(f"/admin/dsar/controller/{kynex.pk}/change/").status_code == 302
    assert client.get("/settings/kynex/organisation/").status_code == 403
    client.login(username="admin", password="demo-admin-2026")
    assert client.get("/settings/kynex/organisation/").status_code == 200


def test_the_demo_officer_has_no_django_admin_access(output, client):
    """Issue 19: settings live in the officer app; the admin is for superusers."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    officer = get_user_model().objects.get(username="officer")
    assert not officer.is_staff
    assert not officer.is_superuser
    assert not officer.user_permissions.exists()
    assert officer.get_all_permissions() == set()
    client.force_login(officer)
    response = client.get("/" + settings.ADMIN_PATH)
    assert response.status_code == 302  # to the admin's sign-in, not the admin
    assert "login" in response["Location"]

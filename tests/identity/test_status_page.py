"""The requester's status page over HTTP: the signed link, uploads, withdrawing, new links."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from dsar import services as case_services
from dsar.choices import Channel, Status
from dsar.tokens import make_confirmation_token
from identity.choices import StepStatus
from identity.models import EvidenceFile
from identity.tokens import make_status_token, status_path
from tests.factories import CaseFactory
from tests.identity.factories import EXE, PDF, StepFactory, new_case, upload

pytestmark = pytest.mark.django_db


def upload_url(case, step, token=None):
    return reverse("identity:upload", args=[token or make_status_token(case.reference), step.pk])


def send(client, case, step, content=PDF, name="passport.pdf", **data):
    return client.post(upload_url(case, step), {"file": upload(content, name), **data})


# --- the link --------------------------------------------------------------------------


def test_the_page_shows_reference_right_status_and_what_is_needed(client, controller, step):
    controller.accepted_identity_documents = ["Colour copy of passport"]
    controller.save()
    case = step.case
    response = client.get(status_path(case))
    text = response.content.decode()
    assert response.status_code == 200
    assert case.reference in text
    assert "Access (a copy of your data)" in text
    assert "We need to check who you are before we can start." in text
    assert "The time limit starts when we have what we need" in text
    assert "Send one of colour copy of passport." in text
    assert text.count("Proof of your identity") == 1  # the heading, not repeated (issue 15)
    assert case.requester_email not in text and case.requester_name not in text
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_case_in_progress_shows_its_due_date(client, controller):
    case = CaseFactory(controller=controller, received_on=dt.date(2026, 6, 3))
    with time_machine.travel("2026-06-04 10:00 +01:00", tick=False):
        text = client.get(status_path(case)).content.decode()
    assert "We must reply by Friday 3 July 2026" in text
    assert "We are working on your request." in text


def test_a_link_opens_its_own_case_and_never_another(client, controller, step):
    other = CaseFactory(controller=controller, status=Status.AWAITING_IDENTITY)
    other_step = StepFactory(case=other)
    token_a = make_status_token(step.case.reference)
    assert other.reference not in client.get(f"/status/{token_a}/").content.decode()
    response = client.post(upload_url(step.case, other_step, token_a), {"file": upload()})
    assert response.status_code == 404
    assert not EvidenceFile.objects.exists()


def test_a_tampered_link_is_not_recognised(client, step):
    token = make_status_token(step.case.reference)
    forged = make_status_token(CaseFactory(controller=step.case.controller).reference)
    tampered = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    spliced = forged.split(":")[0] + ":" + ":".join(token.split(":")[1:])
    for bad in (tampered, spliced, "not-a-token"):
        response = client.get(f"/status/{bad}/")
        assert response.status_code == 404
        assert "This link does not work" in response.content.decode()


def test_a_confirmation_link_token_is_not_a_status_link(client, step):
    response = client.get(f"/status/{make_confirmation_token(step.case.reference)}/")
    assert response.status_code == 404


def test_an_expired_link_offers_a_new_one_for_the_same_organisation(client, settings, step):
    settings.STATUS_LINK_MAX_AGE_DAYS = 30
    with time_machine.travel("2026-06-01 10:00 +01:00", tick=False):
        path = status_path(step.case)
    with time_machine.travel("2026-06-30 10:00 +01:00", tick=False):
        assert client.get(path).status_code == 200
    with time_machine.travel("2026-07-02 10:00 +01:00", tick=False):
        response = client.get(path)
        upload_response = client.post(path + f"steps/{step.pk}/upload/", {"file": upload()})
    assert response.status_code == 410
    text = response.content.decode()
    assert "This link has expired" in text
    assert f"/status/?organisation={step.case.controller.slug}" in text
    assert upload_response.status_code == 410
    assert not EvidenceFile.objects.exists()


def test_opening_the_emailed_link_proves_the_email_address(client, controller, officer):
    from tests.identity.factories import PolicyFactory

    PolicyFactory(controller=controller, require_identity_document=False)
    case = new_case(controller, channel=Channel.EMAIL, by=officer)
    assert case.status == Status.AWAITING_IDENTITY
    link = re.search(r"https?://\S+/status/\S+/", case.emails.get().body_text).group(0)
    text = client.get(link.split("8000", 1)[1]).content.decode()
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert case.verification_steps.get().status == StepStatus.PASSED
    assert "We must reply by" in text
    assert case.events.get(kind="verification_passed").actor_kind == "system"


# --- uploads -------------------------------------------------------------------------------


def test_a_pdf_upload_is_kept_and_thanked_for(client, step):
    response = send(client, step.case, step)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Thank you: we have your file." in page
    assert "We have 1 file from you for this" in page
    item = EvidenceFile.objects.get()
    assert item.step == step
    assert step.case.events.get(kind="evidence_uploaded").actor_kind == "requester"


def test_an_oversized_file_is_refused_with_the_limit(client, settings, step):
    settings.EVIDENCE_MAX_BYTES = 2000
    response = send(client, step.case, step, content=PDF + b"0" * 3000)
    assert response.status_code == 413
    text = response.content.decode()
    assert "The file is too big. Send a file of up to 2 KB" in text
    assert f'href="#id_step{step.pk}_file"' in text
    assert not EvidenceFile.objects.exists()


def test_a_wrong_type_is_refused_clearly(client, step):
    response = send(client, step.case, step, content=b"GIF89a" + b"0" * 50, name="id.gif")
    assert response.status_code == 400
    assert "This file is not a PDF, JPEG or PNG" in response.content.decode()
    assert not EvidenceFile.objects.exists()


def test_an_executable_renamed_pdf_is_refused(client, step):
    response = send(client, step.case, step, content=EXE, name="passport.pdf")
    assert response.status_code == 400
    text = response.content.decode()
    assert "We could not take that file" in text
    assert "not a PDF, JPEG or PNG, whatever its name says" in text
    assert not EvidenceFile.objects.exists()


def test_sending_no_file_says_so(client, step):
    response = client.post(upload_url(step.case, step), {})
    assert response.status_code == 400
    assert "Choose a file to send." in response.content.decode()


def test_which_document_is_asked_and_the_answer_kept_when_the_file_is_refused(
    client, controller, step
):
    controller.accepted_identity_documents = ["Colour copy of passport", "Driving licence"]
    controller.save()
    response = send(client, step.case, step, content=EXE, document_kind="Driving licence")
    text = response.content.decode()
    assert re.search(r'value="Driving licence"[^>]*checked', text)
    response = send(client, step.case, step)
    assert "Say which document you are sending." in response.content.decode()
    send(client, step.case, step, document_kind="Driving licence")
    assert EvidenceFile.objects.get().document_kind == "Driving licence"


def test_uploads_need_the_pages_csrf_token(step):
    client = Client(enforce_csrf_checks=True)
    response = client.post(upload_url(step.case, step), {"file": upload()})
    assert response.status_code == 403
    assert not EvidenceFile.objects.exists()


def test_no_upload_form_for_a_check_already_passed(client, officer, step):
    from identity import services

    services.step_pass(step=step, by=officer)
    text = client.get(status_path(step.case)).content.decode()
    assert 'class="stack upload-form"' not in text  # (the message form stays: issue 15)
    assert "Proof of your identity: checked, thank you." in text
    assert send(client, step.case, step).status_code == 400


# --- withdrawing -----------------------------------------------------------------------------


def test_withdrawing_needs_the_box_ticked(client, step):
    url = reverse("identity:withdraw", args=[make_status_token(step.case.reference)])
    response = client.post(url, {"reason": "Sorted out by phone."})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Tick the box to confirm you want to withdraw the request." in text
    assert "Sorted out by phone." in text
    step.case.refresh_from_db()
    assert step.case.status == Status.AWAITING_IDENTITY


def test_the_requester_withdraws_from_the_page(client, step):
    url = reverse("identity:withdraw", args=[make_status_token(step.case.reference)])
    response = client.post(url, {"confirm": "on", "reason": "Sorted out by phone."}, follow=True)
    text = response.content.decode()
    assert "You withdrew this request." in text
    assert "Withdraw my request" not in text
    case = step.case
    case.refresh_from_db()
    assert case.status == Status.WITHDRAWN
    event = case.events.get(kind="withdrawn")
    assert (event.actor, event.actor_kind, event.message) == (
        None, "requester", "Sorted out by phone.",
    )  # fmt: skip


def test_a_withdrawn_request_cannot_be_withdrawn_again(client, step):
    case_services.case_withdraw(case=step.case, by=None, actor_kind="requester")
    url = reverse("identity:withdraw", args=[make_status_token(step.case.reference)])
    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 400


# --- asking for a new link -------------------------------------------------------------------


def ask(client, controller, email):
    return client.post("/status/", {"controller": controller.slug, "email": email})


def test_a_new_link_is_emailed_only_for_open_requests_with_no_hint_either_way(
    client, controller, other_controller, django_capture_on_commit_callbacks
):
    case = CaseFactory(controller=controller, requester_email="ada@example.net")
    CaseFactory(controller=controller, requester_email="ada@example.net", status=Status.CLOSED)
    CaseFactory(controller=other_controller, requester_email="ada@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        held = ask(client, controller, "ADA@example.net")
        not_held = ask(client, controller, "nobody@example.net")
    assert held.status_code == not_held.status_code == 302
    assert held["Location"] == not_held["Location"] == "/status/sent/"
    (email,) = mail.outbox
    assert email.to == ["ada@example.net"]
    assert case.reference in email.subject
    link = re.search(r"https?://\S+(/status/\S+/)", email.body).group(1)
    assert client.get(link).status_code == 200
    assert case.events.filter(kind="status_link_sent").count() == 1
    sent = client.get("/status/sent/").content.decode()
    assert "If we hold a request for that address, we have emailed you a link." in sent


def test_with_the_broker_down_asking_for_a_link_answers_the_same_and_logs_no_address(
    client, controller, monkeypatch, caplog
):
    from identity import tasks

    def unreachable(*args):
        raise OSError("Connection refused")

    monkeypatch.setattr(tasks.send_status_links, "delay", unreachable)
    CaseFactory(controller=controller, requester_email="ada@example.net")

    response = ask(client, controller, "ada@example.net")

    assert response.status_code == 302 and response["Location"] == "/status/sent/"
    assert "Could not queue identity.tasks.send_status_links" in caplog.text
    assert "ada@example.net" not in caplog.text
    assert mail.outbox == []


def test_asking_for_a_link_is_rate_limited(client, settings, controller):
    settings.STATUS_LINK_RATE_LIMIT_PER_HOUR = 2
    assert ask(client, controller, "a@example.net").status_code == 302
    assert ask(client, controller, "b@example.net").status_code == 302
    response = ask(client, controller, "c@example.net")
    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()


def test_the_new_link_form_explains_its_errors(client, controller):
    response = client.post("/status/", {"email": "not an email"})
    text = response.content.decode()
    assert response.status_code == 400
    assert "Choose the organisation you made the request to." in text
    assert "Enter an email address like name@example.com." in text
    page = client.get(f"/status/?organisation={controller.slug}").content.decode()
    assert f'<option value="{controller.slug}" selected>' in page


def test_uploads_per_case_are_rate_limited(client, monkeypatch, step):
    from identity import status_views

    monkeypatch.setattr(status_views, "UPLOADS_PER_HOUR", 1)
    assert send(client, step.case, step).status_code == 302
    response = send(client, step.case, step)
    assert response.status_code == 429
    assert "a lot of files in the last hour" in response.content.decode()
    assert EvidenceFile.objects.count() == 1

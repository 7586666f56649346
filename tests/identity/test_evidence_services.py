"""Storing evidence: checked by content, stored under a random name, audited, never logged."""

import logging
from pathlib import Path

import pytest
from django.core.files.storage import default_storage, storages

from dsar.choices import ActorKind, Status
from dsar.errors import CaseActionError
from identity import evidence_services, services
from identity.choices import Method
from identity.evidence import EvidenceRejected
from identity.models import EvidenceFile
from tests.identity.factories import EXE, JPEG, StepFactory, upload

pytestmark = pytest.mark.django_db
NAMED = "Ada-Lovelace-passport.pdf"  # a name that must never show up anywhere


def stored_files() -> list[str]:
    try:
        folders = default_storage.listdir("evidence")[0]
    except FileNotFoundError:
        return []
    return [
        f"evidence/{folder}/{name}"
        for folder in folders
        for name in default_storage.listdir(f"evidence/{folder}")[1]
    ]


def test_an_upload_is_stored_under_a_random_name_outside_the_web_root(settings, step):
    item = evidence_services.evidence_add(
        step=step, upload=upload(name="Ada-Lovelace-passport.pdf")
    )
    assert item.content_type == "application/pdf"
    assert item.file.name.startswith(f"evidence/{step.case_id}/")
    assert item.file.name.endswith(".pdf")
    assert "Ada" not in item.file.name and "passport" not in item.file.name
    on_disk = Path(storages["files"].path(item.file.name))
    assert on_disk.is_relative_to(settings.MEDIA_ROOT)
    assert not on_disk.read_bytes().startswith(b"%PDF")  # encrypted at rest (issue 18)
    assert item.file.open("rb").read().startswith(b"%PDF")
    assert not settings.MEDIA_URL or settings.MEDIA_URL == "/"  # nothing serves MEDIA_ROOT
    step.refresh_from_db()
    assert step.evidence_received_on == step.case.controller.today()


def test_an_upload_is_an_event_by_the_requester_without_the_file_name(step):
    item = evidence_services.evidence_add(
        step=step, upload=upload(name="Ada-Lovelace-passport.pdf")
    )
    event = step.case.events.get(kind="evidence_uploaded")
    assert event.actor_kind == ActorKind.REQUESTER
    assert event.data["sha256"] == item.sha256
    assert "Ada" not in str(event.data) + event.message
    assert event.message.startswith("Identity document: a PDF (")


def test_the_type_comes_from_the_content_not_the_name(step):
    item = evidence_services.evidence_add(step=step, upload=upload(JPEG, name="scan.pdf"))
    assert (item.content_type, item.file.name[-4:]) == ("image/jpeg", ".jpg")


def test_a_refused_file_leaves_nothing_behind(step):
    with pytest.raises(EvidenceRejected):
        evidence_services.evidence_add(step=step, upload=upload(EXE, name="passport.pdf"))
    assert not EvidenceFile.objects.exists()
    assert stored_files() == []
    assert not step.case.events.filter(kind="evidence_uploaded").exists()


def test_a_file_for_a_check_already_decided_is_refused_and_removed(officer, step):
    services.step_pass(step=step, by=officer)
    with pytest.raises(CaseActionError, match="no longer need"):
        evidence_services.evidence_add(step=step, upload=upload())
    assert stored_files() == []


def test_a_file_for_a_check_that_takes_none_is_refused(waiting_case):
    email_step = StepFactory(case=waiting_case, method=Method.EMAIL_OWNERSHIP)
    with pytest.raises(CaseActionError, match="does not take a file"):
        evidence_services.evidence_add(step=email_step, upload=upload())


def test_a_file_for_a_closed_case_is_refused(step):
    step.case.status = Status.WITHDRAWN
    step.case.save()
    with pytest.raises(CaseActionError):
        evidence_services.evidence_add(step=step, upload=upload())
    assert stored_files() == []


def test_no_file_name_path_or_content_reaches_the_logs(caplog, officer, step):
    caplog.set_level(logging.DEBUG)
    item = evidence_services.evidence_add(
        step=step, upload=upload(name="Ada-Lovelace-passport.pdf")
    )
    evidence_services.evidence_viewed(evidence_file=item, by=officer)
    text = caplog.text
    assert "Evidence" in text  # something was logged, by id
    assert "Ada-Lovelace" not in text
    assert item.file.name not in text
    assert "SPECIMEN" not in text

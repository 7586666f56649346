"""`manage.py controller_config`: a controller's configuration out as JSON and back in."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from dsar.configuration import portable, services
from dsar.configuration.models import ControllerEvent
from dsar.demo import DEMO_SLUGS
from dsar.models import Case, Controller
from dsar.webhooks.models import WebhookEndpoint

from .test_pages import png


def run(*args: str, answer: str | None = None, monkeypatch=None) -> str:
    out = io.StringIO()
    if answer is not None:
        monkeypatch.setattr("builtins.input", lambda prompt: (out.write(prompt), answer)[1])
    call_command("controller_config", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    call_command("seed_demo", "--no-cases", stdout=io.StringIO())
    kynex = Controller.objects.get(slug="kynex")
    # Cover what the demo lacks: a logo and a webhook.
    services.letterhead_update(
        controller=kynex, by=None, text=kynex.letterhead, logo_description="Kynex logo",
        logo=_upload(),
    )  # fmt: skip
    WebhookEndpoint.objects.create(
        controller=kynex, url="https://crm.example.com/hook", event_types=["case.created"]
    )
    return Controller.objects.filter(slug__in=DEMO_SLUGS)


def _upload():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("logo.png", png().getvalue(), content_type="image/png")


@pytest.mark.django_db(transaction=True, databases=["default", "subject_data"])
def test_every_demo_configuration_survives_export_and_import_into_an_empty_database(demo, tmp_path):
    exported = {}
    for controller in demo:
        path = tmp_path / f"{controller.slug}.json"
        run("export", controller.slug, str(path))
        exported[controller.slug] = json.loads(path.read_text())
    assert len(exported) == len(DEMO_SLUGS) == 4
    assert exported["kynex"]["categories"] and exported["kynex"]["sources"]

    call_command("flush", "--noinput", stdout=io.StringIO())
    assert not Controller.objects.exists()

    for slug in exported:
        output = run("import", slug, str(tmp_path / f"{slug}.json"), "--yes")
        assert "the import creates it" in output
    assert not Case.objects.exists()  # configuration, never cases
    for slug, before in exported.items():
        after = portable.export_config(Controller.objects.get(slug=slug))
        assert after.keys() == before.keys()
        for section in before:
            if isinstance(before[section], dict):
                for field in before[section]:
                    assert after[section][field] == before[section][field], (slug, section, field)
            assert after[section] == before[section], (slug, section)
        # Importing the same file again changes nothing.
        again = run("import", slug, str(tmp_path / f"{slug}.json"), "--yes")
        assert "Nothing to change" in again


@pytest.mark.django_db(databases=["default", "subject_data"])
def test_an_import_shows_the_differences_and_asks_first(demo, tmp_path, monkeypatch):
    path = tmp_path / "kynex.json"
    run("export", "kynex", str(path))
    data = json.loads(path.read_text())
    data["controller"]["name"] = "Kynex Group"
    data["categories"][0]["retention"] = "Five years"
    first = data["categories"][0]["name"]
    path.write_text(json.dumps(data))

    output = run("import", "kynex", str(path), answer="n", monkeypatch=monkeypatch)
    assert '~ controller.name: "Kynex" -> "Kynex Group"' in output
    assert f"~ categories[{first}].retention:" in output and '-> "Five years"' in output
    assert "Apply these changes to kynex? [y/N]" in output
    assert "Nothing was changed." in output
    assert Controller.objects.get(slug="kynex").name == "Kynex"

    output = run("import", "kynex", str(path), "--dry-run")
    assert "Dry run: nothing was changed." in output
    assert Controller.objects.get(slug="kynex").name == "Kynex"

    output = run("import", "kynex", str(path), answer="y", monkeypatch=monkeypatch)
    assert "Imported the configuration" in output
    kynex = Controller.objects.get(slug="kynex")
    assert kynex.name == "Kynex Group"
    assert kynex.data_categories.get(name=first).retention == "Five years"
    event = ControllerEvent.objects.get(controller=kynex, kind="configuration_imported")
    assert '~ controller.name: "Kynex" -> "Kynex Group"' in event.after["changes"]


@pytest.mark.django_db(databases=["default", "subject_data"])
def test_a_file_that_is_not_a_configuration_is_refused(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"hello": 1}')
    with pytest.raises(CommandError, match="Not a controller configuration"):
        run("import", "x", str(path), "--yes")
    path.write_text("not json")
    with pytest.raises(CommandError, match="is not JSON"):
        run("import", "x", str(path), "--yes")
    assert not Controller.objects.exists()


@pytest.mark.django_db
def test_exporting_an_unknown_controller_says_so(tmp_path):
    with pytest.raises(CommandError, match="No controller with the slug 'nope'"):
        run("export", "nope", str(tmp_path / "x.json"))


@pytest.mark.django_db
def test_the_export_carries_no_secrets_or_people(controller, admin, tmp_path):
    WebhookEndpoint.objects.create(controller=controller, url="https://crm.example.com/h")
    text = run("export", controller.slug, "-")
    data = json.loads(text)
    assert "whsec_" not in text
    assert admin.username not in text
    assert data["webhooks"] == [
        {"url": "https://crm.example.com/h", "description": "", "event_types": [],
         "is_active": True}
    ]  # fmt: skip

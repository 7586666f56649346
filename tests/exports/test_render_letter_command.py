"""``manage.py render_letter``: a letter's PDF for a case, written to a file, not issued."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dsar.models import CaseEvent
from exports.letters import LETTER_KINDS
from exports.management.commands.render_letter import Command
from exports.models import Document
from tests.exports.conftest import flat, pdf_text

pytestmark = pytest.mark.django_db


def test_writes_the_pdf_and_issues_nothing(letter_case, tmp_path, capsys):
    output = tmp_path / "letter.pdf"
    events = CaseEvent.objects.filter(case=letter_case).count()
    call_command("render_letter", letter_case.reference, "refusal", "--output", str(output))
    data = output.read_bytes()
    assert data.startswith(b"%PDF")
    assert letter_case.reference in pdf_text(data)
    assert "Wrote" in capsys.readouterr().out
    assert not Document.objects.exists()
    assert CaseEvent.objects.filter(case=letter_case).count() == events


def test_fields_can_be_given_on_the_command_line(letter_case, tmp_path):
    output = tmp_path / "refusal.pdf"
    call_command(
        "render_letter",
        letter_case.reference,
        "refusal",
        "-o",
        str(output),
        "--field",
        "reasons=The same request, a fourth time.",
    )
    assert "The same request, a fourth time." in flat(pdf_text(output.read_bytes()))


def test_help_lists_every_kind():
    text = Command().create_parser("manage.py", "render_letter").format_help()
    for key, kind in LETTER_KINDS.items():
        assert key in text
        assert kind.title in text


def test_unknown_reference_is_a_command_error(db, tmp_path):
    with pytest.raises(CommandError, match="No case with reference"):
        call_command("render_letter", "DSAR-1999-000001", "refusal", "-o", str(tmp_path / "x"))


def test_unknown_kind_is_a_command_error(letter_case, tmp_path):
    with pytest.raises(CommandError, match="Unknown letter kind 'poem'"):
        call_command("render_letter", letter_case.reference, "poem", "-o", str(tmp_path / "x"))


def test_unknown_field_is_a_command_error(letter_case, tmp_path):
    with pytest.raises(CommandError, match="--field takes NAME=TEXT"):
        call_command(
            "render_letter",
            letter_case.reference,
            "refusal",
            "-o",
            str(tmp_path / "x"),
            "--field",
            "colour=blue",
        )

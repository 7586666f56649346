"""``manage.py dsar_deadline``: the deadline preview from the command line."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*args: str) -> list[str]:
    out = StringIO()
    call_command("dsar_deadline", *args, stdout=out)
    return out.getvalue().splitlines()


def test_prints_the_explanation_then_the_due_date_alone_on_the_last_line():
    lines = run("--received", "2026-01-31")
    assert lines[-1] == "2026-03-02"  # 28 Feb 2026 is a Saturday
    assert any("February has no day 31" in line for line in lines[:-1])
    assert any("falls on a weekend" in line for line in lines[:-1])


@pytest.mark.parametrize(
    ("args", "due"),
    [
        pytest.param(["--received", "2025-09-03"], "2025-10-03", id="ico-3-sep-due-3-oct"),
        pytest.param(
            ["--received", "2026-01-31", "--extended"], "2026-04-30", id="extended-three-months"
        ),
        pytest.param(
            ["--received", "2026-01-31", "--rule", "days", "--days", "28"],
            "2026-03-02",
            id="28-days-from-sat-lands-sat-due-mon",
        ),
        pytest.param(
            ["--received", "2026-02-02", "--days", "30"], "2026-03-04", id="days-implies-days-rule"
        ),
        pytest.param(
            ["--received", "2026-03-06", "--region", "scotland"],
            "2026-04-06",
            id="scotland-works-on-easter-monday",
        ),
        pytest.param(
            ["--received", "2026-03-06", "--region", "england"],
            "2026-04-07",
            id="england-rolls-past-easter-monday",
        ),
        pytest.param(
            ["--received", "2026-02-02", "--identity-received", "2026-02-12"],
            "2026-03-12",
            id="identity-received-is-the-start",
        ),
        pytest.param(
            ["--received", "2026-02-02", "--fee-received", "2026-02-09"],
            "2026-03-09",
            id="fee-received-is-the-start",
        ),
        pytest.param(
            ["--received", "2026-02-02", "--pause", "2026-02-04:2026-02-06"],
            "2026-03-05",
            id="one-pause-adds-3-days",
        ),
        pytest.param(
            [
                "--received", "2026-02-02",
                "--pause", "2026-02-04:2026-02-06",
                "--pause", "2026-02-16:2026-02-16",
            ],
            "2026-03-06",
            id="repeated-pause-flag-adds-up",
        ),
        pytest.param(
            [
                "--received", "2026-02-02",
                "--pause", "2026-02-04:2026-02-06", "2026-02-16:",
                "--as-of", "2026-02-16",
            ],
            "2026-03-06",
            id="several-values-after-one-flag-with-an-open-pause",
        ),
        pytest.param(
            ["--received", "2026-02-02", "--pause", "2026-02-04:", "--as-of", "2026-02-10"],
            "2026-03-09",
            id="open-pause-counts-to-as-of",
        ),
    ],
)  # fmt: skip
def test_due_date_for_flags(args, due):
    assert run(*args)[-1] == due


def test_open_pause_counts_up_to_today_by_default(time_machine):
    time_machine.move_to("2026-02-10 12:00:00+00:00", tick=False)
    assert run("--received", "2026-02-02", "--pause", "2026-02-04:")[-1] == "2026-03-09"


def test_keyword_options_are_checked_too():
    out = StringIO()
    call_command(
        "dsar_deadline", received="2026-02-02", pause=["2026-02-04:2026-02-06"], stdout=out
    )
    assert out.getvalue().splitlines()[-1] == "2026-03-05"
    with pytest.raises(CommandError, match="--identity-received: Not a date"):
        call_command("dsar_deadline", received="2026-02-02", identity_received="soon")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(["--received", "31/01/2026"], "--received: Not a date", id="bad-received"),
        pytest.param(["--received", "2026-02-30"], "Not a date: '2026-02-30'", id="no-such-day"),
        pytest.param(
            ["--received", "2026-02-02", "--pause", "2026-02-04"], "expected START:END",
            id="pause-without-colon",
        ),
        pytest.param(
            ["--received", "2026-02-02", "--pause", "2026-02-09:2026-02-04"],
            r"cannot end \(2026-02-04\) before it starts", id="pause-ends-before-start",
        ),
        pytest.param(
            ["--received", "2026-02-02", "--pause", "yesterday:"], "--pause: Not a date",
            id="pause-bad-date",
        ),
        pytest.param(
            ["--received", "2026-02-02", "--identity-received", "2026-02-01"],
            "Identity evidence cannot be received", id="identity-before-request",
        ),
        pytest.param(
            ["--received", "2026-02-02", "--fee-received", "2026-01-01"],
            "fee cannot be received", id="fee-before-request",
        ),
        pytest.param(["--received", "2026-02-02", "--days", "0"], "at least 1", id="zero-days"),
        pytest.param(
            ["--received", "2026-02-02", "--region", "wales"], "invalid choice: 'wales'",
            id="unknown-region",
        ),
    ],
)  # fmt: skip
def test_bad_input_is_a_command_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


@pytest.mark.django_db
def test_unknown_controller_slug_is_a_command_error():
    with pytest.raises(CommandError, match="No controller with slug 'nobody-here'"):
        run("--received", "2026-02-02", "--controller", "nobody-here")


@pytest.mark.django_db
def test_controller_settings_apply_and_explicit_flags_override():
    from dsar.models import Controller

    Controller.objects.create(
        slug="highland",
        name="Highland Stores",
        deadline_rule="days",
        deadline_days=28,
        extension_months=2,
        holiday_region="scotland",
    )
    # 31 Dec 2026 + 28 days = Thu 28 Jan 2027; + 2 months = Sun 28 Mar 2027 (Easter Day)
    # -> Mon 29 Mar: Easter Monday is not a bank holiday in Scotland.
    assert run("--received", "2026-12-31", "--controller", "highland")[-1] == "2027-01-28"
    assert run("--received", "2026-12-31", "--controller", "highland", "--extended")[-1] == (
        "2027-03-29"
    )
    # Scotland: 28 days from Tue 5 Dec 2028 is Tue 2 Jan 2029, a Scottish bank holiday.
    lines = run("--received", "2028-12-05", "--controller", "highland")
    assert lines[-1] == "2029-01-03"
    assert any("Scotland (New Year Holiday)" in line for line in lines)
    # Flags win: the calendar-month rule in England, 5 Dec 2028 -> Fri 5 Jan 2029.
    overridden = run(
        "--received", "2028-12-05", "--controller", "highland",
        "--rule", "calendar_month", "--region", "england",
    )  # fmt: skip
    assert overridden[-1] == "2029-01-05"

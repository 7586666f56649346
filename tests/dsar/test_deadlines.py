"""The deadline engine against a real calendar.

Every expected date below was checked by hand against ``calendar`` and the ``holidays``
package (England and Wales unless the id says otherwise); the id says why it is right.
"""

from __future__ import annotations

import ast
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest

from dsar import deadlines
from dsar.deadlines import (
    PRESETS,
    DeadlineInput,
    Pause,
    Region,
    Rule,
    add_working_days,
    compute_deadline,
    holiday_name,
    is_working_day,
    next_working_day,
    parse_date,
    parse_pause,
    working_days_between,
)

D = date
ENG, SCT, NIR = Region.ENGLAND, Region.SCOTLAND, Region.NORTHERN_IRELAND
DAYS = Rule.DAYS


def case(received, due, *, id, as_of=None, **kwargs):
    return pytest.param(DeadlineInput(received=received, **kwargs), as_of, due, id=id)


DUE_DATES = [
    # The ICO's worked examples.
    case(D(2025, 9, 3), D(2025, 10, 3), id="ico-3-sep-due-3-oct-a-friday"),
    case(D(2026, 1, 31), D(2026, 3, 2), id="ico-31-jan-2026-28-feb-is-sat-due-mon-2-mar"),
    case(D(2028, 1, 31), D(2028, 2, 29), id="ico-31-jan-leap-2028-due-tue-29-feb"),
    case(D(2027, 1, 1), D(2027, 2, 1), id="ico-received-on-new-year-bank-holiday-due-mon-1-feb"),
    # End of January, normal year (2025: 28 Feb is a Friday) and leap year 2028.
    case(D(2025, 1, 29), D(2025, 2, 28), id="29-jan-2025-clamps-to-fri-28-feb"),
    case(D(2025, 1, 30), D(2025, 2, 28), id="30-jan-2025-clamps-to-fri-28-feb"),
    case(D(2025, 1, 31), D(2025, 2, 28), id="31-jan-2025-clamps-to-fri-28-feb"),
    case(D(2028, 1, 28), D(2028, 2, 28), id="28-jan-2028-plain-mon-28-feb"),
    case(D(2028, 1, 29), D(2028, 2, 29), id="29-jan-2028-is-tue-29-feb"),
    case(D(2028, 1, 30), D(2028, 2, 29), id="30-jan-2028-clamps-to-tue-29-feb"),
    case(D(2026, 1, 29), D(2026, 3, 2), id="29-jan-2026-28-feb-sat-rolls-to-mon-2-mar"),
    # Weekends.
    case(D(2026, 9, 3), D(2026, 10, 5), id="3-oct-2026-is-saturday-rolls-to-monday"),
    case(D(2026, 9, 4), D(2026, 10, 5), id="4-oct-2026-is-sunday-rolls-to-monday"),
    case(D(2026, 1, 3), D(2026, 2, 3), id="received-on-saturday-still-day-one"),
    # Bank holidays, England and Wales.
    case(D(2026, 3, 3), D(2026, 4, 7), id="good-friday-3-apr-2026-then-easter-monday-due-tue"),
    case(D(2026, 3, 6), D(2026, 4, 7), id="easter-monday-6-apr-2026-due-tue"),
    case(D(2026, 11, 25), D(2026, 12, 29), id="christmas-fri-2026-boxing-sat-substitute-mon"),
    case(D(2028, 11, 25), D(2028, 12, 27), id="christmas-mon-2028-boxing-tue-due-wed"),
    case(D(2028, 11, 26), D(2028, 12, 27), id="boxing-day-tue-2028-due-wed"),
    case(D(2026, 12, 1), D(2027, 1, 4), id="new-year-fri-2027-due-mon-4-jan"),
    case(D(2026, 11, 28), D(2026, 12, 29), id="substitute-boxing-day-mon-28-dec-2026"),
    case(D(2027, 12, 3), D(2028, 1, 4), id="substitute-new-year-mon-3-jan-2028-due-tue"),
    case(D(2030, 11, 25), D(2030, 12, 27), id="christmas-wed-2030-far-year-loads-lazily"),
    case(D(2026, 3, 2), D(2026, 4, 2), id="maundy-thursday-2-apr-2026-is-a-working-day"),
    # Scotland.
    case(D(2026, 3, 3), D(2026, 4, 6), region=SCT, id="sct-good-friday-but-easter-monday-works"),
    case(D(2026, 3, 6), D(2026, 4, 6), region=SCT, id="sct-easter-monday-is-a-working-day"),
    case(D(2025, 12, 2), D(2026, 1, 5), region=SCT, id="sct-2-jan-2026-holiday-due-mon-5"),
    case(D(2025, 12, 2), D(2026, 1, 2), id="eng-2-jan-2026-is-a-working-day"),
    case(D(2026, 12, 1), D(2027, 1, 5), region=SCT, id="sct-1-jan-fri-2-jan-sub-mon-due-tue"),
    case(D(2027, 12, 3), D(2028, 1, 5), region=SCT, id="sct-3-and-4-jan-2028-subs-due-wed"),
    case(D(2026, 10, 30), D(2026, 12, 1), region=SCT, id="sct-st-andrews-mon-30-nov-2026"),
    case(D(2025, 11, 1), D(2025, 12, 2), region=SCT, id="sct-st-andrews-sub-mon-1-dec-2025"),
    case(D(2025, 11, 1), D(2025, 12, 1), id="eng-no-st-andrews-mon-1-dec-2025"),
    case(D(2030, 11, 2), D(2030, 12, 3), region=SCT, id="sct-st-andrews-sat-2030-sub-mon-2"),
    # Northern Ireland.
    case(D(2026, 2, 17), D(2026, 3, 18), region=NIR, id="nir-st-patricks-tue-17-mar-2026"),
    case(D(2026, 2, 17), D(2026, 3, 17), id="eng-17-mar-2026-is-a-working-day"),
    case(D(2027, 6, 12), D(2027, 7, 13), region=NIR, id="nir-boyne-mon-12-jul-2027-due-tue"),
    case(D(2026, 6, 12), D(2026, 7, 14), region=NIR, id="nir-boyne-sun-2026-sub-mon-due-tue"),
    case(D(2026, 6, 12), D(2026, 7, 13), id="eng-12-jul-2026-sunday-due-mon-13"),
    # The 28-day rule.
    case(D(2025, 9, 3), D(2025, 10, 1), rule=DAYS, id="28-days-3-sep-2025-due-wed-1-oct"),
    case(D(2026, 1, 31), D(2026, 3, 2), rule=DAYS, id="28-days-from-sat-lands-sat-due-mon"),
    case(D(2028, 2, 1), D(2028, 2, 29), rule=DAYS, id="28-days-1-feb-2028-leap-day"),
    case(D(2026, 11, 27), D(2026, 12, 29), rule=DAYS, id="28-days-lands-on-christmas-2026"),
    case(D(2026, 2, 2), D(2026, 3, 4), rule=DAYS, days=30, id="30-days-2-feb-2026-due-wed"),
    # Extension.
    case(D(2026, 1, 31), D(2026, 4, 30), extended=True, id="ext-31-jan-2026-three-months-30-apr"),
    case(D(2025, 11, 30), D(2026, 3, 2), extended=True, id="ext-30-nov-2025-28-feb-sat-mon"),
    case(D(2027, 11, 30), D(2028, 2, 29), extended=True, id="ext-30-nov-2027-clamps-29-feb"),
    case(D(2028, 1, 31), D(2028, 5, 2), extended=True, id="ext-30-apr-2028-sun-may-day-tue"),
    case(D(2025, 12, 31), D(2026, 3, 31), extended=True, id="ext-31-dec-2025-is-31-mar"),
    case(D(2026, 2, 2), D(2026, 5, 5), extended=True, id="ext-2-may-2026-sat-may-day-tue"),
    case(
        D(2025, 12, 31),
        D(2026, 3, 30),
        rule=DAYS,
        extended=True,
        id="ext-28-days-28-jan-plus-2-months-sat-28-mar-mon",
    ),
    case(
        D(2027, 12, 3),
        D(2028, 2, 29),
        rule=DAYS,
        extended=True,
        id="ext-28-days-31-dec-2027-clamps-29-feb",
    ),
    case(
        D(2026, 7, 3),
        D(2026, 9, 30),
        rule=DAYS,
        extended=True,
        id="ext-28-days-31-jul-clamps-30-sep",
    ),
    case(D(2026, 1, 31), D(2026, 3, 31), extended=True, extension_months=1, id="ext-1-month"),
    # Identity evidence and fees move the start.
    case(D(2026, 2, 2), D(2026, 3, 2), id="no-identity-wait-due-mon-2-mar"),
    case(
        D(2026, 2, 2),
        D(2026, 3, 12),
        identity_received=D(2026, 2, 12),
        id="identity-10-days-later-due-10-days-later",
    ),
    case(
        D(2026, 2, 2),
        D(2026, 3, 9),
        identity_received=D(2026, 2, 5),
        fee_received=D(2026, 2, 9),
        id="fee-after-identity-fee-day-is-start",
    ),
    case(
        D(2026, 2, 2),
        D(2026, 3, 12),
        identity_received=D(2026, 2, 12),
        fee_received=D(2026, 2, 9),
        id="identity-after-fee-identity-day-is-start",
    ),
    case(
        D(2026, 2, 2),
        D(2026, 3, 2),
        identity_received=D(2026, 2, 2),
        id="identity-same-day-changes-nothing",
    ),
    # Clarification pauses.
    case(
        D(2026, 2, 2),
        D(2026, 3, 5),
        pauses=(Pause(D(2026, 2, 4), D(2026, 2, 6)),),
        id="pause-4-to-6-feb-adds-3-days",
    ),
    case(
        D(2026, 2, 2),
        D(2026, 3, 3),
        pauses=(Pause(D(2026, 2, 4), D(2026, 2, 4)),),
        id="one-day-pause-adds-1-day",
    ),
    case(
        D(2026, 2, 2),
        D(2026, 3, 6),
        pauses=(Pause(D(2026, 2, 4), D(2026, 2, 6)), Pause(D(2026, 2, 16), D(2026, 2, 16))),
        id="two-pauses-add-3-plus-1-days",
    ),
    case(
        D(2026, 2, 2),
        D(2026, 3, 11),
        pauses=(Pause(D(2026, 2, 8), D(2026, 2, 12)), Pause(D(2026, 2, 4), D(2026, 2, 10))),
        id="overlapping-pauses-4-to-12-feb-count-9-days-once",
    ),
    case(
        D(2026, 2, 2),
        D(2026, 3, 11),
        pauses=(Pause(D(2026, 2, 4), D(2026, 2, 12)), Pause(D(2026, 2, 5), D(2026, 2, 6))),
        id="pause-inside-another-adds-nothing",
    ),
    case(
        D(2026, 2, 2),
        D(2026, 3, 9),
        pauses=(Pause(D(2026, 2, 4), D(2026, 2, 6)), Pause(D(2026, 2, 7), D(2026, 2, 10))),
        id="adjacent-pauses-3-plus-4-days",
    ),
    case(
        D(2026, 2, 2),
        D(2026, 3, 3),
        pauses=(Pause(D(2026, 2, 4)),),
        id="open-pause-without-as-of-counts-its-first-day",
    ),
    case(
        D(2026, 2, 2),
        D(2026, 3, 9),
        pauses=(Pause(D(2026, 2, 4)),),
        as_of=D(2026, 2, 10),
        id="open-pause-4-feb-as-of-10-feb-adds-7-days",
    ),
    case(
        D(2026, 2, 2),
        D(2026, 3, 3),
        pauses=(Pause(D(2026, 2, 4)),),
        as_of=D(2026, 2, 1),
        id="open-pause-as-of-before-it-started-counts-first-day",
    ),
    case(
        D(2026, 1, 31),
        D(2026, 3, 2),
        pauses=(Pause(D(2026, 2, 2), D(2026, 2, 2)),),
        id="roll-once-28-feb-plus-1-is-sun-1-mar-due-mon-2-not-tue-3",
    ),
    case(
        D(2026, 2, 2),
        D(2026, 5, 6),
        extended=True,
        pauses=(Pause(D(2026, 2, 4), D(2026, 2, 7)),),
        id="4-day-pause-moves-extended-sat-2-may-to-wed-6-may",
    ),
    case(
        D(2026, 11, 20),
        D(2026, 12, 29),
        pauses=(Pause(D(2026, 11, 23), D(2026, 11, 27)),),
        id="pause-pushes-onto-christmas-2026-due-tue-29",
    ),
]


@pytest.mark.parametrize(("inp", "as_of", "expected"), DUE_DATES)
def test_due_date_matches_the_calendar(inp, as_of, expected):
    assert compute_deadline(inp, as_of=as_of).due == expected


def test_ico_example_31_january_explains_clamp_and_weekend_roll():
    result = compute_deadline(DeadlineInput(received=D(2026, 1, 31)))
    text = "\n".join(result.explanation)
    assert "February has no day 31" in text
    assert "Saturday 28 February 2026, falls on a weekend" in text
    assert result.explanation[-1].startswith("Due by the end of Monday 2 March 2026")


def test_original_and_extended_due_are_both_reported_whether_or_not_extended():
    plain = compute_deadline(DeadlineInput(received=D(2026, 1, 31)))
    extended = compute_deadline(DeadlineInput(received=D(2026, 1, 31), extended=True))
    assert (plain.original_due, plain.extended_due, plain.due) == (
        D(2026, 3, 2),
        D(2026, 4, 30),
        D(2026, 3, 2),
    )
    assert (extended.original_due, extended.extended_due, extended.due) == (
        D(2026, 3, 2),
        D(2026, 4, 30),
        D(2026, 4, 30),
    )


def test_extension_counts_from_the_start_not_from_the_clamped_first_month():
    # 31 Jan -> 28 Feb -> +2 months would wrongly give 28 Apr; the rule gives 30 Apr.
    assert compute_deadline(DeadlineInput(received=D(2026, 1, 31))).extended_due == D(2026, 4, 30)


def test_waiting_ten_days_for_identity_moves_the_due_date_ten_days():
    without = compute_deadline(DeadlineInput(received=D(2026, 2, 2)))
    waited = compute_deadline(
        DeadlineInput(received=D(2026, 2, 2), identity_received=D(2026, 2, 12))
    )
    assert waited.start == D(2026, 2, 12)
    assert waited.due - without.due == timedelta(days=10)
    assert "identity evidence" in waited.explanation[1]


def test_open_pause_moves_a_day_for_each_day_it_stays_open():
    inp = DeadlineInput(received=D(2026, 2, 2), pauses=(Pause(D(2026, 2, 4)),))
    assert compute_deadline(inp, as_of=D(2026, 2, 10)).paused_days == 7
    assert compute_deadline(inp, as_of=D(2026, 2, 11)).paused_days == 8


def test_overlapping_pauses_are_counted_once_and_explained():
    inp = DeadlineInput(
        received=D(2026, 2, 2),
        pauses=(Pause(D(2026, 2, 4), D(2026, 2, 10)), Pause(D(2026, 2, 8), D(2026, 2, 12))),
    )
    result = compute_deadline(inp)
    assert result.paused_days == 9
    assert any("merged" in line for line in result.explanation)


def test_pause_days_before_the_start_do_not_count():
    # Identity arrived 12 Feb, so the clock was not running during 4-10 Feb.
    inp = DeadlineInput(
        received=D(2026, 2, 2),
        identity_received=D(2026, 2, 12),
        pauses=(Pause(D(2026, 2, 4), D(2026, 2, 10)), Pause(D(2026, 2, 11), D(2026, 2, 13))),
    )
    result = compute_deadline(inp)
    assert result.paused_days == 2  # 12 and 13 Feb
    assert result.due == D(2026, 3, 16)  # 12 Mar + 2 = Sat 14 Mar -> Mon 16 Mar


def test_roll_onto_bank_holiday_names_it_in_the_explanation():
    result = compute_deadline(DeadlineInput(received=D(2026, 11, 25)))
    roll_line = next(line for line in result.explanation if line.startswith("The limit,"))
    assert "bank holiday in England and Wales (Christmas Day)" in roll_line
    assert "Boxing Day (observed)" in roll_line
    assert "Tuesday 29 December 2026" in roll_line


def test_scottish_holiday_is_named_for_scotland():
    result = compute_deadline(DeadlineInput(received=D(2025, 12, 2), region=SCT))
    assert any("bank holiday in Scotland (New Year Holiday)" in line for line in result.explanation)


def test_model_field_strings_are_accepted_for_rule_region_and_pause_lists():
    inp = DeadlineInput(
        received=D(2026, 2, 17),
        rule="calendar_month",
        region="northern_ireland",
        pauses=[Pause(D(2026, 2, 18), D(2026, 2, 18))],
    )
    assert inp.region is NIR and inp.rule is Rule.CALENDAR_MONTH
    assert inp.pauses == (Pause(D(2026, 2, 18), D(2026, 2, 18)),)
    assert compute_deadline(inp).due == D(2026, 3, 18)  # Wed 18 Mar, the day after St Patrick's


def test_presets_are_data_feeding_the_same_engine():
    assert PRESETS["uk_gdpr"].rule is Rule.CALENDAR_MONTH
    assert PRESETS["uk_gdpr_28_days"].rule is Rule.DAYS
    assert all(key == regime.key for key, regime in PRESETS.items())
    inp = PRESETS["uk_gdpr_28_days"].deadline_input(D(2025, 9, 3), extended=True)
    assert compute_deadline(inp).original_due == D(2025, 10, 1)
    assert compute_deadline(inp).due == D(2025, 12, 1)  # Wed 1 Oct + 2 months = Mon 1 Dec


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param({"days": 0}, "at least 1", id="zero-days"),
        pytest.param({"extension_months": -1}, "cannot be negative", id="negative-extension"),
        pytest.param(
            {"identity_received": D(2026, 1, 30)},
            "Identity evidence cannot be received",
            id="identity-before-request",
        ),
        pytest.param(
            {"fee_received": D(2026, 1, 1)}, "fee cannot be received", id="fee-before-request"
        ),
        pytest.param({"rule": "weeks"}, "Unknown deadline rule 'weeks'", id="unknown-rule"),
        pytest.param({"region": "wales"}, "Unknown holiday region 'wales'", id="unknown-region"),
        pytest.param({"pauses": ("2026-02-02",)}, "Pause objects", id="pause-not-a-pause"),
    ],
)
def test_invalid_input_is_refused_with_a_clear_message(kwargs, message):
    with pytest.raises(ValueError, match=message):
        compute_deadline(DeadlineInput(received=D(2026, 1, 31), **kwargs))


def test_pause_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError, match=r"cannot end \(2026-02-01\) before it starts"):
        Pause(D(2026, 2, 5), D(2026, 2, 1))


@pytest.mark.parametrize(
    ("day", "region", "working"),
    [
        pytest.param(D(2026, 3, 4), ENG, True, id="wednesday"),
        pytest.param(D(2026, 3, 7), ENG, False, id="saturday"),
        pytest.param(D(2026, 3, 8), ENG, False, id="sunday"),
        pytest.param(D(2026, 4, 6), ENG, False, id="eng-easter-monday"),
        pytest.param(D(2026, 4, 6), SCT, True, id="sct-easter-monday-works"),
        pytest.param(D(2026, 8, 3), SCT, False, id="sct-summer-holiday-first-mon-aug"),
        pytest.param(D(2026, 8, 3), ENG, True, id="eng-first-mon-aug-works"),
        pytest.param(D(2026, 7, 13), NIR, False, id="nir-boyne-substitute-2026"),
        pytest.param(D(2031, 12, 26), ENG, False, id="boxing-day-2031-far-year"),
    ],
)
def test_is_working_day(day, region, working):
    assert is_working_day(day, region) is working


def test_next_working_day_returns_the_day_itself_when_working():
    assert next_working_day(D(2026, 3, 4), ENG) == D(2026, 3, 4)
    assert next_working_day(D(2026, 12, 25), ENG) == D(2026, 12, 29)
    assert next_working_day(D(2027, 12, 25), SCT) == D(2027, 12, 29)


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        pytest.param(D(2026, 3, 4), 0, D(2026, 3, 4), id="zero-is-the-same-day"),
        pytest.param(D(2026, 3, 4), 1, D(2026, 3, 5), id="wed-plus-1-thu"),
        pytest.param(D(2026, 3, 6), 1, D(2026, 3, 9), id="fri-plus-1-skips-weekend"),
        pytest.param(D(2026, 12, 24), 1, D(2026, 12, 29), id="christmas-eve-plus-1-skips-4-days"),
        pytest.param(D(2026, 3, 9), -1, D(2026, 3, 6), id="mon-minus-1-fri"),
        pytest.param(D(2026, 4, 9), -3, D(2026, 4, 2), id="3-before-thu-9-apr-skips-easter"),
        pytest.param(D(2026, 3, 7), -1, D(2026, 3, 6), id="from-saturday-back-1-is-friday"),
    ],
)
def test_add_working_days(day, n, expected):
    assert add_working_days(day, n, ENG) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param(D(2026, 3, 4), D(2026, 3, 4), 0, id="same-day"),
        pytest.param(D(2026, 3, 6), D(2026, 3, 9), 1, id="fri-to-mon"),
        pytest.param(D(2026, 3, 9), D(2026, 3, 6), -1, id="mon-back-to-fri"),
        pytest.param(D(2026, 3, 30), D(2026, 4, 10), 7, id="over-easter-2026"),
        pytest.param(D(2026, 12, 24), D(2027, 1, 4), 4, id="over-christmas-and-new-year"),
    ],
)
def test_working_days_between(a, b, expected):
    assert working_days_between(a, b, ENG) == expected


@pytest.mark.parametrize("n", [-10, -3, -1, 0, 1, 3, 10, 40])
def test_working_days_between_undoes_add_working_days_from_a_working_day(n):
    start = D(2026, 12, 22)
    assert working_days_between(start, add_working_days(start, n, ENG), ENG) == n


def test_holiday_name_per_region():
    assert holiday_name(D(2026, 12, 28), ENG) == "Boxing Day (observed)"
    assert holiday_name(D(2026, 1, 2), SCT) == "New Year Holiday"
    assert holiday_name(D(2026, 1, 2), ENG) is None
    assert holiday_name(D(2028, 3, 17), NIR) == "Saint Patrick's Day"
    assert holiday_name(D(2030, 11, 30), SCT) == "Saint Andrew's Day"


def test_holiday_lookups_are_safe_from_many_threads():
    # Years nobody has asked about yet, so the threads race to fill the calendar in.
    days = [D(2050, 1, 1) + timedelta(days=i) for i in range(0, 365 * 10, 3)]
    results: list[list[bool]] = []

    def work():
        results.append([is_working_day(d, NIR) for d in days])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expected = [d.weekday() < 5 and holiday_name(d, NIR) is None for d in days]
    assert results == [expected] * 8


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-02:2026-02-09", Pause(D(2026, 2, 2), D(2026, 2, 9))),
        ("2026-02-02:", Pause(D(2026, 2, 2), None)),
        (" 2026-02-02 : 2026-02-02 ", Pause(D(2026, 2, 2), D(2026, 2, 2))),
    ],
)
def test_parse_pause(text, expected):
    assert parse_pause(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-02", "expected START:END"),
        ("2026-02-30:", "Not a date: '2026-02-30'"),
        ("02/02/2026:", "expected YYYY-MM-DD"),
        ("2026-02-09:2026-02-02", "before it starts"),
    ],
)
def test_parse_pause_refuses_bad_text(text, message):
    with pytest.raises(ValueError, match=message):
        parse_pause(text)


def test_parse_date_is_strict_iso():
    assert parse_date("2026-01-31") == D(2026, 1, 31)
    for bad in ("20260131", "2026-1-31", "31/01/2026", "2026-W05-6", ""):
        with pytest.raises(ValueError, match="expected YYYY-MM-DD"):
            parse_date(bad)


def test_engine_imports_nothing_from_django():
    tree = ast.parse(Path(deadlines.__file__).read_text())
    imported = {
        name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        )
    }
    assert not {m for m in imported if m.split(".")[0] in {"django", "dsar", "rest_framework"}}

"""The one way each date, moment and name is written (pages, emails, letters, the log)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.template import Context, Template

from dsar.formats import full_date, local_time, long_date, person_name, plural, short_date

DAY = dt.date(2026, 10, 9)


def user(full: str, username: str = "ann") -> SimpleNamespace:
    return SimpleNamespace(get_full_name=lambda: full, get_username=lambda: username)


def test_dates_have_an_unpadded_day():
    assert long_date(dt.date(2026, 3, 3)) == "3 March 2026"
    assert full_date(DAY) == "Friday 9 October 2026"
    assert short_date(DAY) == "Fri 9 Oct 2026"


def test_a_moment_reads_in_the_controllers_zone():
    moment = dt.datetime(2026, 7, 1, 23, 30, tzinfo=dt.UTC)
    local = local_time(moment, "Europe/London")
    assert (local.date(), f"{local:%H:%M}") == (dt.date(2026, 7, 2), "00:30")


def test_a_count_takes_its_noun_in_the_plural_unless_it_is_one():
    assert [plural(n, "working day") for n in (0, 1, 2)] == [
        "0 working days",
        "1 working day",
        "2 working days",
    ]


def test_a_person_is_their_full_name_or_else_their_username():
    assert person_name(user("Ann Lee")) == "Ann Lee"
    assert person_name(user("")) == "ann"


def test_the_template_filter_says_the_same_and_nothing_for_nobody():
    template = Template("{% load dsar_tags %}[{{ a|person_name }}][{{ b|person_name }}]")
    assert template.render(Context({"a": user(""), "b": None})) == "[ann][]"

"""/reports/: every figure exact for a known set of cases, each linking to its cases."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from dsar.choices import Role
from tests.dsar.reports.conftest import EXPECTED_FIGURES, QUARTER
from tests.factories import MembershipFactory, officer_of

pytestmark = pytest.mark.django_db

REPORTS = "/reports/"


class Figures(HTMLParser):
    """data-figure -> (text, href) of every linked figure on the page."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, tuple[str, str]] = {}
        self._open: tuple[str, str] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and "data-figure" in attrs:
            self._open, self._text = (attrs["data-figure"], attrs["href"]), []

    def handle_data(self, data):
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            key, href = self._open
            assert key not in self.figures, f"{key} shown twice"
            self.figures[key] = ("".join(self._text).strip(), href)
            self._open = None


def figures(response) -> dict[str, tuple[str, str]]:
    parser = Figures()
    parser.feed(response.content.decode())
    return parser.figures


def queue_count(client, href: str) -> int:
    page = client.get(href)
    assert page.status_code == 200, href
    match = re.search(r'class="result-count"[^>]*>\s*(\d+) case', page.content.decode())
    assert match, href
    return int(match.group(1))


def test_every_figure_of_the_quarter_is_exact(officer_client, known_cases):
    response = officer_client.get(REPORTS, QUARTER)

    assert response.status_code == 200
    shown = {key: text for key, (text, _) in figures(response).items()}
    assert shown == EXPECTED_FIGURES


def test_every_count_opens_the_queue_on_exactly_its_cases(officer_client, known_cases):
    shown = figures(officer_client.get(REPORTS, QUARTER))
    # Counts of cases (rates, days and shares link to the cases they are computed from).
    derived = ("median_days", "p90_days", "rate", "share", "total_days")
    counts = {k: v for k, v in shown.items() if not k.split(".")[-1].endswith(derived)}
    counts = {k: v for k, v in counts.items() if ".share." not in k}

    listed = {key: queue_count(officer_client, href) for key, (_, href) in counts.items()}

    assert len(counts) > 50
    assert listed == {key: int(text) for key, (text, _) in counts.items()}


def test_the_late_link_lists_the_late_cases(officer_client, known_cases):
    _, href = figures(officer_client.get(REPORTS, QUARTER))["timeliness.late"]

    page = officer_client.get(href).content.decode()

    assert known_cases["B"].reference in page and known_cases["H"].reference in page
    assert known_cases["A"].reference not in page


def test_another_controllers_cases_never_count(client, known_cases, controller, other_controller):
    both = officer_of(controller, username="group-dpo")
    MembershipFactory(user=both, controller=other_controller, role=Role.AUDITOR)
    client.force_login(both)

    one = {
        k: t
        for k, (t, _) in figures(client.get(REPORTS, {**QUARTER, "controller": "acme"})).items()
    }
    every = {k: t for k, (t, _) in figures(client.get(REPORTS, QUARTER)).items()}

    assert {k: v for k, v in one.items() if not k.startswith("workload.")} == {
        k: v for k, v in EXPECTED_FIGURES.items() if not k.startswith("workload.")
    }
    # All my controllers: Other Group's X (closed), Y (open, extended) and Z (refused) join.
    assert every["received.total"] == "15"
    assert every["timeliness.closed"] == "9"
    assert every["refusals.ground.manifestly_unfounded"] == "1"
    assert every["extensions.count"] == "3"


def test_an_officer_of_another_controller_sees_none_of_it(client, known_cases, outsider):
    client.force_login(outsider)

    asked = client.get(REPORTS, {**QUARTER, "controller": "acme"})
    own = figures(client.get(REPORTS, QUARTER))

    assert asked.status_code == 400
    assert "No controller with that name is visible to you." in asked.content.decode()
    assert own["received.total"][0] == "3"  # X, Y and Z only
    assert "Acme" not in client.get(REPORTS, QUARTER).content.decode()


@pytest.mark.parametrize("role", [Role.OFFICER, Role.AUDITOR, Role.ADMIN])
def test_officers_auditors_and_admins_see_the_report(client, known_cases, controller, role):
    client.force_login(officer_of(controller, role=role, username=f"r-{role}"))

    response = client.get(REPORTS, QUARTER)

    assert response.status_code == 200
    assert figures(response)["received.total"][0] == "12"


def test_a_user_with_no_controller_is_refused(client, plain_user):
    client.force_login(plain_user)

    response = client.get(REPORTS)

    assert response.status_code == 403
    assert "not a member of any controller" in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(REPORTS)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_charts_are_inline_svg_with_the_table_beneath(officer_client, known_cases):
    page = officer_client.get(REPORTS, QUARTER).content.decode()

    # No chart library: the site's own scripts only (none draws), nothing inline or remote.
    scripts = re.findall(r"<script[^>]*>", page)
    assert all('src="/static/js/' in tag and "chart" not in tag for tag in scripts)
    charts = re.findall(r'<svg class="chart-svg".*?</svg>', page, re.S)
    assert len(charts) == 7
    for svg in charts:
        assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    month_chart = next(svg for svg in charts if "Requests received by month" in svg)
    # Three months, each bar with its value written beside it (readable in grey and print).
    assert len(re.findall(r"<rect x=\"190\"", month_chart)) == 3
    assert re.findall(r'font-weight="bold">(\d+)</text>', month_chart) == ["2", "2", "8"]
    # On time and late differ by pattern, not colour alone.
    timeliness = next(svg for svg in charts if "on time and late" in svg)
    assert "url(#chart-timeliness-hatch)" in timeliness


def test_no_requester_personal_data_on_the_page(officer_client, known_cases):
    page = officer_client.get(REPORTS, QUARTER).content.decode()

    for case in known_cases.values():
        assert case.requester_name not in page
        assert case.requester_email not in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"range": "custom", "from": "2026-03-31", "to": "2026-03-01"}, "on or after the first"),
        ({"range": "custom", "to": "2026-03-01"}, "Enter the first day"),
        ({"range": "custom", "from": "2020-01-01", "to": "2026-03-01"}, "at most five years"),
        ({"range": "custom", "from": "2026-13-01", "to": "2026-04-01"}, "Enter a valid date"),
    ],
)
def test_a_wrong_custom_range_says_why(officer_client, known_cases, query, message):
    response = officer_client.get(REPORTS, query)

    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_custom_range_counts_only_its_days(officer_client, known_cases):
    shown = figures(
        officer_client.get(REPORTS, {"range": "custom", "from": "2026-03-01", "to": "2026-03-31"})
    )

    assert shown["received.total"][0] == "8"
    assert shown["timeliness.closed"][0] == "4"  # C, D, E and F
    assert "received.month.2026-02" not in shown


def test_this_month_is_the_default(officer_client, known_cases):
    response = officer_client.get(REPORTS)

    shown = figures(response)
    assert shown["received.total"][0] == "2"  # L (14 April) and M (1 April)
    assert "1 April 2026 to 15 April 2026" in response.content.decode()

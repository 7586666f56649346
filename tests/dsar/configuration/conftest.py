"""Fixtures for the settings pages: an admin of each controller, and a form's own data."""

from __future__ import annotations

import pytest

from dsar.choices import Role
from dsar.configuration.forms import OrganisationForm
from tests.factories import officer_of


@pytest.fixture
def other_admin(other_controller):
    """An admin of another controller: must not find `controller`'s settings."""
    return officer_of(other_controller, role=Role.ADMIN, username="otto-admin")


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin)
    return client


def form_data(form, **overrides) -> dict:
    """What a browser would send for an unbound form as shown (its initial values)."""
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif value is True:
            data[name] = "on"
        else:
            data[name] = str(value)
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def organisation_data(controller, **overrides) -> dict:
    """The page as shown, with the postal address its ticked "post" needs."""
    overrides.setdefault("postal_address", "1 High Street\nLeeds LS1 1AA")
    return form_data(OrganisationForm(instance=controller), **overrides)


# The demo data map and customer database of the exports tests (Kynex, with Jane Doe).
from tests.exports.data.conftest import ALIAS, DATA_DB, JANE, demo_db, mapped_controller  # noqa: E402, F401


@pytest.fixture
def mapped_admin(mapped_controller):  # noqa: F811 - the imported fixture
    return officer_of(mapped_controller, role=Role.ADMIN, username="mia-admin")

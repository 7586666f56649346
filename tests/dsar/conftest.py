"""Fixtures shared by the core's tests."""

import pytest

from dsar.choices import Role
from tests.factories import officer_of


@pytest.fixture
def admin(controller):
    """An admin of the shared controller (Membership role ``admin``)."""
    return officer_of(controller, role=Role.ADMIN, username="ada-admin")

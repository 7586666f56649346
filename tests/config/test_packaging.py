"""Issue 20 point 7: installable on Python 3.11 and every newer version Django 5.2 supports."""

import tomllib
from pathlib import Path

from django.conf import settings

PYPROJECT = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())


def test_requires_python_has_a_floor_and_no_ceiling():
    assert PYPROJECT["project"]["requires-python"] == ">=3.11"


def test_the_supported_versions_are_listed():
    classifiers = set(PYPROJECT["project"]["classifiers"])
    for version in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in classifiers

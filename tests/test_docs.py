"""Docs that cannot drift: every setting, front-matter field, facet and command is in the README."""
from __future__ import annotations

import re

import pytest

from indexer.frontmatter import KNOWN_FIELDS
from kb.cli import cli
from kb.config import settings_help
from model.record import DOCUMENT_TYPES
from model.fields import FACETS as FACET_FIELDS
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [name for name, _, _ in settings_help()])
def test_every_setting_is_documented(name):
    assert f"`{name}`" in README


@pytest.mark.parametrize("field", sorted(KNOWN_FIELDS - {"corrections"}))
def test_every_front_matter_field_is_documented(field):
    assert re.search(rf"^{field}:", README, re.MULTILINE)


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_documented(command):
    assert f"`kb {command}" in README


@pytest.mark.parametrize("facet", FACET_FIELDS)
def test_every_facet_is_documented(facet):
    assert f"`{facet}`" in README


def test_document_types_are_listed():
    assert " | ".join(t for t in DOCUMENT_TYPES if t != "unknown") in README


def test_readme_opens_with_run_and_test():
    headings = re.findall(r"^## (.+)$", README, re.MULTILINE)
    assert headings[:2] == ["Run", "Test"]
    assert "make run" in README and "make test" in README
    assert "make test" in (REPO / ".ci" / "run").read_text()

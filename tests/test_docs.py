"""Docs stay current with the code: every setting and every table is documented."""

from pathlib import Path

import pytest

from dashboard.settings import SETTINGS, env_name
from dashboard.tables import SCHEMAS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    head = README[:400]
    assert "make run" in head and "make test" in head


@pytest.mark.parametrize("name", list(SETTINGS))
def test_every_setting_is_in_the_readme(name):
    assert f"`{name}`" in README and env_name(name) in README


@pytest.mark.parametrize("table", list(SCHEMAS))
def test_every_table_and_column_is_in_the_data_model(table):
    doc = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    assert table in doc
    missing = [f.name for f in SCHEMAS[table] if f"`{f.name}`" not in doc]
    assert not missing, f"docs/data-model.md does not describe {table} columns {missing}"


def test_readme_says_the_data_is_a_sample_not_the_reports():
    assert "not the" in README and "sample compiled from public reporting" in README

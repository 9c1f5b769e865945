"""The committed embedded dataset is exactly what `make data` builds from its corpus."""

from pathlib import Path

import pytest

from dashboard.__main__ import main
from dashboard.tables import TABLE_NAMES, load_tables

ROOT = Path(__file__).resolve().parents[2]
EMBEDDED = ROOT / "data" / "khazali"


@pytest.fixture(scope="module")
def fresh_build(tmp_path_factory):
    out = tmp_path_factory.mktemp("embedded") / "built"
    assert main(["build", str(EMBEDDED / "corpus"), "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("name", [f"{t}.parquet" for t in TABLE_NAMES] + ["candidates.csv"])
def test_fresh_build_equals_committed_tables(fresh_build, name):
    committed = EMBEDDED / name
    assert committed.is_file(), f"{committed} is not committed; run `make data`"
    assert (fresh_build / name).read_bytes() == committed.read_bytes(), f"{name} differs: run `make data` and commit"


def test_embedded_dataset_loads_and_meets_minimums():
    data = load_tables(EMBEDDED)
    assert len(data.entities) >= 100
    assert len(data.relations) >= 150
    assert data.manifest["title"]
    # every entity is mentioned at least once, so nothing in the gazetteer is dead weight
    assert set(data.entities.entity_id) == set(data.mentions.entity_id)
    # every passage carries one of the four claim classes
    assert set(data.passages.claim_class) <= {"reports", "analysis", "official", "background"}

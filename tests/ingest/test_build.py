"""End-to-end build of the fixture corpus: every table, its schema, and what the tables say."""

from __future__ import annotations

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from dashboard.__main__ import main
from dashboard.tables import SCHEMAS, load_tables


@pytest.fixture(scope="module")
def tables(built_small):
    return load_tables(built_small)


def test_every_table_has_exactly_the_contract_schema(built_small):
    for name, schema in SCHEMAS.items():
        assert pq.read_schema(built_small / f"{name}.parquet").remove_metadata() == schema, name


def test_manifest_and_candidates_are_written(built_small):
    manifest = json.loads((built_small / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["title"] == "Khazali papers (test fixture)"
    assert manifest["counts"]["documents"] == 5
    assert manifest["settings"]["seed"] == 42
    paths = {i["path"] for i in manifest["inputs"]}
    assert {"entities.csv", "relations.csv", "documents/lwj-2018-08.md"} <= paths
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert "pandas" in manifest["versions"]
    assert (built_small / "candidates.csv").read_text(encoding="utf-8").startswith(
        "candidate,count,n_passages,example_passage_id,example"
    )


def test_passages_are_numbered_per_document_and_headings_dropped(tables):
    p = tables.passages.set_index("passage_id")
    lwj = tables.passages[tables.passages.doc_id == "lwj-2018-08"]
    assert list(lwj.seq) == [0, 1, 2, 3]
    assert p.loc["lwj-2018-08:0", "text"].startswith("According to the reports, Qais al-Khazali")
    assert "\n" not in p.loc["lwj-2018-08:0", "text"]
    assert "<!--" not in " ".join(tables.passages.text)
    assert not any(t.startswith("#") for t in tables.passages.text)


def test_tags_set_dates_and_claims(tables):
    p = tables.passages.set_index("passage_id")
    row = p.loc["lwj-2018-08:0"]
    assert (row.date_start, row.date_end, row.date_precision, row.date_source) == ("2003-06-01", "2003-06-30", "month", "explicit")
    assert row.claim_class == "reports"
    rng = p.loc["lwj-2018-08:1"]
    assert (rng.date_start, rng.date_end) == ("2005-01-01", "2006-12-31")
    assert p.loc["ifmat-analysis:1", "claim_class"] == "reports"  # tag overrides the document's 'analysis'
    assert p.loc["ifmat-analysis:0", "claim_class"] == "analysis"
    none = p.loc["background-sadrists:1"]  # date: none, although the text names a year
    assert pd.isna(none.date_start) and pd.isna(none.date_source)
    assert p.loc["notes-undated:0", "date_source"] == "text"  # no tag: dates from the text


def test_documents_metadata(tables):
    d = tables.documents.set_index("doc_id")
    assert d.loc["lwj-2018-08", "publisher"] == "FDD's Long War Journal"
    assert d.loc["lwj-2018-08", "published"] == "2018-08-30"
    assert d.loc["ifmat-analysis", "published"] == "2018-05-01"
    assert d.loc["notes-undated", "title"] == "notes-undated"
    assert d.loc["background-sadrists", "source_file"] == "documents/background-sadrists.txt"


def test_relations_take_ids_claims_and_dates(tables):
    r = tables.relations.set_index("relation_id")
    assert list(r.index) == [f"r{i:04d}" for i in range(1, 7)]
    assert r.loc["r0001", "passage_id"] == "lwj-2018-08:0"
    assert r.loc["r0001", "claim_class"] == "reports"  # from the passage
    assert r.loc["r0003", "claim_class"] == "official"  # from the row
    assert r.loc["r0002", "date_start"] == "2005-01-01"


def test_evidence_and_links_agree(tables):
    ev, links = tables.evidence, tables.links
    co = ev[ev.kind == "co-mention"]
    assert (co.source < co.target).all()
    assert not co.duplicated(["source", "target", "passage_id"]).any()
    rel = ev[ev.kind == "relation"]
    assert len(rel) == len(tables.relations)
    # Laith and Qais are co-mentioned in two passages of two documents.
    row = links[(links.source == "laith-al-khazali") & (links.target == "qais-al-khazali") & (links.kind == "co-mention")].iloc[0]
    assert (row.weight, row.n_passages, row.n_documents) == (2.0, 2, 2)
    lead = links[(links.source == "qais-al-khazali") & (links.target == "aah") & (links.kind == "relation")].iloc[0]
    assert list(lead.relations) == ["leads"] and lead.weight == 1.0
    assert lead["first"] == "2003-06-01"
    assert len(links) == len(ev.groupby(["source", "target", "kind"]))


def test_entities_carry_counts_metrics_and_communities(tables):
    e = tables.entities.set_index("entity_id")
    assert e.loc["qais-al-khazali", "n_mentions"] == 6
    assert e.loc["qais-al-khazali", "first"] == "2003-01-01"
    assert e.loc["peter-moore", "n_mentions"] == 0 and e.loc["peter-moore", "degree"] == 0
    assert e.loc["qais-al-khazali", "degree"] == e.degree.max()
    assert sorted(e.community.unique()) == list(range(e.community.nunique()))
    assert not e.betweenness_approx.any()
    assert list(e.loc["qais-al-khazali", "aliases"])[:1] == ["Qayis al-Khazali"]
    assert list(e.loc["qais-al-khazali", "affiliations"]) == ["aah", "jam"]


def test_layout_covers_every_entity_inside_the_box(tables):
    lay = tables.layout
    assert sorted(lay.entity_id) == sorted(tables.entities.entity_id)
    assert lay[["x", "y"]].min().min() >= 0 and lay[["x", "y"]].max().max() <= 1000


def test_cli_prints_summary_and_exits_zero(small_corpus, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(small_corpus), "--out", str(out), "--no-progress"]) == 0
    captured = capsys.readouterr()
    assert "documents   5" in captured.out
    assert "16 of 18 matched" in captured.out
    assert (out / "links.parquet").is_file()

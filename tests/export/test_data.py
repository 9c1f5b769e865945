import csv
import io
import zipfile

import networkx as nx
import numpy as np
import pandas as pd
from dashboard.export.captions import entity_names
from dashboard.export.data import (EDGE_CSV_COLUMNS, EVIDENCE_CSV_COLUMNS, NODE_CSV_COLUMNS, _clean, _clean_column,
                                   merge_intervals, to_csv_zip, to_evidence_csv, to_gexf, to_graphml)


def _rows(content: bytes) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(content.decode("utf-8")))
    rows = list(reader)
    return reader.fieldnames, rows


def test_gexf_reads_back_with_the_view_counts_and_is_dynamic(hand_view):
    content = to_gexf(hand_view)
    graph = nx.read_gexf(io.BytesIO(content))
    assert graph.number_of_nodes() == len(hand_view.entities)
    assert graph.number_of_edges() == len(hand_view.links)  # co-mention and relation of one pair both kept
    assert b'mode="dynamic"' in content and b'timeformat="date"' in content
    assert graph.nodes["qais"]["label"] == "Qais al-Khazali"
    assert graph.nodes["qais"]["start"] == "2004-06-01" and graph.nodes["qais"]["end"] == "2007-07-02"
    # the AAH—IRGC-QF co-mention is evidenced in 2006 and in July 2007: two spells, not one long interval
    pair = {d["kind"]: d for u, v, d in graph.edges(data=True) if {u, v} == {"aah", "qf"}}
    assert sorted(pair) == ["co-mention", "relation"]
    assert pair["co-mention"]["spells"] == [("2006-01-01", "2006-12-31"), ("2007-07-02", "2007-07-02")]
    assert pair["relation"]["spells"] == [("2006-01-01", "2006-12-31")]


def test_gexf_carries_screen_positions_and_colors_when_given(hand_view):
    import pandas as pd

    style = {"nodes": pd.DataFrame({"id": ["qais"], "x": [10.0], "y": [20.0], "size": [33.0], "color": ["#ff8000"]})}
    graph = nx.read_gexf(io.BytesIO(to_gexf(hand_view, style)))
    viz = graph.nodes["qais"]["viz"]
    assert viz["position"]["x"] == 10.0 and viz["position"]["y"] == -20.0  # Gephi's y points up
    assert (viz["color"]["r"], viz["color"]["g"], viz["color"]["b"]) == (255, 128, 0)
    assert viz["size"] == 33.0


def test_graphml_reads_back_with_the_view_counts_and_attributes(hand_view):
    graph = nx.read_graphml(io.BytesIO(to_graphml(hand_view)))
    assert graph.number_of_nodes() == len(hand_view.entities)
    assert graph.number_of_edges() == len(hand_view.links)
    assert graph.nodes["aah"]["type"] == "organization"
    relation = [d for u, v, d in graph.edges(data=True) if d["kind"] == "relation"]
    assert len(relation) == 1 and relation[0]["relations"] == "trained"
    assert relation[0]["first"] == "2006-01-01"


def test_csv_zip_holds_nodes_and_edges_with_documented_columns(hand_data, hand_view):
    archive = zipfile.ZipFile(io.BytesIO(to_csv_zip(hand_view, entity_names(hand_data))))
    assert sorted(archive.namelist()) == ["edges.csv", "nodes.csv"]
    node_columns, nodes = _rows(archive.read("nodes.csv"))
    edge_columns, edges = _rows(archive.read("edges.csv"))
    assert node_columns == NODE_CSV_COLUMNS and edge_columns == EDGE_CSV_COLUMNS
    assert len(nodes) == len(hand_view.entities) and len(edges) == len(hand_view.links)
    assert {"source": "qf", "target_label": "AAH", "relations": "trained"}.items() <= next(
        e for e in edges if e["kind"] == "relation").items()


def test_evidence_csv_has_citations_and_neutralises_formulas(hand_data, hand_view):
    columns, rows = _rows(to_evidence_csv(hand_view, hand_data))
    assert columns == EVIDENCE_CSV_COLUMNS
    assert len(rows) == len(hand_view.evidence)
    first = rows[0]  # strongest link first: AAH—IRGC-QF co-mention, weight 2
    assert (first["source_name"], first["target_name"], first["kind"]) == ("AAH", "IRGC-QF", "co-mention")
    assert first["doc_title"] == "TIR 1" and first["url"] == "https://example.org/tir1.pdf"
    assert first["published"] == "2007-03-21" and first["claim_class"] == "reports"
    assert first["passage_text"].startswith("Qais said AAH")
    formula = [r["passage_text"] for r in rows if "HYPERLINK" in r["passage_text"]]
    assert formula and all(text.startswith("'=") for text in formula)


def test_merge_intervals_merges_overlaps_and_skips_undated():
    assert merge_intervals([("2005-03-01", "2005-04-01"), (None, None), ("2005-01-01", "2005-03-15"),
                            ("2006-01-01", "2006-01-31")]) == [("2005-01-01", "2005-04-01"), ("2006-01-01", "2006-01-31")]
    assert merge_intervals([(None, "2005-01-01")]) == [("2005-01-01", "2005-01-01")]


def test_columns_are_cleaned_as_each_value_would_be():
    columns = [
        pd.Series([1, 2, 3], dtype="int64"),
        pd.Series([1.5, float("nan"), 3.0]),
        pd.Series([True, False, True]),
        pd.Series(["a", None, "c"], dtype="string[pyarrow]"),
        pd.Series(["a", None, float("nan")], dtype=object),
        pd.Series([np.array(["x", "y"]), [], ("z",)], dtype=object),
        pd.Series([pd.Timestamp("2007-03-20"), pd.NaT, pd.Timestamp("2018-08-01")]),
    ]
    for series in columns:
        expected = [_clean(v) for v in series.tolist()]
        got = _clean_column(series)
        assert got == expected, (series.dtype, got, expected)
        assert [type(v) for v in got] == [type(v) for v in expected]

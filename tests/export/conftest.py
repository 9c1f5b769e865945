"""A small hand-built dataset and view, so export tests run without the pipeline or the app core."""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import pandas as pd
import pytest

from dashboard.tables import SCHEMAS, Tables, conform


@dataclass
class HandView:
    """Stands in for dashboard.analysis.view.View (same attribute names)."""

    entities: pd.DataFrame
    links: pd.DataFrame
    evidence: pd.DataFrame
    passage_ids: list
    graph: nx.Graph
    notes: list = field(default_factory=list)


def _frame(name, rows):
    return conform(pd.DataFrame(rows, columns=[f.name for f in SCHEMAS[name]]), name).to_pandas()


ENTITIES = [
    # id, name, type, community, x, y
    ("qais", "Qais al-Khazali", "person", 0, 0.0, 0.0),
    ("laith", "Laith al-Khazali", "person", 0, 1.0, 0.5),
    ("aah", "AAH", "organization", 0, 0.5, -1.0),
    ("qf", "IRGC-QF", "organization", 1, -1.0, 0.8),
    ("basra", "Basra", "place", 1, -0.6, -0.7),
    ("dollar$", "Mr $x^2$ <b>bold</b>", "other", 2, 1.2, -0.9),
]
DOCS = [
    ("d1", "TIR 1", "CENTCOM / AEI", "https://example.org/tir1.pdf", "2007-03-21", "report"),
    ("d2", "TIR 2", "CENTCOM / AEI", "https://example.org/tir2.pdf", "2007-04-02", "report"),
    ("d3", "Press briefing", "MNF-I", "javascript:alert(1)", "2007-07-02", "statement"),
]
PASSAGES = [
    ("d1:0", "d1", 0, "Qais said AAH received training from IRGC-QF in 2006.", "2006-01-01", "2006-12-31", "reports"),
    ("d1:1", "d1", 1, "=HYPERLINK(\"x\") Laith met Qais in Basra.", "2005-05-01", "2005-05-31", "reports"),
    ("d2:0", "d2", 0, "Analysts infer AAH split from the Mahdi Army.", "2004-06-01", "2004-06-30", "analysis"),
    ("d3:0", "d3", 0, "Officials stated IRGC-QF supported the group.", "2007-07-02", "2007-07-02", "official"),
]
EVIDENCE = [
    # source, target, kind, relation, passage_id, claim
    ("aah", "qais", "co-mention", None, "d1:0"),
    ("aah", "qf", "co-mention", None, "d1:0"),
    ("qais", "qf", "co-mention", None, "d1:0"),
    ("qf", "aah", "relation", "trained", "d1:0"),
    ("laith", "qais", "co-mention", None, "d1:1"),
    ("basra", "laith", "co-mention", None, "d1:1"),
    ("basra", "qais", "co-mention", None, "d1:1"),
    ("aah", "dollar$", "co-mention", None, "d2:0"),
    ("aah", "qf", "co-mention", None, "d3:0"),
]


def make_data() -> Tables:
    p_by_id = {p[0]: p for p in PASSAGES}
    ents = _frame("entities", [
        {"entity_id": e, "name": n, "type": t, "aliases": [], "affiliations": [], "description": "",
         "n_mentions": 2, "n_passages": 2, "n_documents": 1, "first": "2004-06-01", "last": "2007-07-02",
         "degree": 1, "weighted_degree": 1.0, "betweenness": 0.0, "betweenness_approx": False,
         "eigenvector": 0.1, "pagerank": 0.1, "community": c} for e, n, t, c, _, _ in ENTITIES])
    docs = _frame("documents", [dict(zip(["doc_id", "title", "publisher", "url", "published", "kind"], d),
                                     source_file=f"documents/{d[0]}.md", n_pages=None) for d in DOCS])
    passages = _frame("passages", [
        {"passage_id": p, "doc_id": d, "seq": s, "page": None, "text": t, "date_start": a, "date_end": b,
         "date_precision": "month", "date_source": "explicit", "claim_class": c} for p, d, s, t, a, b, c in PASSAGES])
    evidence = _frame("evidence", [
        {"source": s, "target": t, "kind": k, "relation": r, "passage_id": p, "doc_id": p_by_id[p][1],
         "claim_class": p_by_id[p][6], "date_start": p_by_id[p][4], "date_end": p_by_id[p][5]}
        for s, t, k, r, p in EVIDENCE])
    links = links_from_evidence(evidence)
    layout = _frame("layout", [{"entity_id": e, "x": x, "y": y} for e, _, _, _, x, y in ENTITIES])
    empty = {name: _frame(name, []) for name in ("mentions", "relations")}
    return Tables(documents=docs, passages=passages, entities=ents, evidence=evidence, links=links,
                  layout=layout, manifest={"title": "Test papers"}, **empty)


def links_from_evidence(evidence: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (s, t, k), g in evidence.groupby(["source", "target", "kind"], sort=True):
        rows.append({"source": s, "target": t, "kind": k,
                     "relations": sorted(set(g["relation"].dropna())), "weight": float(len(g)),
                     "n_passages": g["passage_id"].nunique(), "n_documents": g["doc_id"].nunique(),
                     "first": g["date_start"].min(), "last": g["date_end"].max()})
    return _frame("links", rows)


def make_view(data: Tables, notes=()) -> HandView:
    ents = data.entities.merge(data.layout, on="entity_id")
    graph = nx.Graph()
    graph.add_nodes_from(ents["entity_id"])
    graph.add_edges_from(zip(data.links["source"], data.links["target"]))
    ents["degree"] = [graph.degree(e) for e in ents["entity_id"]]
    return HandView(entities=ents, links=data.links.copy(), evidence=data.evidence.copy(),
                    passage_ids=sorted(data.evidence["passage_id"].unique()), graph=graph, notes=list(notes))


STATE = {"orgs": ["aah", "qf"], "hops": 0, "start": "2004-01-01", "end": "2007-12-31", "types": [],
         "kinds": [], "relations": [], "claims": ["reports"], "min_weight": 1, "community": None,
         "focus": None, "depth": 1, "selected": None, "size_by": "degree", "color_by": "community",
         "time_axis": "event", "page": 1, "path": None}


@pytest.fixture(scope="session")
def hand_data() -> Tables:
    return make_data()


@pytest.fixture(scope="session")
def hand_view(hand_data) -> HandView:
    return make_view(hand_data, notes=["showing 6 of 6 entities"])


@pytest.fixture
def hand_state() -> dict:
    return dict(STATE)

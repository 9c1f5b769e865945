"""A small hand-made dataset in the table contract, and a View-like object over it.

Mentions are found by searching the passage text for each entity's name and aliases,
so their offsets are real; evidence and links are aggregated from mentions and
relations the way the build does. The view stand-in has the attributes the shared
contract promises (``entities, links, evidence, passage_ids, graph, notes, total``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import combinations

import networkx as nx
import pandas as pd
import pytest

from dashboard.tables import SCHEMAS, Tables

ENTITIES = [
    # entity_id, name, type, aliases, affiliations, description
    ("qais", "Qais al-Khazali", "person", ["Qayis al-Khazali", "Qais"], ["aah"], "Leader of AAH."),
    ("laith", "Laith al-Khazali", "person", ["Laith"], ["aah", "Nobody Known"], "Brother of Qais."),
    ("aah", "Asa'ib Ahl al-Haq", "organization", ["AAH"], [], "A militia."),
    ("qf", "Quds Force", "organization", ["IRGC-QF"], [], None),
    ("basra", "Basra", "place", [], [], "City in southern Iraq."),
    ("sadr", "Muqtada al-Sadr", "person", ["Sadr"], [], "<b>cleric</b>"),
]

DOCUMENTS = [
    # doc_id, title, publisher, url, published, kind, source_file, n_pages
    ("d1", "TIR one", "AEI", "https://www.aei.org/tir1", "2018-08-01", "report", "documents/d1.md", None),
    ("d2", "Analysis <img src=x onerror=alert(1)>", "ISW", "javascript:alert(1)", "2012-01-15", "analysis", "documents/d2.md", None),
    ("d3", "Statement", "MNF-I", None, "2007-07-02", "statement", "documents/d3.pdf", 2),
]

PASSAGES = [
    # passage_id, doc_id, seq, page, text, date_start, date_end, precision, claim_class
    ("d1:0", "d1", 0, None, "Qais al-Khazali and Laith met in Basra.", "2007-03-01", "2007-03-31", "month", "reports"),
    ("d1:1", "d1", 1, None, "Qais led Asa'ib Ahl al-Haq with Quds Force support.", "2004-01-01", "2006-12-31", "year", "reports"),
    ("d1:2", "d1", 2, None, "No names here.", None, None, None, "background"),
    ("d2:0", "d2", 0, None, "AAH received training from IRGC-QF, Laith said.", "2006-05-10", "2006-05-10", "day", "analysis"),
    ("d2:1", "d2", 1, None, "<script>alert('x')</script> Sadr denounced Qais.", "2005-01-01", "2005-12-31", "year", "analysis"),
    ("d3:0", "d3", 0, 1, "Qais al-Khazali was captured in Basra on 20 March 2007.", "2007-03-20", "2007-03-20", "day", "official"),
    ("d3:1", "d3", 1, 2, "Laith al-Khazali was captured with him.", "2007-03-20", "2007-03-20", "day", "official"),
]

RELATIONS = [
    # relation_id, source, target, relation, passage_id
    ("r1", "qais", "aah", "leads", "d1:1"),
    ("r2", "qf", "aah", "supports", "d2:0"),
    ("r3", "laith", "qais", "brother_of", "d3:1"),
]

METRICS = ["degree", "weighted_degree", "betweenness", "eigenvector", "pagerank"]


def _find_mentions(passages: pd.DataFrame, entities: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for p in passages.itertuples():
        for e in entities.itertuples():
            for surface in [e.name, *e.aliases]:
                for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", p.text):
                    rows.append((p.passage_id, e.entity_id, m.start(), m.end(), surface, "exact", 100.0))
    return pd.DataFrame(rows, columns=SCHEMAS["mentions"].names)


def _aggregate_links(evidence: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (s, t, kind), g in evidence.groupby(["source", "target", "kind"], sort=True):
        rels = sorted(r for r in g["relation"].dropna().unique())
        starts = g["date_start"].dropna()
        ends = g["date_end"].dropna()
        rows.append(
            (s, t, kind, rels, float(g["passage_id"].nunique()), g["passage_id"].nunique(), g["doc_id"].nunique(),
             starts.min() if len(starts) else None, ends.max() if len(ends) else None)
        )
    return pd.DataFrame(rows, columns=SCHEMAS["links"].names)


def _graph(links: pd.DataFrame) -> nx.Graph:
    g = nx.Graph()
    for r in links.itertuples():
        w = g.get_edge_data(r.source, r.target, {}).get("weight", 0.0)
        g.add_edge(r.source, r.target, weight=w + r.weight)
    return g


def _metrics(graph: nx.Graph, ids) -> pd.DataFrame:
    bet = nx.betweenness_centrality(graph) if graph.number_of_nodes() else {}
    pr = nx.pagerank(graph, weight="weight") if graph.number_of_nodes() else {}
    eig = nx.eigenvector_centrality_numpy(graph) if graph.number_of_nodes() > 2 else {}
    comms = nx.community.louvain_communities(graph, seed=1) if graph.number_of_nodes() else []
    comm = {n: i for i, c in enumerate(sorted(comms, key=lambda c: (-len(c), min(c)))) for n in c}
    return pd.DataFrame(
        {
            "entity_id": pd.Series(list(ids), dtype=object),
            "degree": [graph.degree(i) if i in graph else 0 for i in ids],
            "weighted_degree": [float(graph.degree(i, weight="weight")) if i in graph else 0.0 for i in ids],
            "betweenness": [bet.get(i, 0.0) for i in ids],
            "betweenness_approx": False,
            "eigenvector": [abs(eig.get(i, 0.0)) for i in ids],
            "pagerank": [pr.get(i, 0.0) for i in ids],
            "community": [comm.get(i, -1) for i in ids],
        }
    )


def make_tables() -> Tables:
    """Return the hand-made dataset as :class:`~dashboard.tables.Tables`."""
    documents = pd.DataFrame(DOCUMENTS, columns=SCHEMAS["documents"].names)
    passages = pd.DataFrame(
        [p[:8] + ("explicit" if p[5] else None, p[8]) for p in PASSAGES], columns=SCHEMAS["passages"].names
    )
    base = pd.DataFrame(
        [e for e in ENTITIES], columns=["entity_id", "name", "type", "aliases", "affiliations", "description"]
    )
    mentions = _find_mentions(passages, base)
    pmeta = passages.set_index("passage_id")
    relations = pd.DataFrame(
        [
            (rid, s, t, rel, pid, pmeta.at[pid, "claim_class"], pmeta.at[pid, "date_start"], pmeta.at[pid, "date_end"])
            for rid, s, t, rel, pid in RELATIONS
        ],
        columns=SCHEMAS["relations"].names,
    )
    ev = []
    for pid, g in mentions.groupby("passage_id"):
        p = pmeta.loc[pid]
        for a, b in combinations(sorted(g["entity_id"].unique()), 2):
            ev.append((a, b, "co-mention", None, pid, p.doc_id, p.claim_class, p.date_start, p.date_end))
    for r in relations.itertuples():
        p = pmeta.loc[r.passage_id]
        ev.append((r.source, r.target, "relation", r.relation, r.passage_id, p.doc_id, r.claim_class, r.date_start, r.date_end))
    evidence = pd.DataFrame(ev, columns=SCHEMAS["evidence"].names)
    links = _aggregate_links(evidence)
    metrics = _metrics(_graph(links), base["entity_id"])
    counts = mentions.merge(passages[["passage_id", "doc_id", "date_start", "date_end"]], on="passage_id")
    stats = counts.groupby("entity_id").agg(
        n_mentions=("passage_id", "size"),
        n_passages=("passage_id", "nunique"),
        n_documents=("doc_id", "nunique"),
        first=("date_start", "min"),
        last=("date_end", "max"),
    )
    entities = base.merge(stats, left_on="entity_id", right_index=True, how="left").merge(metrics, on="entity_id")
    entities[["n_mentions", "n_passages", "n_documents"]] = entities[["n_mentions", "n_passages", "n_documents"]].fillna(0)
    entities = entities[SCHEMAS["entities"].names]
    layout = pd.DataFrame({"entity_id": entities["entity_id"], "x": range(len(entities)), "y": 0.0})
    return Tables(documents, passages, entities, mentions, relations, evidence, links, layout, {"title": "test"})


@dataclass
class FakeView:
    """Stand-in for ``dashboard.analysis.view.View`` with the contract's attributes."""

    entities: pd.DataFrame
    links: pd.DataFrame
    evidence: pd.DataFrame
    passage_ids: pd.Index
    graph: nx.Graph
    notes: list = field(default_factory=list)
    total: int = 0


def make_view(tables: Tables, passage_ids=None, claims=None, kinds=None) -> FakeView:
    """Return a view of ``tables`` restricted to ``passage_ids`` / claim classes / link kinds."""
    passages = tables.passages
    if passage_ids is not None:
        passages = passages[passages["passage_id"].isin(passage_ids)]
    if claims:
        passages = passages[passages["claim_class"].isin(claims)]
    pids = pd.Index(passages["passage_id"])
    evidence = tables.evidence[tables.evidence["passage_id"].isin(pids)]
    if kinds:
        evidence = evidence[evidence["kind"].isin(kinds)]
    evidence = evidence.reset_index(drop=True)
    links = _aggregate_links(evidence)
    graph = _graph(links)
    ids = sorted(graph.nodes)
    base = tables.entities.drop(columns=[*METRICS, "betweenness_approx", "community"])
    ents = base[base["entity_id"].isin(ids)].merge(_metrics(graph, ids), on="entity_id")
    ents["x"] = 0.0
    ents["y"] = 0.0
    return FakeView(ents.reset_index(drop=True), links, evidence, pids, graph, [], len(tables.entities))


@pytest.fixture
def tables() -> Tables:
    return make_tables()


@pytest.fixture
def view(tables) -> FakeView:
    return make_view(tables)

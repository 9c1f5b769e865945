"""A small hand-built dataset (with awkward names, a formula-like passage and a javascript: URL)
and real views of it made by the app's own ``make_view``."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.analysis.view import make_view
from dashboard.state import normalize_state
from dashboard.tables import SCHEMAS, Tables, conform


def _frame(name, rows):
    return conform(pd.DataFrame(rows, columns=[f.name for f in SCHEMAS[name]]), name).to_pandas()


ENTITIES = [
    # id, name, type, community, x, y
    ("qais", "Qais al-Khazali", "person", 0, 0.0, 0.0),
    ("laith", "Laith al-Khazali", "person", 0, 1.0, 0.5),
    ("aah", "AAH", "organization", 0, 0.5, -1.0),
    ("qf", "IRGC-QF", "organization", 1, -1.0, 0.8),
    ("basra", "Basra", "place", 1, -0.6, -0.7),
    ("odd", "Mr $x^2$ <b>bold</b>", "other", 2, 1.2, -0.9),
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
    ("aah", "odd", "co-mention", None, "d2:0"),
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
    mentions = _frame("mentions", [
        {"passage_id": p, "entity_id": e, "start": 0, "end": 1, "surface": e, "method": "exact", "score": 100.0}
        for p, e in sorted({(p, e) for s, t, _, _, p in EVIDENCE for e in (s, t)})])
    return Tables(documents=docs, passages=passages, entities=ents, evidence=evidence, links=links,
                  layout=layout, mentions=mentions, relations=_frame("relations", []),
                  manifest={"title": "Test papers"})


def links_from_evidence(evidence: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (s, t, k), g in evidence.groupby(["source", "target", "kind"], sort=True):
        rows.append({"source": s, "target": t, "kind": k,
                     "relations": sorted(set(g["relation"].dropna())), "weight": float(len(g)),
                     "n_passages": g["passage_id"].nunique(), "n_documents": g["doc_id"].nunique(),
                     "first": g["date_start"].min(), "last": g["date_end"].max()})
    return _frame("links", rows)


# Filters that keep every entity and link of the hand data (all its passages fall in 2004-2007
# and none is "background"), so figures of this view show the whole graph under a real title.
STATE = normalize_state({"start": "2004-01-01", "end": "2007-12-31", "claims": ["reports", "analysis", "official"]})
TITLE_FILTERS = "2004–2007 · claims: reports, analysis, official"
# Filters that narrow the view: the two organizations, reports only.
ORG_STATE = normalize_state({"orgs": ["aah", "qf"], "claims": ["reports"]})


@pytest.fixture(scope="session")
def hand_data() -> Tables:
    return make_data()


@pytest.fixture(scope="session")
def hand_view(hand_data):
    return make_view(hand_data, STATE)


@pytest.fixture
def hand_state() -> dict:
    return dict(STATE)

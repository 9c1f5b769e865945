"""A tiny hand-made dataset in the table contract, for unit and browser tests of the app core.

Built by hand (not by the pipeline) so the expected views can be worked out on paper:

- organizations: aah (members qais, laith), jam (members qais, muqtada), qods (soleimani),
  hezbollah (daqduq); places iran, basra; event karbala; ``lonely`` is never mentioned.
- passages (doc d1 and d2) with exact, month, year-range and missing event dates and
  all four claim classes; three typed relations (funded, planned, advised).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pyarrow as pa

from dashboard.tables import SCHEMAS, Tables, write_table

__all__ = ["tiny_tables", "write_tiny", "PASSAGES"]

ENTITIES = [
    # id, name, type, aliases, affiliations
    ("aah", "Asa'ib Ahl al-Haq", "organization", ["AAH", "League of the Righteous"], []),
    ("jam", "Jaysh al-Mahdi", "organization", ["JAM", "Mahdi Army"], []),
    ("qods", "Quds Force", "organization", ["IRGC-QF"], []),
    ("hezbollah", "Lebanese Hezbollah", "organization", ["Hizballah"], []),
    ("qais", "Qais al-Khazali", "person", ["Qayis al-Khazali", "Qays al-Khazali"], ["aah", "jam"]),
    ("laith", "Laith al-Khazali", "person", ["Layth al-Khazali"], ["aah"]),
    ("muqtada", "Muqtada al-Sadr", "person", ["Moqtada al-Sadr"], ["jam"]),
    ("soleimani", "Qasem Soleimani", "person", ["Qassem Suleimani"], ["qods"]),
    ("daqduq", "Ali Musa Daqduq", "person", ["Hamid Majid"], ["hezbollah"]),
    ("iran", "Iran", "place", [], []),
    ("basra", "Basra", "place", ["Basrah"], []),
    ("karbala", "Karbala raid", "event", ["Karbala attack"], []),
    ("lonely", "Nobody Mentioned", "person", [], []),
]

# passage_id, doc, date_start, date_end, precision, claim, entities mentioned
PASSAGES = [
    ("d1:0", "d1", "2003-06-01", "2003-06-30", "month", "reports", ["qais", "muqtada", "iran"]),
    ("d1:1", "d1", "2004-01-01", "2006-12-31", "year", "reports", ["qais", "soleimani", "qods", "iran"]),
    ("d1:2", "d1", "2007-01-20", "2007-01-20", "day", "reports", ["qais", "laith", "karbala", "aah"]),
    ("d1:3", "d1", None, None, None, "analysis", ["qais", "daqduq", "hezbollah"]),
    ("d2:0", "d2", "2007-03-20", "2007-03-20", "day", "official", ["qais", "laith", "daqduq", "basra"]),
    ("d2:1", "d2", "2005-01-01", "2005-12-31", "year", "analysis", ["muqtada", "jam", "aah"]),
    ("d2:2", "d2", None, None, None, "background", ["iran"]),
]

RELATIONS = [
    ("r1", "soleimani", "qais", "funded", "d1:1"),
    ("r2", "qais", "karbala", "planned", "d1:2"),
    ("r3", "daqduq", "qais", "advised", "d2:0"),
]


def _frame(rows: list[dict], name: str) -> pd.DataFrame:
    schema = SCHEMAS[name]
    df = pd.DataFrame(rows, columns=[f.name for f in schema])
    return pa.Table.from_pandas(df, schema=schema, preserve_index=False).to_pandas()


def tiny_tables() -> Tables:
    """Return the tiny dataset as :class:`Tables` (types exactly as ``load_tables`` gives)."""
    from dashboard.analysis.communities import detect_communities
    from dashboard.analysis.metrics import compute_metrics
    from dashboard.analysis.view import aggregate_links

    documents = _frame([
        {"doc_id": "d1", "title": "Doc one", "publisher": "Pub A", "url": "https://example.org/d1",
         "published": "2018-08-30", "kind": "article", "source_file": "documents/d1.md", "n_pages": None},
        {"doc_id": "d2", "title": "Doc two", "publisher": "Pub B", "url": "https://example.org/d2",
         "published": "2019-01-10", "kind": "analysis", "source_file": "documents/d2.md", "n_pages": None},
    ], "documents")
    by_id = {p[0]: p for p in PASSAGES}
    passages, mentions, evidence = [], [], []
    for pid, doc, ds, de, prec, claim, ents in PASSAGES:
        text = "Passage " + pid + " mentions " + ", ".join(ents) + "."
        passages.append({"passage_id": pid, "doc_id": doc, "seq": int(pid.split(":")[1]), "page": None, "text": text,
                         "date_start": ds, "date_end": de, "date_precision": prec,
                         "date_source": "explicit" if ds else None, "claim_class": claim})
        for e in ents:
            start = text.index(e)
            mentions.append({"passage_id": pid, "entity_id": e, "start": start, "end": start + len(e),
                             "surface": e, "method": "exact", "score": 100.0})
        for a, b in itertools.combinations(sorted(ents), 2):
            evidence.append({"source": a, "target": b, "kind": "co-mention", "relation": None, "passage_id": pid,
                             "doc_id": doc, "claim_class": claim, "date_start": ds, "date_end": de})
    relations = []
    for rid, s, t, rel, pid in RELATIONS:
        _, doc, ds, de, _, claim, _ = by_id[pid]
        relations.append({"relation_id": rid, "source": s, "target": t, "relation": rel, "passage_id": pid,
                          "claim_class": claim, "date_start": ds, "date_end": de})
        evidence.append({"source": s, "target": t, "kind": "relation", "relation": rel, "passage_id": pid,
                         "doc_id": doc, "claim_class": claim, "date_start": ds, "date_end": de})
    evidence = _frame(evidence, "evidence")
    links = _frame(aggregate_links(evidence).to_dict("records"), "links")
    mdf = pd.DataFrame(mentions)
    G = nx.Graph()
    G.add_nodes_from(e[0] for e in ENTITIES)
    for s, t, w in zip(links["source"], links["target"], links["weight"]):
        G.add_edge(s, t, weight=G.get_edge_data(s, t, {"weight": 0.0})["weight"] + w)
    metrics = compute_metrics(G, 1000, 200, 42).set_index("entity_id")
    comm = detect_communities(G.subgraph([n for n in G if G.degree(n)]), 42)
    pos = nx.spring_layout(G, seed=42)
    entities, layout = [], []
    for eid, name, typ, aliases, affs in ENTITIES:
        pids = mdf.loc[mdf["entity_id"] == eid, "passage_id"] if len(mdf) else pd.Series(dtype=str)
        dated = [by_id[p] for p in pids if by_id[p][2]]
        entities.append({"entity_id": eid, "name": name, "type": typ, "aliases": aliases, "affiliations": affs,
                         "description": f"Test entity {name}.", "n_mentions": len(pids), "n_passages": pids.nunique(),
                         "n_documents": len({by_id[p][1] for p in pids}),
                         "first": min((d[2] for d in dated), default=None), "last": max((d[3] for d in dated), default=None),
                         **{c: metrics.loc[eid, c] for c in ("degree", "weighted_degree", "betweenness",
                                                               "betweenness_approx", "eigenvector", "pagerank")},
                         "community": comm.get(eid, -1)})
        layout.append({"entity_id": eid, "x": float(pos[eid][0]) * 500, "y": float(pos[eid][1]) * 500})
    return Tables(
        documents=documents,
        passages=_frame(passages, "passages"),
        entities=_frame(entities, "entities"),
        mentions=_frame(mentions, "mentions"),
        relations=_frame(relations, "relations"),
        evidence=evidence,
        links=links,
        layout=_frame(layout, "layout"),
        manifest={"title": "Tiny test dataset"},
    )


def write_tiny(folder: Path) -> Path:
    """Write the tiny dataset as a built folder (Parquet tables + manifest) and return it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    data = tiny_tables()
    for name in SCHEMAS:
        write_table(getattr(data, name), name, folder)
    (folder / "manifest.json").write_text(json.dumps(data.manifest), encoding="utf-8")
    return folder

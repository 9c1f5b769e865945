"""Data exports of a view: GEXF (dynamic, for Gephi's timeline), GraphML, nodes/edges CSV, evidence CSV.

All functions take the filtered view and the loaded dataset and return bytes, so the
app can hand them to the browser without touching the file system.

* **GEXF** — nodes carry ``start``/``end`` (first and last dated evidence of the entity);
  edges carry *spells*: the merged event periods of their dated evidence, so Gephi's
  timeline shows a link only while some passage speaks of it. ``viz`` holds the
  on-screen position, color and size. The graph is undirected and may hold two edges
  for one pair (a co-mention and a named relation), told apart by ``kind``.
* **GraphML** — the same graph with ``first``/``last`` as plain attributes.
* **CSV** — a zip with ``nodes.csv`` and ``edges.csv`` (one row per view link).
* **Evidence CSV** — one row per (link, passage) with the passage text and its citation.

CSV cells that a spreadsheet would run as a formula (starting with ``= + - @``) are
prefixed with an apostrophe (OWASP "CSV injection").
"""

from __future__ import annotations

import io
import zipfile
from typing import Mapping

import networkx as nx
import numpy as np
import pandas as pd

__all__ = [
    "NODE_CSV_COLUMNS",
    "EDGE_CSV_COLUMNS",
    "EVIDENCE_CSV_COLUMNS",
    "view_graph",
    "to_gexf",
    "to_graphml",
    "to_csv_zip",
    "nodes_frame",
    "edges_frame",
    "evidence_frame",
    "to_evidence_csv",
    "merge_intervals",
]

NODE_CSV_COLUMNS = ["id", "label", "type", "community", "degree", "weighted_degree", "betweenness",
                    "eigenvector", "pagerank", "n_passages", "n_documents", "first", "last", "x", "y"]
EDGE_CSV_COLUMNS = ["source", "target", "source_label", "target_label", "kind", "relations", "weight",
                    "n_passages", "n_documents", "first", "last"]
EVIDENCE_CSV_COLUMNS = ["source", "source_name", "target", "target_name", "kind", "relation", "claim_class",
                        "date_start", "date_end", "passage_id", "passage_text", "doc_id", "doc_title",
                        "publisher", "url", "published", "page"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _clean(value):
    """Return a value GEXF/GraphML can store (str, int, float, bool) or None to drop it."""
    if value is None:
        return None
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        items = value.tolist() if hasattr(value, "tolist") else value
        if isinstance(items, list):
            return "; ".join(str(v) for v in items) if items else None
        value = items
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, bool):
        return value
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, (int, float, str)):
        return value
    return str(value)


def merge_intervals(intervals) -> list[tuple[str, str]]:
    """Merge overlapping or touching ISO-date intervals (Gephi rejects overlapping spells).

    Examples
    --------
    >>> merge_intervals([("2005-01-01", "2005-06-30"), ("2005-03-01", "2006-01-01"), ("2007-01-01", None)])
    [('2005-01-01', '2006-01-01'), ('2007-01-01', '2007-01-01')]
    """
    spans = []
    for start, end in intervals:
        start = start if isinstance(start, str) and start else None
        end = end if isinstance(end, str) and end else None
        if start is None and end is None:
            continue
        start, end = start or end, end or start
        if end < start:
            start, end = end, start
        spans.append((start, end))
    spans.sort()
    merged: list[tuple[str, str]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _hex_rgb(color: str) -> dict:
    color = color.lstrip("#")
    if len(color) != 6:
        return {"r": 136, "g": 136, "b": 136, "a": 1.0}
    return {"r": int(color[0:2], 16), "g": int(color[2:4], 16), "b": int(color[4:6], 16), "a": 1.0}


def _clean_column(series: pd.Series) -> list:
    """:func:`_clean` of every value of a column; NumPy numbers and plain text skip its checks."""
    values = series.tolist()
    kind = series.dtype.kind if isinstance(series.dtype, np.dtype) else "O"
    if kind in "iub":
        return values
    if kind == "f":
        return [None if v != v else v for v in values]  # NaN is the only float unequal to itself
    return [v if type(v) is str else _clean(v) for v in values]


def _clean_records(frame: pd.DataFrame, columns) -> list[dict]:
    """Rows as dicts of :func:`_clean` values of ``columns`` (those the frame has, in its order),
    built column by column (``to_dict("records")`` iterates Arrow strings slowly)."""
    wanted = set(columns)
    columns = [c for c in frame.columns if c in wanted]
    return [dict(zip(columns, values)) for values in zip(*(_clean_column(frame[c]) for c in columns))]


def view_graph(view, style: Mapping | None = None, *, dynamic: bool = True) -> nx.MultiGraph:
    """Build the export graph: one node per view entity, one edge per view link.

    Parameters
    ----------
    view : View
    style : mapping, optional
        ``{"nodes": DataFrame(id, x, y, size, color), ...}`` from the figure scene, written as GEXF ``viz``.
    dynamic : bool
        Add ``start``/``end`` to nodes and ``spells`` to edges (GEXF); otherwise plain ``first``/``last``.
    """
    graph = nx.MultiGraph()
    graph.graph["name"] = "view"
    entities = view.entities
    viz = {}
    if style is not None and "nodes" in style:
        for row in style["nodes"].itertuples(index=False):
            viz[row.id] = {"position": {"x": float(row.x), "y": -float(row.y), "z": 0.0},
                           "color": _hex_rgb(str(row.color)), "size": float(row.size)}
    skip = {"entity_id", "aliases", "affiliations", "description", "first", "last", "x", "y"}
    unused = {"affiliations", "description", "x", "y"}
    for row in _clean_records(entities, [c for c in entities.columns if c not in unused]):
        node = str(row["entity_id"])
        attrs = {"label": str(row.get("name") or node)}
        for key, value in row.items():
            if key in skip or key == "name":
                continue
            if value is not None:
                attrs[key] = value
        aliases = row.get("aliases")
        if aliases:
            attrs["aliases"] = aliases
        first, last = row.get("first"), row.get("last")
        if dynamic:
            if first:
                attrs["start"] = first
            if last:
                attrs["end"] = last
        else:
            attrs.update({k: v for k, v in (("first", first), ("last", last)) if v})
        if dynamic and node in viz:
            attrs["viz"] = viz[node]
        graph.add_node(node, **attrs)
    spells = {}
    if dynamic and len(view.evidence):
        ev = view.evidence
        dates: dict[tuple, list] = {}
        # plain lists: iterating a pandas group per link cost seconds on 20,000 links
        for key in zip(ev["source"].tolist(), ev["target"].tolist(), ev["kind"].tolist(),
                       ev["date_start"].tolist(), ev["date_end"].tolist()):
            dates.setdefault(key[:3], []).append(key[3:])
        spells = {key: merge_intervals(pairs) for key, pairs in dates.items()}
    link_columns = ("source", "target", "kind", "relations", "weight", "n_passages", "n_documents", "first", "last")
    for i, row in enumerate(_clean_records(view.links, link_columns)):
        s, t, kind = str(row["source"]), str(row["target"]), str(row["kind"])
        attrs = {"kind": kind, "label": kind if kind != "relation" else (row.get("relations") or kind)}
        for key in ("relations", "weight", "n_passages", "n_documents"):
            value = row.get(key)
            if value is not None:
                attrs[key] = value
        first, last = row.get("first"), row.get("last")
        if dynamic and spells.get((s, t, kind)):
            attrs["spells"] = spells[(s, t, kind)]
        elif dynamic:
            if first:
                attrs["start"] = first
            if last:
                attrs["end"] = last
        else:
            attrs.update({k: v for k, v in (("first", first), ("last", last)) if v})
        graph.add_edge(s, t, key=f"{kind}:{i}", **attrs)
    return graph


def to_gexf(view, style: Mapping | None = None) -> bytes:
    """Return the view as GEXF 1.2 (dynamic mode when any date is known)."""
    buffer = io.BytesIO()
    nx.write_gexf(view_graph(view, style, dynamic=True), buffer, version="1.2draft")
    return buffer.getvalue()


def to_graphml(view) -> bytes:
    """Return the view as GraphML (static; dates as ``first``/``last`` attributes)."""
    buffer = io.BytesIO()
    nx.write_graphml(view_graph(view, dynamic=False), buffer, named_key_ids=True)
    return buffer.getvalue()


def _safe_cells(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    for column in frame.columns:
        if not pd.api.types.is_numeric_dtype(frame[column]) and not pd.api.types.is_bool_dtype(frame[column]):
            frame[column] = frame[column].map(
                lambda v: "'" + v if isinstance(v, str) and v.startswith(_FORMULA_START) else v)
    return frame


def _csv(frame: pd.DataFrame) -> bytes:
    return _safe_cells(frame).to_csv(index=False, lineterminator="\n").encode("utf-8")


def nodes_frame(view) -> pd.DataFrame:
    """One row per view entity with the columns of :data:`NODE_CSV_COLUMNS`."""
    e = view.entities.rename(columns={"entity_id": "id", "name": "label"})
    for column in NODE_CSV_COLUMNS:
        if column not in e.columns:
            e[column] = None
    return e[NODE_CSV_COLUMNS].reset_index(drop=True)


def edges_frame(view, names: Mapping[str, str]) -> pd.DataFrame:
    """One row per view link with the columns of :data:`EDGE_CSV_COLUMNS` (relations joined by "; ")."""
    links = view.links.copy()
    links["source_label"] = links["source"].map(lambda i: names.get(i, i))
    links["target_label"] = links["target"].map(lambda i: names.get(i, i))
    links["relations"] = links["relations"].map(lambda v: _clean(v) or "")
    return links[EDGE_CSV_COLUMNS].reset_index(drop=True)


def to_csv_zip(view, names: Mapping[str, str]) -> bytes:
    """Return a zip archive holding ``nodes.csv`` and ``edges.csv`` (UTF-8, comma separated)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("nodes.csv", _csv(nodes_frame(view)))
        archive.writestr("edges.csv", _csv(edges_frame(view, names)))
    return buffer.getvalue()


def evidence_frame(view, data) -> pd.DataFrame:
    """Join the view's evidence with passages and documents: one cited row per (link, passage).

    Rows are ordered by link weight (strongest first), then event date.
    """
    names = dict(zip(data.entities["entity_id"], data.entities["name"]))
    ev = view.evidence.copy()
    passages = data.passages[["passage_id", "text", "page"]].rename(columns={"text": "passage_text"})
    docs = data.documents[["doc_id", "title", "publisher", "url", "published"]].rename(columns={"title": "doc_title"})
    ev = ev.merge(passages, on="passage_id", how="left").merge(docs, on="doc_id", how="left")
    ev["source_name"] = ev["source"].map(lambda i: names.get(i, i))
    ev["target_name"] = ev["target"].map(lambda i: names.get(i, i))
    weights = view.links.set_index(["source", "target", "kind"])["weight"]
    key = pd.MultiIndex.from_frame(ev[["source", "target", "kind"]])
    ev["_weight"] = weights.reindex(key).to_numpy() if len(ev) else []
    ev = ev.sort_values(["_weight", "source", "target", "kind", "date_start", "passage_id"],
                        ascending=[False, True, True, True, True, True], na_position="last")
    return ev[EVIDENCE_CSV_COLUMNS].reset_index(drop=True)


def to_evidence_csv(view, data) -> bytes:
    """Return the evidence table of the view as CSV (see :data:`EVIDENCE_CSV_COLUMNS`)."""
    return _csv(evidence_frame(view, data))

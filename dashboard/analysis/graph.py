"""The entity network as a NetworkX graph, built from the ``entities`` and ``links`` tables.

Used at build time (global metrics, layout) and by the app on filtered views, so it is pure:
tables in, a new graph out.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

__all__ = ["build_graph"]


def build_graph(entities: pd.DataFrame, links: pd.DataFrame) -> nx.Graph:
    """Build the undirected entity graph.

    Every entity becomes a node (attributes ``name`` and ``type`` when those columns exist),
    even without links. Links of both kinds between the same two entities are combined
    into one edge: ``weight`` is the sum of their weights, ``n_passages`` the sum of their
    passage counts (an upper bound of distinct passages), ``kinds`` the sorted kinds and
    ``relations`` the sorted union of relation types. Links to entities missing from
    ``entities`` and self-loops are ignored. Nodes and edges are inserted in sorted order so
    that seeded algorithms give the same result for the same tables.

    Parameters
    ----------
    entities : DataFrame
        At least ``entity_id``; ``name`` and ``type`` are copied when present.
    links : DataFrame
        At least ``source, target, weight``; ``kind``, ``relations`` and ``n_passages``
        are used when present.

    Returns
    -------
    networkx.Graph

    Examples
    --------
    >>> ents = pd.DataFrame({"entity_id": ["a", "b", "c"]})
    >>> links = pd.DataFrame({"source": ["a", "b"], "target": ["b", "a"], "weight": [2.0, 1.0],
    ...                       "kind": ["co-mention", "relation"]})
    >>> G = build_graph(ents, links)
    >>> G["a"]["b"]["weight"], sorted(G.nodes), G["a"]["b"]["kinds"]
    (3.0, ['a', 'b', 'c'], ['co-mention', 'relation'])
    """
    G = nx.Graph()
    cols = [c for c in ("name", "type") if c in entities.columns]
    ents = entities.sort_values("entity_id", kind="stable")
    for row in ents[["entity_id", *cols]].itertuples(index=False):
        G.add_node(row[0], **{c: row[i + 1] for i, c in enumerate(cols)})
    if links is None or links.empty:
        return G
    edges: dict[tuple[str, str], dict] = {}
    n = len(links)
    kinds = links["kind"].tolist() if "kind" in links.columns else [None] * n
    rels = links["relations"].tolist() if "relations" in links.columns else [None] * n
    nps = links["n_passages"].tolist() if "n_passages" in links.columns else [0] * n
    rows = zip(links["source"].tolist(), links["target"].tolist(), links["weight"].tolist(), kinds, rels, nps, strict=True)
    for s, t, w, kind, rel, npass in rows:
        if s == t or s not in G or t not in G:
            continue
        key = (s, t) if s < t else (t, s)
        e = edges.setdefault(key, {"weight": 0.0, "n_passages": 0, "kinds": set(), "relations": set()})
        e["weight"] += float(w)
        e["n_passages"] += int(npass)
        if kind is not None:
            e["kinds"].add(kind)
        if rel is not None:
            e["relations"].update(str(r) for r in rel)
    for (s, t) in sorted(edges):
        e = edges[(s, t)]
        G.add_edge(s, t, weight=e["weight"], n_passages=e["n_passages"], kinds=sorted(e["kinds"]), relations=sorted(e["relations"]))
    return G

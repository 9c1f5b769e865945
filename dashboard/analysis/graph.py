"""The entity network as a NetworkX graph, built from the ``entities`` and ``links`` tables.

Used at build time (global metrics, layout) and by the app on every filtered view (in a
callback, so it must be fast), so it is pure: tables in, a new graph out. This is the one
implementation; the view does not keep a copy.
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
    if cols:
        G.add_nodes_from((row[0], dict(zip(cols, row[1:]))) for row in ents[["entity_id", *cols]].itertuples(index=False))
    else:
        G.add_nodes_from(ents["entity_id"].tolist())
    if links is None or links.empty:
        return G
    n = len(links)
    kinds = links["kind"].tolist() if "kind" in links.columns else [None] * n
    rels = links["relations"].tolist() if "relations" in links.columns else [None] * n
    nps = links["n_passages"].tolist() if "n_passages" in links.columns else [0] * n
    # per pair: [weight, n_passages, kinds, relations]; bulk insertion below is what makes it fast
    edges: dict[tuple[str, str], list] = {}
    for s, t, w, kind, rel, npass in zip(links["source"].tolist(), links["target"].tolist(), links["weight"].tolist(),
                                         kinds, rels, nps, strict=True):
        if s == t or s not in G or t not in G:
            continue
        key = (s, t) if s < t else (t, s)
        e = edges.get(key)
        if e is None:
            e = edges[key] = [0.0, 0, set(), set()]
        e[0] += float(w)
        e[1] += int(npass)
        if kind is not None:
            e[2].add(kind)
        if rel is not None:
            e[3].update(str(r) for r in rel)
    G.add_edges_from((s, t, {"weight": e[0], "n_passages": e[1], "kinds": sorted(e[2]), "relations": sorted(e[3])})
                     for (s, t), e in sorted(edges.items()))
    return G

"""The entity network as a NetworkX graph, built from the ``entities`` and ``links`` tables.

Used at build time (global metrics, layout) and by the app on every filtered view (in a
callback, so it must be fast), so it is pure: tables in, a new graph out. This is the one
implementation; the view does not keep a copy.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

__all__ = ["build_graph", "GraphIndex"]


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


class GraphIndex:
    """Neighbour look-ups on a view's adjacency matrix, without building a NetworkX graph.

    Answers what the selection highlight needs (``node in index``, :meth:`neighbors`,
    :meth:`has_edge`) in microseconds on any view; :meth:`to_networkx` builds the graph
    (nodes and weighted edges) for the algorithms that need one (paths, re-layout).

    Parameters
    ----------
    nodes : sequence of str
        Node ids in the order of the rows of ``A``.
    A : scipy.sparse.csr_array
        Symmetric weighted adjacency (no self-loops), e.g. from
        :func:`dashboard.analysis.metrics.adjacency_from_codes`.

    Examples
    --------
    >>> import numpy as np
    >>> from dashboard.analysis.metrics import adjacency_from_codes
    >>> g = GraphIndex(["a", "b", "c"], adjacency_from_codes(3, np.array([0]), np.array([2]), np.array([2.0])))
    >>> "a" in g, g.neighbors("a"), g.has_edge("c", "a"), g.has_edge("a", "b")
    (True, ['c'], True, False)
    """

    def __init__(self, nodes, A):
        self.nodes = list(map(str, nodes))  # str of a str is the same object
        self.A = A
        self._pos = dict(zip(self.nodes, range(len(self.nodes))))

    def position(self, node) -> int | None:
        """The row of ``node`` in the view's entities (its position in ``nodes``), or None."""
        return self._pos.get(node)

    @property
    def positions(self) -> dict:
        """``node → position`` (read-only use)."""
        return self._pos

    def __contains__(self, node) -> bool:
        return node in self._pos

    def __len__(self) -> int:
        return len(self.nodes)

    def number_of_nodes(self) -> int:
        return len(self.nodes)

    def number_of_edges(self) -> int:
        return int(self.A.nnz // 2)

    def neighbors(self, node) -> list[str]:
        """Neighbours of ``node`` (``KeyError`` if it is not in the view)."""
        i = self._pos[node]
        return [self.nodes[j] for j in self.A.indices[self.A.indptr[i]:self.A.indptr[i + 1]]]

    def has_edge(self, a, b) -> bool:
        i, j = self._pos.get(a), self._pos.get(b)
        if i is None or j is None:
            return False
        row = self.A.indices[self.A.indptr[i]:self.A.indptr[i + 1]]
        k = row.searchsorted(j)
        return bool(k < len(row) and row[k] == j)

    def to_networkx(self) -> nx.Graph:
        """The undirected graph: every node, one edge per linked pair with its ``weight``."""
        G = nx.Graph()
        G.add_nodes_from(self.nodes)
        coo = self.A.tocoo()
        keep = coo.row < coo.col
        names = self.nodes
        G.add_weighted_edges_from(zip([names[i] for i in coo.row[keep]], [names[j] for j in coo.col[keep]],
                                      coo.data[keep].tolist()))
        return G

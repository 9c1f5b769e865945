"""Community detection with deterministic numbering.

Used at build time and by the app on filtered views: pure, seeded, fast (Louvain).
"""

from __future__ import annotations

import networkx as nx

__all__ = ["detect_communities", "number_communities"]


def number_communities(groups) -> dict[str, int]:
    """Number groups 0, 1, … by decreasing size, ties broken by the smallest member id.

    Examples
    --------
    >>> number_communities([{"c"}, {"b", "d"}, {"a"}])
    {'b': 0, 'd': 0, 'a': 1, 'c': 2}
    """
    ordered = sorted((sorted(map(str, g)) for g in groups if g), key=lambda g: (-len(g), g[0]))
    return {node: i for i, members in enumerate(ordered) for node in members}


def detect_communities(G: nx.Graph, seed: int = 42) -> dict[str, int]:
    """Return ``{node: community}`` from weighted Louvain (seeded), numbered deterministically.

    Every node gets a community; an isolated node is a community of its own. Numbers are
    0, 1, … by decreasing size, ties broken by the smallest member id, so the same graph and
    seed always give the same numbers. An empty graph gives ``{}``.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("x", "y")])
    >>> G.add_node("z")
    >>> detect_communities(G, seed=1)
    {'a': 0, 'b': 0, 'c': 0, 'x': 1, 'y': 1, 'z': 2}
    """
    if G.number_of_nodes() == 0:
        return {}
    H = nx.Graph()
    H.add_nodes_from(sorted(G.nodes, key=str))
    edges = []
    for u, v, d in G.edges(data=True):
        if u != v:
            a, b = sorted((u, v), key=str)
            edges.append((a, b, float(d.get("weight", 1.0))))
    # same graph, same insertion order, whatever order G was built in: Louvain is then reproducible
    H.add_weighted_edges_from(sorted(edges, key=lambda e: (str(e[0]), str(e[1]))))
    if H.number_of_edges() == 0:
        return number_communities([{n} for n in H.nodes])
    groups = nx.community.louvain_communities(H, weight="weight", seed=seed)
    return number_communities(groups)

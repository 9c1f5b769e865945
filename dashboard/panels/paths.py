"""Paths of a view as the panels show them: the filters' path list and the graph's highlight
ask for the same paths, memoized once per view."""

from __future__ import annotations

from dashboard.analysis.paths import path_graph, shortest_paths
from dashboard.panels.index import view_index

__all__ = ["view_paths"]


def view_paths(cache, state: dict, source: str, target: str, k: int = 3) -> list[list[dict]]:
    """Up to ``k`` shortest paths from ``source`` to ``target`` in the view of ``state``.

    Each hop reads its pair's evidence rows (``ViewIndex.pair_rows``), and the search runs on
    the view's attribute-free :func:`~dashboard.analysis.paths.path_graph`, built once per view.

    Parameters
    ----------
    cache : ViewCache
        The app's view cache (results are memoized per view).
    state : dict
        A normalized state.
    source, target : str
        Entity ids.
    k : int
        Most paths returned.
    """
    def compute(view):
        graph = cache.memo("path-graph", state, None, lambda v: path_graph(v.index))
        return shortest_paths(view, source, target, k, view_index(view).pair_rows, graph=graph)

    return cache.memo("paths", state, (source, target, k), compute)

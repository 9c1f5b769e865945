"""An LRU cache of views keyed by the filter part of the state.

Every panel callback calls ``cache.get(state)``; only the first one for a given filter
combination pays for :func:`~dashboard.analysis.view.make_view`. Presentation keys
(selection, size, colour, page) do not change the key. The per-view colouring is memoized
too. Thread-safe (gunicorn threads, Dash's dev server).
"""

from __future__ import annotations

import sys
import threading
from collections import OrderedDict
from typing import Any, Callable, Mapping

import numpy as np

from dashboard.analysis.view import Filters, View, make_view
from dashboard.analysis.derived import derived_bytes, estimate_bytes

__all__ = ["ViewCache", "view_bytes", "graph_bytes", "lazy_bytes", "MEMO_MAX"]

#: Most memoized per-view results kept (drawings, timeline figures, rankings frames...). At
#: 10k entities one timeline figure of a selection holds megabytes, and the view budget
#: (``cache_mb``) does not count them: 1,024 of them took the server past 1.8 GB.
MEMO_MAX = 128

_MISSING = object()  # a cache lookup that found nothing (None is a value)


def view_bytes(view: View, shared: tuple = ()) -> int:
    """Memory of a view in bytes: its tables (buffers, not Python string objects), its passage
    indexes and its graph index. Frames listed in ``shared`` (the dataset's own, which an
    unfiltered view reuses) are not counted. A view from :func:`make_view` knows the size of
    its entities and links (``frames_nbytes``), so they are not measured again (measuring
    the frames column by column took ~1 ms at 2k entities)."""
    known = getattr(view, "frames_nbytes", None)  # make_view's: its entities and links, counted as built
    frames = [view.entities, view.links] if known is None else []
    if getattr(view, "evidence_loaded", True):  # make_view's views take their evidence on first access
        frames.append(view.evidence)
    frames = [df for df in frames if not any(df is s for s in shared)]
    size = (known or 0) + sum(int(df.memory_usage(index=False, deep=False).sum()) for df in frames)
    rows = getattr(view, "evidence_rows", None)
    size += int(rows.nbytes) if rows is not None else 0
    if not hasattr(view, "visible_mask"):  # a view built elsewhere: its passage indexes
        size += sum(int(np.sum(ids.memory_usage())) for ids in (view.passage_ids, view.visible_passage_ids))
    arrays = [*(getattr(view, "link_ends", None) or ()), *(getattr(view, "evidence_ends", None) or ())]
    arrays += [getattr(view, "passage_mask", None), getattr(view, "visible_mask", None)]
    size += sum(int(a.nbytes) for a in arrays if a is not None)
    index = view.index
    A = getattr(index, "A", None)
    if A is not None:
        size += sum(int(getattr(A, part).nbytes) for part in ("data", "indices", "indptr") if hasattr(A, part))
    nodes = getattr(index, "nodes", ())
    size += sys.getsizeof(nodes) + 100 * len(nodes)  # the node list and its position dictionary
    return size


def lazy_bytes(view: View, shared: tuple = ()) -> int:
    """Memory of what a view computed on first access after it was cached (its evidence frame,
    its passage indexes), 0 while it has not; counted with the panels' derived indexes,
    re-estimated on each add."""
    size = 0
    if getattr(view, "evidence_loaded", False):
        ev = view.evidence
        size += 0 if any(ev is s for s in shared) else int(ev.memory_usage(index=False, deep=False).sum())
    for name in ("_passage_ids", "_visible_passage_ids"):
        ids = getattr(view, name, None)
        if ids is not None:
            size += int(np.sum(ids.memory_usage()))
    return size


#: Bytes per edge and per node of a view's NetworkX graph (attribute dictionaries, adjacency
#: entries both ways; measured with tracemalloc at 10k entities: ~310 per edge).
_GRAPH_EDGE_BYTES, _GRAPH_NODE_BYTES = 320, 300


def graph_bytes(view: View) -> int:
    """Estimated memory of the view's NetworkX graph, 0 until an algorithm built it (paths)."""
    g = getattr(view, "_graph", None)
    if g is None:
        return 0
    return _GRAPH_EDGE_BYTES * g.number_of_edges() + _GRAPH_NODE_BYTES * g.number_of_nodes()


class ViewCache:
    """Views by filters, least recently used dropped first.

    Parameters
    ----------
    data : Tables
    maxsize : int
        Views kept (setting ``cache_size``).
    settings : mapping, optional
        Passed to :func:`make_view`; ``cache_mb`` is read from it when ``max_mb`` is not given.
    max_mb : float, optional
        Memory budget of the cached views in MB (setting ``cache_mb``): least recently used
        views are dropped while the views (:func:`view_bytes`), the lookup indexes panels
        derived from them (:func:`~dashboard.analysis.derived.derived_bytes`), their NetworkX
        graphs once built (:func:`graph_bytes`) and their memoized results together exceed it.
        Derived sizes are re-estimated whenever a view is added.
        The newest view always stays.
    """

    def __init__(self, data, maxsize: int = 256, settings: Mapping | None = None, max_mb: float | None = None):
        self.data = data
        self.maxsize = max(1, int(maxsize))
        self.settings = dict(settings or {})
        budget = max_mb if max_mb is not None else self.settings.get("cache_mb")
        self.max_bytes = float(budget) * 2**20 if budget else float("inf")
        self._views: OrderedDict[Filters, View] = OrderedDict()
        self._bytes: dict[Filters, int] = {}  # the view itself
        self._derived: dict[Filters, int] = {}  # indexes panels keep on the view (re-estimated)
        self._memo_bytes: dict[Filters, int] = {}
        self._memo: OrderedDict[tuple, Any] = OrderedDict()
        self._memo_size: dict[tuple, int] = {}
        self._lock = threading.RLock()
        self._pending: dict[Filters, threading.Event] = {}
        self.hits = 0
        self.misses = 0

    @property
    def _shared(self) -> tuple:
        """The dataset's own frames, which an unfiltered view reuses (not counted)."""
        return (self.data.entities, self.data.links, self.data.evidence)

    def get(self, state: Any) -> View:
        """Return the view for ``state`` (any dict; it is normalized).

        Concurrent requests for the same filters (a state change fires several panel
        callbacks at once) wait for one computation instead of repeating it.
        """
        key = Filters.from_state(state)

        def lookup():
            view = self._views.get(key)
            if view is None:
                return _MISSING
            self._views.move_to_end(key)
            self.hits += 1
            return view

        def fill():
            view = make_view(self.data, key, self.settings)
            size = view_bytes(view, shared=self._shared)
            with self._lock:
                self.misses += 1
                for k, v in self._views.items():  # what panels derived since they were added
                    self._derived[k] = derived_bytes(v) + graph_bytes(v) + lazy_bytes(v, self._shared)
                self._views[key] = view
                self._bytes[key] = size
                self._derived[key] = 0
                self._views.move_to_end(key)
                self._evict()
            return view

        return self._single_flight(key, lookup, fill)

    def _single_flight(self, key: Any, lookup: Callable[[], Any], fill: Callable[[], Any]) -> Any:
        """``lookup()`` (called with the lock held) if it finds the value, else ``fill()``;
        concurrent callers for one ``key`` wait for the first one's ``fill`` instead of
        repeating it (if it fails, the next caller computes)."""
        while True:
            with self._lock:
                found = lookup()
                if found is not _MISSING:
                    return found
                pending = self._pending.get(key)
                if pending is None:
                    pending = self._pending[key] = threading.Event()
                    break
            pending.wait(timeout=60)
        try:
            return fill()
        finally:
            with self._lock:
                self._pending.pop(key, None)
            pending.set()

    def _evict(self) -> None:
        """Drop least recently used views above ``maxsize`` or the budget (lock held)."""
        while len(self._views) > 1 and (len(self._views) > self.maxsize or self.nbytes > self.max_bytes):
            evicted, _ = self._views.popitem(last=False)
            for sizes in (self._bytes, self._derived, self._memo_bytes):
                sizes.pop(evicted, None)
            for k in [k for k in self._memo if k[1] == evicted]:
                self._memo_size.pop(k, None)
                del self._memo[k]

    def memo(self, name: str, state: Any, extra: Any, compute: Callable[[View], Any]) -> Any:
        """Return ``compute(view)`` memoized by (``name``, the view's filters, ``extra``).

        Used for derived per-view results such as the colouring (``extra`` = colour mode).
        Their estimated size counts in the budget of their view. Concurrent requests for one
        result wait for one computation, as for views.
        """
        view = self.get(state)
        key = (name, view.filters, extra)

        def lookup():
            if key not in self._memo:
                return _MISSING
            self._memo.move_to_end(key)
            return self._memo[key]

        def fill():
            value = compute(view)
            size = estimate_bytes(value)
            with self._lock:
                self._memo[key] = value
                self._memo_size[key] = size
                if view.filters in self._views:
                    self._memo_bytes[view.filters] = self._memo_bytes.get(view.filters, 0) + size
                while len(self._memo) > min(4 * self.maxsize, MEMO_MAX):
                    self._forget(next(iter(self._memo)))
                self._evict()
            return value

        return self._single_flight(("memo", key), lookup, fill)

    def _forget(self, key: tuple) -> None:
        """Drop one memoized result and its size (lock held)."""
        del self._memo[key]
        size = self._memo_size.pop(key, 0)
        if key[1] in self._memo_bytes:
            self._memo_bytes[key[1]] = max(0, self._memo_bytes[key[1]] - size)

    @property
    def nbytes(self) -> int:
        """Estimated memory held by the cached views, what panels derived from them and their
        memoized results."""
        return int(sum(self._bytes.values()) + sum(self._derived.values()) + sum(self._memo_bytes.values()))

    def clear(self) -> None:
        """Forget every view and memoized result (benchmarks measure cold calls with it)."""
        with self._lock:
            for store in (self._views, self._bytes, self._derived, self._memo_bytes, self._memo, self._memo_size):
                store.clear()

    def __len__(self) -> int:
        return len(self._views)

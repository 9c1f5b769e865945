"""An LRU cache of views keyed by the filter part of the state.

Every panel callback calls ``cache.get(state)``; only the first one for a given filter
combination pays for :func:`~dashboard.analysis.view.make_view`. Presentation keys
(selection, size, colour, page) do not change the key. The per-view colouring is memoized
too. Thread-safe (gunicorn threads, Dash's dev server).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, Callable, Mapping

from dashboard.analysis.view import Filters, View, make_view

__all__ = ["ViewCache", "view_bytes", "MEMO_MAX"]

#: Most memoized per-view results kept (drawings, timeline figures, rankings frames...). At
#: 10k entities one timeline figure of a selection holds megabytes, and the view budget
#: (``cache_mb``) does not count them: 1,024 of them took the server past 1.8 GB.
MEMO_MAX = 128


def view_bytes(view: View) -> int:
    """Memory of a view's tables in bytes (buffers, not Python string objects; ~1 ms)."""
    return int(sum(df.memory_usage(index=False, deep=False).sum() for df in (view.entities, view.links, view.evidence)))


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
        views are dropped while the views' tables (as :func:`view_bytes` estimates them,
        doubled for what panels derive from them) exceed it. The newest view always stays.
    """

    def __init__(self, data, maxsize: int = 256, settings: Mapping | None = None, max_mb: float | None = None):
        self.data = data
        self.maxsize = max(1, int(maxsize))
        self.settings = dict(settings or {})
        budget = max_mb if max_mb is not None else self.settings.get("cache_mb")
        self.max_bytes = float(budget) * 2**20 if budget else float("inf")
        self._views: OrderedDict[Filters, View] = OrderedDict()
        self._bytes: dict[Filters, int] = {}
        self._memo: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.RLock()
        self._pending: dict[Filters, threading.Event] = {}
        self.hits = 0
        self.misses = 0

    def get(self, state: Any) -> View:
        """Return the view for ``state`` (any dict; it is normalized).

        Concurrent requests for the same filters (a state change fires several panel
        callbacks at once) wait for one computation instead of repeating it.
        """
        key = Filters.from_state(state)
        while True:
            with self._lock:
                view = self._views.get(key)
                if view is not None:
                    self._views.move_to_end(key)
                    self.hits += 1
                    return view
                pending = self._pending.get(key)
                if pending is None:
                    pending = self._pending[key] = threading.Event()
                    break
            pending.wait(timeout=60)
        try:
            view = make_view(self.data, key, self.settings)
            size = 2 * view_bytes(view)
            with self._lock:
                self.misses += 1
                self._views[key] = view
                self._bytes[key] = size
                self._views.move_to_end(key)
                while len(self._views) > 1 and (len(self._views) > self.maxsize or self.nbytes > self.max_bytes):
                    evicted, _ = self._views.popitem(last=False)
                    self._bytes.pop(evicted, None)
                    for k in [k for k in self._memo if k[1] == evicted]:
                        del self._memo[k]
            return view
        finally:
            with self._lock:
                self._pending.pop(key, None)
            pending.set()

    def memo(self, name: str, state: Any, extra: Any, compute: Callable[[View], Any]) -> Any:
        """Return ``compute(view)`` memoized by (``name``, the view's filters, ``extra``).

        Used for derived per-view results such as the colouring (``extra`` = colour mode).
        """
        view = self.get(state)
        key = (name, view.filters, extra)
        with self._lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = compute(view)
        with self._lock:
            self._memo[key] = value
            while len(self._memo) > min(4 * self.maxsize, MEMO_MAX):
                self._memo.popitem(last=False)
        return value

    @property
    def nbytes(self) -> int:
        """Estimated memory held by the cached views and what is derived from them."""
        return int(sum(self._bytes.values()))

    def clear(self) -> None:
        """Forget every view and memoized result (benchmarks measure cold calls with it)."""
        with self._lock:
            self._views.clear()
            self._bytes.clear()
            self._memo.clear()

    def __len__(self) -> int:
        return len(self._views)

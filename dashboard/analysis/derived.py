"""What panels derive from a dataset or a view and keep on it, and how much memory that holds.

:func:`cached` memoizes a result on the object itself (a dataset's lookup index, a view's
evidence index); :func:`derived_bytes` and :func:`estimate_bytes` estimate their memory for
the view cache's budget (:mod:`dashboard.analysis.cache`). Neutral ground: the cache counts
what the panels keep without depending on the panels.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

__all__ = ["cached", "derived_bytes", "estimate_bytes", "DICT_ENTRY"]

_ATTR = "_panels_index"  # the attribute holding an object's memoized results


def cached(obj, key: str, compute):
    """Return ``compute()`` memoized on ``obj`` (a dataset or a view) under ``key``."""
    store = getattr(obj, _ATTR, None)
    if store is None:
        store = {}
        setattr(obj, _ATTR, store)
    if key not in store:
        store[key] = compute()
    return store[key]


#: Bytes of one dictionary or set entry beyond its key and value objects (hash table slot).
DICT_ENTRY = 40


def _size_of(value, depth: int = 0) -> int:
    """Rough memory of a derived value in bytes: arrays and frames by their buffers, containers
    by their slots plus (to a small depth) their items; shared strings are not counted."""
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, (pd.DataFrame, pd.Series, pd.Index)):
        usage = value.memory_usage(index=False, deep=False) if isinstance(value, pd.DataFrame) else value.memory_usage()
        return int(np.sum(usage))
    nbytes = getattr(value, "nbytes", None)  # an index that knows its own size (ViewIndex)
    if isinstance(nbytes, int):
        return nbytes
    if isinstance(value, (dict, list, tuple, set, frozenset)):
        size = sys.getsizeof(value)
        if depth < 2 and len(value):
            items = list(value.values()) if isinstance(value, dict) else list(value)
            step = max(1, len(items) // 64)  # a sample of the items, scaled up
            sample = items[::step]
            size += int(sum(_size_of(v, depth + 1) for v in sample) * len(items) / len(sample))
        return size
    if isinstance(value, str):  # ids are short and shared; a long text (SVG, JSON) is the value's own
        return sys.getsizeof(value) if len(value) > 64 else 0
    attrs = getattr(value, "__dict__", None)
    if attrs is not None and depth < 2:
        return sys.getsizeof(value) + _size_of(attrs, depth + 1)
    return sys.getsizeof(value)


def estimate_bytes(value) -> int:
    """Rough memory of ``value`` in bytes (arrays and frames by buffers, containers sampled)."""
    return _size_of(value)


def derived_bytes(obj) -> int:
    """Estimated memory of what panels derived and kept on ``obj`` through :func:`cached` (bytes)."""
    store = getattr(obj, _ATTR, None) or {}
    return int(sum(_size_of(v) for v in list(store.values())))

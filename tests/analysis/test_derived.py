"""Results memoized on a dataset or view, and the memory estimates the view cache counts."""

import numpy as np
import pandas as pd

from dashboard.analysis.derived import cached, derived_bytes, estimate_bytes


class Holder:
    pass


def test_cached_computes_once_per_object_and_key():
    a, b, calls = Holder(), Holder(), []

    def compute():
        calls.append(1)
        return np.zeros(1000)

    first = cached(a, "k", compute)
    assert cached(a, "k", compute) is first and len(calls) == 1
    cached(a, "other", compute)
    cached(b, "k", compute)
    assert len(calls) == 3


def test_sizes_count_buffers_own_sizes_and_sampled_containers():
    assert estimate_bytes(np.zeros(1000)) == 8000
    assert estimate_bytes(pd.DataFrame({"x": np.zeros(500)})) == 4000

    class Index:  # an object that knows its own size (as ViewIndex does)
        nbytes = 12345

    assert estimate_bytes(Index()) == 12345
    # a list of 1,000 arrays is counted from a sample of them, scaled up
    many = estimate_bytes([np.zeros(100) for _ in range(1000)])
    assert 800_000 <= many <= 800_000 + 20_000
    assert estimate_bytes("short id") == 0 and estimate_bytes("x" * 1000) > 1000
    holder = Holder()
    assert derived_bytes(holder) == 0
    cached(holder, "a", lambda: np.zeros(100))
    cached(holder, "b", lambda: np.zeros(300))
    assert derived_bytes(holder) == 3200

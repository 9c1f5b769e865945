"""The sorting set operations give what NumPy's own give."""

import numpy as np
import pytest

from dashboard.panels.arraysets import distinct, distinct_inverse, intersect, member, union


@pytest.mark.parametrize("seed", range(5))
def test_set_operations_equal_numpys(seed):
    rng = np.random.default_rng(seed)
    for size_a, size_b in [(0, 0), (0, 5), (1, 0), (1, 1), (50, 7), (3000, 1200)]:
        a = rng.integers(0, max(size_a, 2) * 2, size_a)
        b = rng.integers(0, max(size_b, 2) * 2, size_b)
        assert np.array_equal(distinct(a), np.unique(a))
        values, inverse = distinct_inverse(a)
        expected_values, expected_inverse = np.unique(a, return_inverse=True)
        assert np.array_equal(values, expected_values) and np.array_equal(inverse, expected_inverse)
        assert np.array_equal(union(a, b), np.union1d(a, b))
        assert np.array_equal(member(a, b), np.isin(a, b))
        assert np.array_equal(intersect(a, b), np.intersect1d(a, b))


def test_dates_keep_their_type():
    months = np.array(["2007-03", "2006-01", "2007-03"], dtype="datetime64[M]")
    values, inverse = distinct_inverse(months)
    assert values.dtype == months.dtype and values.tolist() == sorted(set(months.tolist()))
    assert np.array_equal(values[inverse], months)

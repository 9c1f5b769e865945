"""Shared fixtures: the small fixture corpus and a dataset built from it once per session.

Browser tests (marked ``browser``) run by default; there is no opt-in flag.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SMALL_CORPUS = FIXTURES / "corpus_small"


@pytest.fixture(scope="session")
def small_corpus() -> Path:
    """Path of the read-only fixture corpus ``tests/fixtures/corpus_small`` (do not modify it)."""
    return SMALL_CORPUS


@pytest.fixture(scope="session")
def built_small(tmp_path_factory, small_corpus) -> Path:
    """A dataset folder built from :func:`small_corpus` once per session (treat as read-only)."""
    from dashboard.ingest.build import build

    out = tmp_path_factory.mktemp("built") / "small"
    build(small_corpus, out, {"seed": 42})
    return out


@pytest.fixture
def corpus_copy(tmp_path, small_corpus) -> Path:
    """A writable copy of the fixture corpus, for tests that mutate it."""
    dst = tmp_path / "corpus"
    shutil.copytree(small_corpus, dst)
    return dst

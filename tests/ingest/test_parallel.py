"""Worker processes change how fast the build runs, never what it writes or reports."""

from __future__ import annotations

import os
import shutil

import pytest

from dashboard.errors import InputError
from dashboard.ingest import documents as documents_mod
from dashboard.ingest import mentions as mentions_mod
from dashboard.ingest.build import build_tables
from dashboard.ingest.parallel import resolve_jobs, run_chunks


def _tag_pid(chunk):
    return [(x, os.getpid()) for x in chunk]


def test_run_chunks_keeps_input_order_and_uses_workers():
    items = list(range(1000))
    chunks = run_chunks(_tag_pid, items, jobs=2)
    assert [x for chunk in chunks for x, _ in chunk] == items
    assert len(chunks) > 2  # several chunks per worker
    assert os.getpid() not in {pid for chunk in chunks for _, pid in chunk}


def test_run_chunks_runs_here_for_one_job_or_few_items():
    assert run_chunks(_tag_pid, [1, 2, 3], jobs=1) == [[(1, os.getpid()), (2, os.getpid()), (3, os.getpid())]]
    assert run_chunks(_tag_pid, [1, 2, 3], jobs=2, min_items=10) == [[(1, os.getpid()), (2, os.getpid()), (3, os.getpid())]]
    seen = []
    run_chunks(_tag_pid, list(range(50)), jobs=2, progress=seen.append)
    assert sum(seen) == 50


def _die_on_seven(chunk):
    if 7 in chunk:
        os._exit(1)  # a worker killed (out of memory, signal) mid-build
    return chunk


def test_a_dead_worker_fails_the_build_instead_of_hanging():
    from concurrent.futures.process import BrokenProcessPool

    with pytest.raises(BrokenProcessPool):
        run_chunks(_die_on_seven, list(range(100)), jobs=2)


def test_resolve_jobs():
    assert resolve_jobs(3) == 3
    assert resolve_jobs(0) >= 1


@pytest.fixture
def always_parallel(monkeypatch):
    """Send even the tiny fixture corpus through the worker pool."""
    monkeypatch.setattr(documents_mod, "MIN_PARALLEL_DOCUMENTS", 0)
    monkeypatch.setattr(mentions_mod, "MIN_PARALLEL_PASSAGES", 0)


def test_tables_and_warnings_are_the_same_for_any_number_of_jobs(small_corpus, always_parallel):
    one = build_tables(small_corpus, {"jobs": 1})
    two = build_tables(small_corpus, {"jobs": 2})
    assert set(one.tables) == set(two.tables)
    for name in one.tables:
        assert one.tables[name].equals(two.tables[name]), name
    assert one.candidates.equals(two.candidates)
    assert [str(p) for p in one.warnings] == [str(p) for p in two.warnings]
    assert "jobs" not in one.manifest["settings"]  # speed only: not part of what was built


def test_problems_come_back_in_file_order_from_workers(small_corpus, tmp_path, always_parallel):
    corpus = tmp_path / "corpus"
    shutil.copytree(small_corpus, corpus)
    docs = sorted((corpus / "documents").iterdir())
    (docs[0].parent / "aaa-broken.md").write_text("---\ntitle: [unclosed\n---\nSome text.\n", encoding="utf-8")
    (docs[0].parent / "zzz-broken.md").write_bytes(b"caf\xe9 not utf-8\n")
    reports = []
    for jobs in (1, 2):
        with pytest.raises(InputError) as err:
            build_tables(corpus, {"jobs": jobs})
        reports.append([str(p) for p in err.value.problems])
    assert reports[0] == reports[1]
    assert any("aaa-broken.md" in r for r in reports[0]) and any("zzz-broken.md" in r for r in reports[0])
    assert reports[0].index(next(r for r in reports[0] if "aaa-broken" in r)) < reports[0].index(
        next(r for r in reports[0] if "zzz-broken" in r)
    )

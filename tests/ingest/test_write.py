"""Atomic, deterministic output: same input gives the same bytes; a failed build changes nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard.__main__ import main
from dashboard.errors import InputError
from dashboard.ingest import write as write_mod
from dashboard.ingest.build import build
from dashboard.tables import TABLE_NAMES

ROOT = Path(__file__).resolve().parents[2]
COMPARED = [f"{n}.parquet" for n in TABLE_NAMES] + ["candidates.csv"]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_input_gives_identical_bytes_across_processes(small_corpus, tmp_path):
    """Two builds in fresh interpreters with different hash seeds write byte-identical tables."""
    outs = []
    for i, seed in enumerate(("1", "2")):
        out = tmp_path / f"out{i}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run(
            [sys.executable, "-m", "dashboard", "build", str(small_corpus), "--out", str(out), "--no-progress", "-q"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )
        assert run.returncode == 0, run.stderr
        outs.append(out)
    for name in COMPARED:
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_failed_build_leaves_existing_destination_untouched(corpus_copy, tmp_path, capsys):
    dst = tmp_path / "dst"
    assert main(["build", str(corpus_copy), "--out", str(dst), "--no-progress", "-q"]) == 0
    before = _snapshot(dst)
    with open(corpus_copy / "relations.csv", "a", encoding="utf-8") as fh:
        fh.write("qais-al-khazali,nobody,knows,lwj-2018-08,1,\n")
    assert main(["build", str(corpus_copy), "--out", str(dst), "--no-progress", "-q"]) == 2
    assert _snapshot(dst) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "dst"]  # no temp folder left


def test_failure_while_writing_leaves_destination_untouched(corpus_copy, tmp_path, monkeypatch):
    dst = tmp_path / "dst"
    build(corpus_copy, dst)
    before = _snapshot(dst)
    calls = []

    def failing(df, name, folder):
        calls.append(name)
        if len(calls) == 3:
            raise OSError("disk full")
        return real(df, name, folder)

    real = write_mod.write_table
    monkeypatch.setattr(write_mod, "write_table", failing)
    with pytest.raises(OSError, match="disk full"):
        build(corpus_copy, dst)
    assert _snapshot(dst) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus", "dst"]


def test_rebuild_replaces_tables_and_keeps_foreign_files(corpus_copy, tmp_path):
    """`make data` builds data/khazali/corpus into data/khazali: the corpus must survive."""
    dst = tmp_path / "data"
    dst.mkdir()
    src = dst / "corpus"
    corpus_copy.rename(src)
    build(src, dst)
    (dst / "stale.parquet").write_bytes(b"x")
    (src / "documents" / "notes-undated.md").unlink()
    build(src, dst)
    assert (src / "entities.csv").is_file()
    assert (dst / "stale.parquet").read_bytes() == b"x"
    from dashboard.tables import load_tables

    assert "notes-undated" not in set(load_tables(dst).documents.doc_id)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


def test_refuses_to_replace_a_folder_that_is_not_a_dataset(small_corpus, tmp_path):
    dst = tmp_path / "mine"
    dst.mkdir()
    (dst / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(InputError, match="not a built dataset"):
        build(small_corpus, dst)
    assert (dst / "thesis.docx").read_bytes() == b"precious"


def test_refuses_a_file_as_destination(small_corpus, tmp_path):
    dst = tmp_path / "file"
    dst.write_text("x")
    with pytest.raises(InputError, match="is a file"):
        build(small_corpus, dst)

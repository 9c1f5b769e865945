"""Ingest benchmark: generate a synthetic corpus, build it in a subprocess, and report wall
time, peak memory, passages/s of the whole build and of the linking stage, the time of each
stage, and how well the linker found the planted mentions.

Run::

    python -m bench.bench_build --scale large

Targets (issue #2): linking ≥ 2,000 passages/s; a 100k-passage build ≤ 2 minutes.
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
import time
from collections import Counter
from pathlib import Path

import pandas as pd

from bench.common import (
    SCALES,
    add_common_args,
    command_line,
    corpus_for,
    emit,
    machine,
    measure,
    only_relation_errors,
    without_relations,
)

__all__ = ["main", "linking_quality"]

BENCH = "build"
LINK_TARGET = {"medium": ">= 2000", "large": ">= 2000"}  # small is dominated by building the matcher
BUILD_TARGET = {"large": "<= 120"}


def linking_quality(truth_csv: Path, built: Path) -> dict[str, float]:
    """Compare the built ``mentions`` with the planted ones, per (passage, entity) occurrence.

    Returns recall over forms listed in the gazetteer, recall over unlisted spelling
    variants, and precision over every linked mention (mentions through a deliberately
    shared alias are left out: they must link to nobody).
    """
    passages = pd.read_parquet(built / "passages.parquet", columns=["passage_id", "doc_id", "seq"])
    mentions = pd.read_parquet(built / "mentions.parquet", columns=["passage_id", "entity_id"])
    pid = {(d, int(s) + 1): p for p, d, s in passages.itertuples(index=False)}
    planted: Counter = Counter()
    listed: Counter = Counter()
    unlisted: Counter = Counter()
    with open(truth_csv, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            key = (pid.get((row["doc_id"], int(row["passage"]))), row["entity_id"])
            if row["ambiguous"] == "1":
                continue
            planted[key] += 1
            (listed if row["listed"] == "1" else unlisted)[key] += 1
    found = Counter(zip(mentions["passage_id"], mentions["entity_id"]))

    listed_n, unlisted_n = sum(listed.values()), sum(unlisted.values())
    listed_hit = sum(min(n, found[k]) for k, n in listed.items())
    # An entity written both ways in one passage: the listed occurrences are credited first.
    unlisted_hit = sum(min(n, max(0, found[k] - listed[k])) for k, n in unlisted.items())
    true_pos = sum(min(n, found[k]) for k, n in planted.items())
    return {
        "recall_listed": listed_hit / max(1, listed_n),
        "recall_variants": unlisted_hit / max(1, unlisted_n),
        "precision": true_pos / max(1, sum(found.values())),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_build", description=__doc__.splitlines()[0])
    add_common_args(parser, default_scale="medium")
    parser.add_argument("--keep", action="store_true", help="keep the built dataset in --data (default: a temporary folder under --work)")
    args = parser.parse_args(argv)
    scale, cfg = args.scale, SCALES[args.scale]
    size = "the embedded dataset" if cfg is None else f"{cfg.entities} entities, {cfg.documents * cfg.passages_per_doc} passages"
    print(f"# bench_build scale={scale}: {size}; machine {json.dumps(machine())}")

    t0, c0 = time.perf_counter(), time.process_time()
    src, truth = corpus_for(scale, args.work)
    gen_s, gen_cpu = time.perf_counter() - t0, time.process_time() - c0
    out = Path(args.data) if args.data else Path(args.work) / f"{scale}-bench-build-out"
    shutil.rmtree(out, ignore_errors=True)

    cmd = [sys.executable, "-m", "dashboard", "build", str(src), "--out", str(out), "--no-progress"]
    m = measure(cmd)
    print(f"# build command: python -m dashboard build {src} --out {out}")
    label = ""
    if m.returncode != 0:
        errors = [line for line in m.stderr.splitlines() if line.startswith("error:")]
        print("\n".join(errors[:10]) or m.stderr[-4000:], file=sys.stderr)
        emit(BENCH, scale, "build_ok", 0, "", ">= 1", note=f"exit {m.returncode}, {len(errors)} error(s): {errors[0][:160] if errors else ''}")
        if not only_relation_errors(m.stderr):
            return 1
        # Only relation rows were refused (the linker missed an end): time the build without them.
        src = without_relations(src)
        m = measure([sys.executable, "-m", "dashboard", "build", str(src), "--out", str(out), "--no-progress"])
        if m.returncode != 0:
            print(m.stderr[-4000:], file=sys.stderr)
            return 1
        label = "relations.csv left out: the full build failed"
    else:
        emit(BENCH, scale, "build_ok", 1, "", ">= 1")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    counts, timings = manifest.get("counts", {}), manifest.get("timings", {})
    n_passages = counts.get("passages") or (cfg.documents * cfg.passages_per_doc if cfg else 0)
    emit(BENCH, scale, "build_wall_s", m.wall_s, "s", BUILD_TARGET.get(scale), note=label)
    emit(BENCH, scale, "build_cpu_s", m.cpu_s, "s", note="user+system; steadier than wall time on a shared machine")
    emit(BENCH, scale, "build_passages_per_s", n_passages / m.wall_s, "passages/s")
    emit(BENCH, scale, "build_peak_rss_mb", m.peak_rss_mb, "MB")
    if "link" in timings and timings["link"] > 0:
        emit(BENCH, scale, "link_passages_per_s", n_passages / timings["link"], "passages/s", LINK_TARGET.get(scale), note="incl. building the matcher")
    for stage, seconds in timings.items():
        emit(BENCH, scale, f"stage_{stage}_s", seconds, "s")
    if truth is not None:
        q = linking_quality(truth, out)
        emit(BENCH, scale, "link_recall_listed", q["recall_listed"], "ratio", ">= 0.99", note="planted as a listed form")
        emit(BENCH, scale, "link_recall_variants", q["recall_variants"], "ratio", note="planted as an unlisted variant")
        emit(BENCH, scale, "link_precision", q["precision"], "ratio", ">= 0.98")
    if gen_s > 0.05:  # the corpus was generated now, not taken from the cache
        emit(BENCH, scale, "synth_s", gen_s, "s", note="wall")
        emit(BENCH, scale, "synth_cpu_s", gen_cpu, "s", "<= 60")
    print(f"# counts {json.dumps(counts)}")
    print(f"# reproduce: {command_line('bench.bench_build', ['--scale', scale])}")
    if not args.keep and not args.data:
        shutil.rmtree(out, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Seconds per export, cold (first in the process) and warm (median of repeats). Not a test.

Usage::

    python bench/bench_exports.py                       # synthetic view of 400 entities
    python bench/bench_exports.py --entities 150
    python bench/bench_exports.py --data data/khazali   # a built dataset, default view
    python bench/bench_exports.py --formats png svg pdf timeline-png

Goal: each figure export <= 1 s warm. "Cold" includes matplotlib's font loading for
graph figures and starting Chromium for timeline figures (kaleido is then kept warm).
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.export.formats import FORMATS, export_view  # noqa: E402
from dashboard.export.timeline_figure import close_renderer  # noqa: E402
from dashboard.tables import SCHEMAS, Tables, conform, load_tables  # noqa: E402

FIGURES = {"png", "svg", "pdf", "timeline-png", "timeline-svg", "timeline-pdf"}


def _frame(name: str, rows) -> pd.DataFrame:
    return conform(pd.DataFrame(rows, columns=[f.name for f in SCHEMAS[name]]), name).to_pandas()


def synthetic(n_entities: int, seed: int = 7) -> Tables:
    """A random dataset: power-law-ish links, dated passages over 2003-2008, four claim classes."""
    rng = np.random.default_rng(seed)
    types = rng.choice(["person", "organization", "place", "event", "other"], n_entities, p=[.55, .2, .12, .08, .05])
    ids = [f"e{i:04d}" for i in range(n_entities)]
    n_docs, n_passages = max(n_entities // 5, 3), n_entities * 3
    docs = _frame("documents", [{"doc_id": f"d{i}", "title": f"Report {i}", "publisher": "CENTCOM / AEI",
                                 "url": f"https://example.org/d{i}.pdf", "published": f"2007-{1 + i % 12:02d}-15",
                                 "kind": "report", "source_file": f"documents/d{i}.md", "n_pages": None}
                                for i in range(n_docs)])
    months = pd.date_range("2003-01-01", "2008-12-01", freq="MS").strftime("%Y-%m-%d").tolist()
    claims = ["reports", "analysis", "official", "background"]
    passages = _frame("passages", [{"passage_id": f"d{i % n_docs}:{i}", "doc_id": f"d{i % n_docs}", "seq": i, "page": None,
                                    "text": f"Passage {i} about the network, written in our own words. " * 3,
                                    "date_start": months[i % len(months)], "date_end": months[i % len(months)][:8] + "28",
                                    "date_precision": "month", "date_source": "explicit",
                                    "claim_class": claims[i % 4]} for i in range(n_passages)])
    weights = 1.0 / np.arange(1, n_entities + 1) ** 0.8
    weights /= weights.sum()
    evidence_rows = []
    for p in passages.itertuples(index=False):
        members = sorted(set(rng.choice(n_entities, size=3, p=weights)))
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                evidence_rows.append({"source": ids[members[a]], "target": ids[members[b]], "kind": "co-mention",
                                      "relation": None, "passage_id": p.passage_id, "doc_id": p.doc_id,
                                      "claim_class": p.claim_class, "date_start": p.date_start, "date_end": p.date_end})
    evidence = _frame("evidence", evidence_rows)
    links = evidence.groupby(["source", "target", "kind"]).agg(
        weight=("passage_id", "size"), n_passages=("passage_id", "nunique"), n_documents=("doc_id", "nunique"),
        first=("date_start", "min"), last=("date_end", "max")).reset_index()
    links["relations"] = [[] for _ in range(len(links))]
    links = _frame("links", links.astype({"weight": float}))
    degree = pd.concat([links["source"], links["target"]]).value_counts()
    entities = _frame("entities", [{"entity_id": e, "name": f"Entity {i} {t}", "type": t, "aliases": [], "affiliations": [],
                                    "description": "", "n_mentions": 1, "n_passages": 1, "n_documents": 1,
                                    "first": "2003-01-01", "last": "2008-12-28", "degree": int(degree.get(e, 0)),
                                    "weighted_degree": float(degree.get(e, 0)), "betweenness": float(rng.random()),
                                    "betweenness_approx": False, "eigenvector": float(rng.random()),
                                    "pagerank": float(weights[i]), "community": int(i % 9)}
                                   for i, (e, t) in enumerate(zip(ids, types))])
    angle = rng.random(n_entities) * 2 * np.pi
    radius = np.sqrt(rng.random(n_entities))
    layout = _frame("layout", {"entity_id": ids, "x": radius * np.cos(angle), "y": radius * np.sin(angle)})
    empty = {name: _frame(name, []) for name in ("mentions", "relations")}
    return Tables(documents=docs, passages=passages, entities=entities, evidence=evidence, links=links,
                  layout=layout, manifest={"title": f"Synthetic {n_entities}"}, **empty)


def view_of(data: Tables, state: dict):
    """The app's view of ``state`` (the unfiltered view, without the app core: the whole dataset)."""
    try:
        from dashboard.analysis.cache import ViewCache
    except ImportError:
        from types import SimpleNamespace

        entities = data.entities.merge(data.layout, on="entity_id")
        return SimpleNamespace(entities=entities, links=data.links, evidence=data.evidence,
                               passage_ids=data.passages["passage_id"], notes=[])
    return ViewCache(data, 4).get(state)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="built dataset folder (default: a synthetic dataset)")
    parser.add_argument("--entities", type=int, default=400, help="entities of the synthetic dataset")
    parser.add_argument("--repeat", type=int, default=3, help="warm repetitions per format")
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=list(FORMATS))
    args = parser.parse_args(argv)
    try:
        from dashboard.state import DEFAULT_STATE
    except ImportError:
        DEFAULT_STATE = {"size_by": "degree", "color_by": "community", "time_axis": "event"}

    data = load_tables(args.data) if args.data else synthetic(args.entities)
    state = dict(DEFAULT_STATE)
    view = view_of(data, state)
    print(f"# {' '.join(shlex.quote(a) for a in [sys.executable, *sys.argv])}")
    print(f"# {platform.python_version()} on {platform.machine()}, view: {len(view.entities)} entities, "
          f"{len(view.links)} links, {len(view.evidence)} evidence rows; {data.title}")
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"# load average {load} on {os.cpu_count()} cores: wall times stretch with load; 'cpu' is this"
          " process's CPU time (timeline rendering happens in Chromium and is not in it)")
    print(f"{'format':<14}{'cold s':>9}{'warm s':>9}{'warm cpu':>10}{'bytes':>12}  goal (warm <= 1 s)")
    close_renderer()
    for fmt in args.formats:
        t0 = time.perf_counter()
        result = export_view(fmt, data, view, state)
        cold = time.perf_counter() - t0
        warm_times, cpu_times = [], []
        for _ in range(args.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            export_view(fmt, data, view, state)
            warm_times.append(time.perf_counter() - t0)
            cpu_times.append(time.process_time() - c0)
        warm, cpu = statistics.median(warm_times), statistics.median(cpu_times)
        goal = ("ok" if warm <= 1.0 else "over") if fmt in FIGURES else ""
        print(f"{fmt:<14}{cold:>9.2f}{warm:>9.2f}{cpu:>10.2f}{len(result.content):>12,}  {goal}")
    close_renderer()
    return 0


if __name__ == "__main__":
    sys.exit(main())

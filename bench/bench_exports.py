"""Seconds per export, cold (first in the process) and warm (median of repeats). Not a test.

Usage::

    python -m bench.bench_exports --data data/khazali      # the embedded dataset, unfiltered view
    python -m bench.bench_exports --scale small            # a synthetic dataset (built once, cached)
    python -m bench.bench_exports --data data/khazali --formats png svg pdf timeline-png
    python -m bench --only exports                         # with the other benchmarks

Goal: each figure export <= 1 s warm. "Cold" includes matplotlib's font loading for
graph figures and starting Chromium for timeline figures (kaleido is then kept warm).
Prints a table and one ``BENCH`` line per number (see :mod:`bench.common`).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import add_common_args, built_for, command_line, emit  # noqa: E402
from dashboard.analysis.cache import ViewCache  # noqa: E402
from dashboard.export.formats import FORMATS, export_view  # noqa: E402
from dashboard.export.timeline_figure import close_renderer  # noqa: E402
from dashboard.state import DEFAULT_STATE  # noqa: E402
from dashboard.tables import load_tables  # noqa: E402

FIGURES = {"png", "svg", "pdf", "timeline-png", "timeline-svg", "timeline-pdf"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_args(parser, default_scale="small")
    parser.add_argument("--repeat", type=int, default=3, help="warm repetitions per format")
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=list(FORMATS))
    args = parser.parse_args(argv)
    folder = args.data or built_for(args.scale, args.work)
    scale = args.scale if not args.data else Path(args.data).name
    data = load_tables(folder)
    state = dict(DEFAULT_STATE)
    view = ViewCache(data, 4).get(state)
    print(f"# {command_line('bench.bench_exports', list(argv if argv is not None else sys.argv[1:]))}")
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
        note = f"{len(view.entities)} entities, {len(view.links)} links"
        emit("exports", scale, f"{fmt}_warm_s", warm, "s", "<= 1" if fmt in FIGURES else None, note)
        emit("exports", scale, f"{fmt}_cold_s", cold, "s", None, note)
        emit("exports", scale, f"{fmt}_warm_cpu_s", cpu, "s", None, note)
    close_renderer()
    return 0


if __name__ == "__main__":
    sys.exit(main())

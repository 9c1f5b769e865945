"""Shared pieces of the benchmarks: scales, cached synthetic corpora and datasets,
process measurement (wall time, peak RSS of a process tree), machine facts, and the
one-line result format every bench script prints.

Result lines
------------
A bench script prints, for every number it measures, one line::

    BENCH {"bench": "build", "scale": "medium", "metric": "build_wall_s", "value": 41.2,
           "unit": "s", "target": "<= 120", "ok": true}

(on one line). ``python -m bench`` collects these lines from every ``bench/bench_*.py``
into its summary table; anything else a script prints is shown as is.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from dashboard.synth import SynthConfig, generate

__all__ = [
    "ROOT",
    "SCALES",
    "Measured",
    "add_common_args",
    "corpus_for",
    "built_for",
    "built_path",
    "only_relation_errors",
    "without_relations",
    "DEFAULT_WORK",
    "measure",
    "emit",
    "check_target",
    "machine",
    "command_line",
]

ROOT = Path(__file__).resolve().parent.parent

#: The scales benchmarks run at: the embedded dataset itself (``None``: its corpus in
#: ``data/khazali/corpus``), a synthetic corpus of its size, 20k and 100k passages.
SCALES: dict[str, SynthConfig | None] = {
    "embedded": None,
    "small": SynthConfig(entities=115, documents=35, passages_per_doc=10, seed=1),
    "medium": SynthConfig(entities=2000, documents=2000, passages_per_doc=10, seed=1),
    "large": SynthConfig(entities=10000, documents=10000, passages_per_doc=10, seed=1),
}


DEFAULT_WORK = str(Path(tempfile.gettempdir()) / "khazali-bench")


def add_common_args(parser: argparse.ArgumentParser, default_scale: str = "medium") -> None:
    """Add ``--scale``, ``--data`` and ``--work`` (the convention of every bench script)."""
    parser.add_argument("--scale", choices=list(SCALES), default=default_scale, help=f"corpus size (default {default_scale})")
    parser.add_argument("--data", default=None, help="built dataset folder to use (default: build the scale's synthetic corpus)")
    parser.add_argument(
        "--work",
        default=DEFAULT_WORK,
        help="folder for generated corpora and datasets, reused across runs (default: %(default)s)",
    )


def _source_hash(*folders: str) -> str:
    h = hashlib.sha256()
    for folder in folders:
        for p in sorted((ROOT / folder).rglob("*.py")):
            h.update(str(p.relative_to(ROOT)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:10]


EMBEDDED_CORPUS = ROOT / "data" / "khazali" / "corpus"


def corpus_for(scale: str, work: str | Path) -> tuple[Path, Path | None]:
    """Return ``(corpus folder, truth CSV)`` of ``scale``, generating them if the generator changed.

    The ``embedded`` scale is the embedded dataset's own corpus; it has no truth file
    (``None``): its mentions were not planted.
    """
    cfg = SCALES[scale]
    if cfg is None:
        return EMBEDDED_CORPUS, None
    key = f"{scale}-{cfg.entities}x{cfg.documents}x{cfg.passages_per_doc}-s{cfg.seed}-{_source_hash('dashboard/synth')}"
    folder = Path(work) / key
    src, truth = folder / "corpus", folder / "truth.csv"
    if not (src / "entities.csv").is_file() or not truth.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        generate(cfg, src, force=True, truth_path=truth)
    return src, truth


def built_path(scale: str, work: str | Path) -> Path:
    """Where the dataset of ``scale`` built by the current build code lives (maybe not yet)."""
    src, _ = corpus_for(scale, work)
    parent = Path(work) / "embedded" if SCALES[scale] is None else src.parent
    return parent / f"built-{_source_hash('dashboard/ingest', 'dashboard/analysis')}"


def built_for(scale: str, work: str | Path) -> Path:
    """Return a built dataset of ``scale`` (built once per version of the build code)."""
    src, _ = corpus_for(scale, work)
    out = built_path(scale, work)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not (out / "manifest.json").is_file():
        m = measure([sys.executable, "-m", "dashboard", "build", str(src), "--out", str(out), "--no-progress", "--quiet"])
        if m.returncode != 0 and only_relation_errors(m.stderr):
            print(f"# the {scale} corpus failed to build on relation rows only; using it without relations.csv")
            m = measure([sys.executable, "-m", "dashboard", "build", str(without_relations(src)), "--out", str(out), "--no-progress", "--quiet"])
        if m.returncode != 0:
            raise SystemExit(f"build of the {scale} corpus failed:\n{m.stderr[-3000:]}")
    return out


def only_relation_errors(stderr: str) -> bool:
    """Whether a failed build refused relation rows only (the linker missed an end)."""
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    return bool(errors) and all("relations.csv" in e for e in errors)


def without_relations(src: Path) -> Path:
    """A copy of corpus ``src`` without ``relations.csv`` (the other entries are symlinked)."""
    copy = src.parent / "corpus-no-relations"
    shutil.rmtree(copy, ignore_errors=True)
    copy.mkdir()
    for item in src.iterdir():
        if item.name != "relations.csv":
            (copy / item.name).symlink_to(item.resolve())
    return copy


@dataclass
class Measured:
    """A finished subprocess: wall time, peak resident memory of its whole tree, output."""

    wall_s: float
    peak_rss_mb: float
    returncode: int
    stdout: str
    stderr: str
    cpu_s: float = 0.0  # user + system time of the child and the children it waited for


def tree_rss(proc: psutil.Process) -> int:
    """Resident bytes of ``proc`` and all its descendants (0 if it is gone)."""
    total = 0
    try:
        procs = [proc] + proc.children(recursive=True)
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def measure(cmd: list[str], env: dict | None = None, poll_s: float = 0.05, cwd: str | Path = ROOT) -> Measured:
    """Run ``cmd`` to completion, sampling the RSS of its process tree every ``poll_s`` seconds."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        popen = subprocess.Popen(cmd, stdout=out, stderr=err, env=env, cwd=cwd, text=True)
        proc = psutil.Process(popen.pid)
        peak = 0
        while popen.poll() is None:
            peak = max(peak, tree_rss(proc))
            time.sleep(poll_s)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        out.seek(0)
        err.seek(0)
        return Measured(wall, peak / 2**20, popen.returncode, out.read(), err.read(), cpu)


def check_target(value: float, target: str | None) -> bool | None:
    """Whether ``value`` meets ``target`` (``"<= 120"`` or ``">= 2000"``); None without a target."""
    if not target:
        return None
    op, _, bound = target.partition(" ")
    bound_f = float(bound)
    return value <= bound_f if op == "<=" else value >= bound_f


def emit(bench: str, scale: str, metric: str, value: float, unit: str = "", target: str | None = None, note: str = "") -> dict:
    """Print one result as a ``BENCH {json}`` line and return it."""
    row = {
        "bench": bench,
        "scale": scale,
        "metric": metric,
        "value": round(float(value), 4),
        "unit": unit,
        "target": target or "",
        "ok": check_target(float(value), target),
        "note": note,
    }
    print("BENCH " + json.dumps(row), flush=True)
    return row


def machine() -> dict:
    """Facts about the machine a result was measured on."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "os": platform.platform(terse=True),
        "load_1min": round(os.getloadavg()[0], 2),
    }


def command_line(module: str, args: list[str]) -> str:
    """The shell command that reproduces a bench run."""
    return " ".join(["python -m", module, *map(shlex.quote, args)])

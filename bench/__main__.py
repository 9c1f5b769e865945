"""``python -m bench`` (what ``make bench`` runs): every ``bench/bench_*.py`` at every scale,
then one summary table and the commands that reproduce each row.

Convention for bench scripts: runnable as ``python -m bench.bench_x [--data DIR] [--scale NAME]``,
printing ``BENCH {json}`` lines (see :mod:`bench.common`) and anything else it likes. A
script gets the flags it declares (read from its ``add_argument`` calls): ``--data`` (a
dataset built from the scale's synthetic corpus), ``--scale``, ``--work``. A script that
declares neither ``--data`` nor ``--scale`` makes its own inputs and runs once, not per scale.
``bench_build`` runs first and leaves its dataset where the others look for it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import time
from pathlib import Path

from bench.common import DEFAULT_WORK, ROOT, SCALES, built_for, built_path, command_line, machine

__all__ = ["main", "discover", "markdown_table"]

MARK_BEGIN = "<!-- bench-results:begin -->"
MARK_END = "<!-- bench-results:end -->"


def discover(only: list[str] | None = None) -> list[str]:
    """Module names of the bench scripts, ``bench_build`` first."""
    names = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    names.sort(key=lambda n: n != "bench_build")
    if only:
        names = [n for n in names if n in only or n.removeprefix("bench_") in only]
    return names


def accepted_flags(module: str) -> set[str]:
    """The ``--data``/``--scale``/``--work`` flags a bench script declares."""
    source = (ROOT / "bench" / f"{module}.py").read_text(encoding="utf-8")
    declared = set(re.findall(r"add_argument\(\s*[\"'](--[a-z-]+)[\"']", source))
    if "add_common_args(" in source:
        declared |= {"--data", "--scale", "--work"}
    return declared & {"--data", "--scale", "--work"}


def _run(module: str, args: list[str], timeout: int) -> tuple[int, list[dict], str]:
    """Run ``python -m bench.<module> args``, echo its output, return (code, BENCH rows, stderr)."""
    cmd = [sys.executable, "-m", f"bench.{module}", *args]
    rows: list[dict] = []
    try:
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return 124, rows, f"timed out after {timeout} s"
    for line in proc.stdout.splitlines():
        if line.startswith("BENCH "):
            try:
                rows.append(json.loads(line[6:]))
                continue
            except ValueError:
                pass
        print(f"  {line}")
    return proc.returncode, rows, proc.stderr


def markdown_table(rows: list[dict]) -> str:
    """The summary table in Markdown."""
    lines = ["| bench | scale | metric | value | unit | target | ok |", "|---|---|---|---:|---|---|---|"]
    for r in rows:
        ok = {True: "yes", False: "**no**", None: ""}[r.get("ok")]
        value = float(r.get("value", float("nan")))
        shown = f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
        note = f" ({r['note']})" if r.get("note") else ""
        lines.append(f"| {r.get('bench', '')} | {r.get('scale') or ''} | {r.get('metric', '')}{note} | {shown} | "
                     f"{r.get('unit', '')} | {r.get('target') or ''} | {ok} |")
    return "\n".join(lines)


def _record(doc: Path, text: str) -> None:
    body = doc.read_text(encoding="utf-8") if doc.is_file() else f"# Performance\n\n{MARK_BEGIN}\n{MARK_END}\n"
    if MARK_BEGIN not in body:
        body += f"\n{MARK_BEGIN}\n{MARK_END}\n"
    head, rest = body.split(MARK_BEGIN, 1)
    _, tail = rest.split(MARK_END, 1)
    doc.write_text(f"{head}{MARK_BEGIN}\n{text}\n{MARK_END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="embedded,medium,large", help="comma-separated scales (default: %(default)s)")
    parser.add_argument("--only", default="", help="comma-separated bench names, e.g. build,app (default: all)")
    parser.add_argument("--work", default=None, help="folder for corpora and datasets (default: see bench.common)")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds allowed per script and scale")
    parser.add_argument("--record", action="store_true", help="write the summary table into docs/performance.md")
    args = parser.parse_args(argv)
    scales = [s for s in args.scales.split(",") if s]
    bad = [s for s in scales if s not in SCALES]
    if bad:
        parser.error(f"unknown scale(s) {bad}; choose from {list(SCALES)}")
    work_dir = args.work or DEFAULT_WORK
    work = ["--work", args.work] if args.work else []
    info = machine()
    print(f"machine: {json.dumps(info)}")
    rows: list[dict] = []
    commands: list[str] = []
    failures: list[str] = []
    modules = discover([o for o in args.only.split(",") if o])
    runs: list[tuple[str, str | None]] = []
    for module in modules:
        if accepted_flags(module) & {"--data", "--scale"}:
            runs.extend((module, scale) for scale in scales)
        else:
            runs.append((module, None))  # makes its own inputs: once
    runs.sort(key=lambda r: (r[1] is None, scales.index(r[1]) if r[1] else 0, r[0] != "bench_build"))
    for module, scale in runs:
        started = time.perf_counter()
        flags = accepted_flags(module)
        script_args: list[str] = []
        if scale and "--data" in flags:
            if module == "bench_build":  # leaves its output where the other scripts look for it
                script_args += ["--data", str(built_path(scale, work_dir)), "--keep"]
            else:
                try:
                    script_args += ["--data", str(built_for(scale, work_dir))]
                except SystemExit as exc:
                    failures.append(f"{module} {scale}: no dataset ({exc})")
                    continue
        if scale and "--scale" in flags:
            script_args += ["--scale", scale]
        if "--work" in flags:
            script_args += work
        print(f"== {module} {scale or ''}")
        code, got, err = _run(module, script_args, args.timeout)
        rows.extend(got)
        commands.append(command_line(f"bench.{module}", [a for a in script_args if a not in work]))
        if code != 0:
            failures.append(f"{module} {scale or ''}: exit {code}: {err.strip().splitlines()[-1] if err.strip() else ''}")
        print(f"   ({time.perf_counter() - started:.0f} s)")
    raw = Path(work_dir) / "bench-rows.json"  # every row, kept even if the summary fails
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    print(f"rows: {raw}")
    table = markdown_table(rows)
    print("\n" + table + "\n")
    print("Reproduce:")
    for c in commands:
        print(f"  {c}")
    for f in failures:
        print(f"FAILED {f}", file=sys.stderr)
    if args.record:
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        text = (
            f"Last `python -m bench --scales {','.join(scales)}` run, {stamp}, on {info['cores']} cores "
            f"({info['cpu']}), {info['ram_gb']} GB RAM, Python {info['python']}, load {info['load_1min']} at start.\n\n"
            + table
        )
        _record(ROOT / "docs" / "performance.md", text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

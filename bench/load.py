"""Load test: the app under gunicorn on loopback, 50 Locust analysts for 60 s, then everything stops.

Usage (``make load`` runs it with the defaults)::

    python -m bench.load [--users 50] [--spawn-rate 10] [--duration 60] [--workers 3] [--data DIR]

Prints requests, errors, p50/p95/p99 (ms) over all callback POSTs, the slowest callbacks at
p95, and the gunicorn process tree's resident memory (sampled every 0.5 s: start, peak,
end), as ``BENCH`` lines plus a table. Goals: 0 errors, p95 <= 500 ms. Exits 1 when a goal is
missed, 2 when the server does not come up. Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parent.parent
P95_GOAL_MS = 500


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process and its children every ``interval`` seconds."""

    def __init__(self, pid: int, interval: float = 0.5):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.samples: list[tuple[float, int]] = []
        self._halt = threading.Event()

    def rss(self) -> int:
        try:
            root = psutil.Process(self.pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return 0
        total = 0
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total

    def run(self):
        while not self._halt.is_set():
            self.samples.append((time.monotonic(), self.rss()))
            self._halt.wait(self.interval)

    def halt(self):
        self._halt.set()
        self.join(timeout=5)


def emit(metric: str, value: float, unit: str, target: str = "", ok: bool | None = None) -> None:
    import json

    row = {"bench": "load", "scale": "embedded", "metric": metric, "value": round(float(value), 2), "unit": unit,
           "target": target, "ok": ok, "note": ""}
    print("BENCH " + json.dumps(row), flush=True)


def read_stats(prefix: Path) -> list[dict]:
    path = Path(f"{prefix}_stats.csv")
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _terminate(signum, _frame):
    raise SystemExit(128 + signum)  # run the finally blocks: the server is always stopped


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGTERM, _terminate)
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load after the spawn starts")
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WORKERS", "3")))
    parser.add_argument("--data", default=None, help="dataset folder (default: the data_dir setting)")
    args = parser.parse_args(argv)

    port = free_port()
    env = {**os.environ}
    if args.data:
        env["KHAZALI_DATA_DIR"] = str(Path(args.data).resolve())
    bindir = Path(sys.executable).parent
    server = subprocess.Popen(
        [str(bindir / "gunicorn"), "--workers", str(args.workers), "--bind", f"127.0.0.1:{port}",
         "--timeout", "60", "--log-level", "warning", "dashboard.wsgi:server"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    sampler = None
    try:
        deadline = time.monotonic() + 120
        while True:
            if server.poll() is not None:
                print(f"gunicorn exited with {server.returncode}", file=sys.stderr)
                return 2
            try:
                if requests.get(base + "/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                print("gunicorn did not answer within 120 s", file=sys.stderr)
                return 2
            time.sleep(0.5)
        sampler = TreeSampler(server.pid)
        sampler.start()
        with tempfile.TemporaryDirectory() as tmp:
            prefix = Path(tmp) / "load"
            command = [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
                       "-u", str(args.users), "-r", str(args.spawn_rate), "-t", f"{args.duration}s",
                       "--host", base, "--csv", str(prefix), "--only-summary", "--stop-timeout", "10",
                       "--exit-code-on-error", "0", "--loglevel", "WARNING"]
            t0 = time.monotonic()
            locust = subprocess.run(command, cwd=ROOT, env=env, timeout=args.duration + 120,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            wall = time.monotonic() - t0
            if locust.returncode != 0:
                print(locust.stdout[-4000:])
                print(f"locust exited with {locust.returncode}", file=sys.stderr)
                return 2
            rows = read_stats(prefix)
    finally:
        if sampler is not None:
            sampler.halt()
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()

    total = next(r for r in rows if r["Name"] == "Aggregated")
    callbacks = [r for r in rows if r["Name"].startswith("cb ")]
    cb_requests = sum(int(r["Request Count"]) for r in callbacks)
    requests_n, failures = int(total["Request Count"]), int(total["Failure Count"])
    p50, p95, p99 = (float(total[k]) for k in ("50%", "95%", "99%"))
    rss = [s for _, s in sampler.samples if s]
    mb = 1 << 20
    print(f"\nload: {args.users} users, {args.workers} gunicorn workers, {args.duration} s "
          f"(locust wall {wall:.0f} s), machine load average {os.getloadavg()[0]:.1f}")
    print(f"  requests {requests_n} ({cb_requests} callback POSTs), errors {failures}, "
          f"{float(total['Requests/s']):.1f} req/s")
    print(f"  latency ms: p50 {p50:.0f}  p95 {p95:.0f}  p99 {p99:.0f}  max {float(total['Max Response Time']):.0f}")
    print(f"  server RSS (gunicorn tree): start {rss[0] / mb:.0f} MB, peak {max(rss) / mb:.0f} MB, "
          f"end {rss[-1] / mb:.0f} MB ({len(rss)} samples)")
    print("  slowest callbacks at p95 (ms):")
    for r in sorted(callbacks, key=lambda r: -float(r["95%"]))[:6]:
        print(f"    {float(r['95%']):7.0f}  {r['Name'][3:]}  (n={r['Request Count']}, fail={r['Failure Count']})")
    emit("requests", requests_n, "")
    emit("errors", failures, "", "== 0", failures == 0)
    emit("p50_ms", p50, "ms")
    emit("p95_ms", p95, "ms", f"<= {P95_GOAL_MS}", p95 <= P95_GOAL_MS)
    emit("p99_ms", p99, "ms")
    emit("server_rss_peak_mb", max(rss) / mb, "MB")
    return 0 if failures == 0 and p95 <= P95_GOAL_MS else 1


if __name__ == "__main__":
    sys.exit(main())

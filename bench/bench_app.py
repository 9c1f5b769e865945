"""App benchmark: start-up, first paint in Chromium, server time per interaction over
loopback HTTP, server memory and the view cache on vs off (our graph measures vs igraph:
:mod:`bench.bench_analytics`).

Run::

    python -m bench.bench_app --scale medium

Targets: interaction p95 ≤ 100 ms at 2k entities and ≤ 300 ms at 10k; graph drawn in
Chromium ≤ 2 s; server memory ≤ 1.5 GB at 10k.

Server time per interaction: the requests of one wave (those one change fires together) run
concurrently, so an interaction's server time is, per wave, its slowest request's time until
the response headers arrived (the server has run the callback and encoded the response), summed
over the waves. The client's wall time is reported beside it.

The interactions are those of a user: filter by an organization (``filter-org``), move the
period slider (``filter-period``), tap a node and an edge of the graph, type in the search
box and pick a result, ask for a path (``path-from``/``path-to``), export, reset. Each is
sent as the browser would send it (see :mod:`bench.dash_client`) with several different
values, so both cache misses and hits are in the percentiles. When the app lacks a control,
the same change is made to the ``state`` store directly.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
import psutil
import requests

from bench.common import ROOT, add_common_args, built_for, command_line, emit, machine, tree_rss
from bench.dash_client import DashClient, server_time

__all__ = ["main"]

BENCH = "app"
P95_TARGET = {"embedded": "<= 100", "small": "<= 100", "medium": "<= 100", "large": "<= 300"}
MEMORY_TARGET = {"large": "<= 1536"}
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


class Server:
    """``python app.py --data DIR`` (or, with ``workers``, gunicorn as ``make serve`` runs it) in a
    subprocess, its process tree's RSS sampled (for gunicorn the sum over workers counts the
    pages they share once per worker, so it is an upper bound)."""

    def __init__(self, data: Path, port: int, workers: int = 0):
        self.url = f"http://127.0.0.1:{port}"
        env = {**os.environ, "KHAZALI_DEBUG": "0", "KHAZALI_DATA_DIR": str(Path(data).resolve())}
        # The server logs every request: to a file, never to an unread pipe (it would block).
        self.log = tempfile.TemporaryFile("w+")
        self.t0 = time.perf_counter()
        if workers:
            command = [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers),
                       "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning",
                       "dashboard.wsgi:server"]
        else:
            command = [sys.executable, str(ROOT / "app.py"), "--data", str(data), "--port", str(port),
                       "--host", "127.0.0.1"]
        self.popen = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                      text=True)
        self.proc = psutil.Process(self.popen.pid)
        self.peak = 0
        self._stop = threading.Event()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.proc))
            time.sleep(0.05)

    def wait_ready(self, timeout: float = 300) -> float:
        """Seconds from spawn to the first 200 response on ``/``."""
        while time.perf_counter() - self.t0 < timeout:
            if self.popen.poll() is not None:
                self.log.seek(0)
                raise SystemExit(f"app exited {self.popen.returncode}: {self.log.read()[-2000:]}")
            try:
                if requests.get(self.url + "/", timeout=5).status_code == 200:
                    return time.perf_counter() - self.t0
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise SystemExit(f"app did not answer within {timeout} s")

    def rss_mb(self) -> float:
        return tree_rss(self.proc) / 2**20

    def stop(self) -> None:
        self._stop.set()
        self.popen.terminate()
        try:
            self.popen.wait(10)
        except subprocess.TimeoutExpired:
            self.popen.kill()


# Installed before any page script: each animation frame, look for the Cytoscape instance
# (Cytoscape.js registers it on its container as _cyreg); once it holds nodes, wait for the end
# of the frame Cytoscape draws them in (its 'render' event) and note the time at the start of the
# next frame, when that frame has been painted. Timed in the page, so the measurement does not
# wait for the page's later work (other panels) to let a Playwright round trip through. The
# probe's callback is registered before the instance exists, so it runs before Cytoscape's first
# frame; if Cytoscape has drawn already with nothing pending, the next frame is the one.
_DRAWN_PROBE = """(() => {
  function cy() {
    const root = document.getElementById('graph'); if (!root) return null;
    for (const d of [root, ...root.querySelectorAll('div')]) { if (d._cyreg && d._cyreg.cy) return d._cyreg.cy; }
    return null;
  }
  function tick() {
    const c = cy();
    if (c && c.nodes().length > 0) {
      window.__graphNodes = c.nodes().length;
      const next = () => requestAnimationFrame(() => { window.__graphDrawn = performance.now(); });
      const r = c.renderer();
      if (r && r.lastRedrawTime && !r.requestedFrame) { next(); } else { c.one('render', next); }
    } else { requestAnimationFrame(tick); }
  }
  requestAnimationFrame(tick);
})();"""


# Seconds a freshly launched Chromium gets to finish starting up (with about:blank open) before
# it opens the page. Launching starts the browser's, GPU and network processes, whose start-up
# work otherwise runs during the page load on this 2-core machine (measured: ~0.45 s later graph,
# DOMContentLoaded ~0.35 s later); a user's browser is running before they open the app.
BROWSER_SETTLE_S = 1.0


def first_paint(url: str, settle: float = BROWSER_SETTLE_S) -> dict[str, float] | None:
    """Milliseconds to first contentful paint, to the graph drawn and to the page settled, in a
    fresh Chromium that has finished starting up.

    Fresh: a new browser and profile per page load, so nothing is cached (HTTP cache, compiled
    scripts); times count from the navigation's start, after ``settle`` seconds on about:blank
    (0: the page is opened as soon as Chromium is launched).

    *Graph drawn*: the start of the first animation frame after Cytoscape drew the view's nodes
    (the canvas alone exists before any element arrives), timed in the page. *Page settled*:
    every page-load callback has answered (no component is loading) and
    the main thread ran a Playwright round trip after that (so it is no longer busy rendering).
    """
    if not Path(CHROMIUM).exists():
        return None
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        if settle > 0:
            page.goto("about:blank")
            page.wait_for_timeout(settle * 1000)
        page.add_init_script(_DRAWN_PROBE)
        page.goto(url, wait_until="commit")
        page.wait_for_function("() => window.__graphDrawn !== undefined", timeout=120_000, polling=20)
        drawn = page.evaluate("() => window.__graphDrawn")
        page.wait_for_function(
            """() => document.readyState === 'complete' && document.getElementById('graph')
                && !document.querySelector('[data-dash-is-loading="true"]')""",
            timeout=120_000,
            polling=50,
        )
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        settled = page.evaluate("() => performance.now()")
        fcp = page.evaluate(
            "() => (performance.getEntriesByName('first-contentful-paint')[0] || {startTime: NaN}).startTime"
        )
        # when the page layout (which carries the drawing) had arrived: what comes before is the
        # browser loading and evaluating scripts, what comes after is mostly Cytoscape
        layout = page.evaluate(
            """() => { const e = performance.getEntriesByType('resource')
                         .filter(r => r.name.split('?')[0].endsWith('/_dash-layout'));
                       return e.length ? e[0].responseEnd : NaN; }"""
        )
        scripts = page.evaluate("() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
        browser.close()
    return {"fcp_ms": fcp, "graph_drawn_ms": drawn, "settled_ms": settled, "layout_ms": layout,
            "scripts_ms": scripts}


def _picks(data: Path, n: int) -> dict:
    """Realistic values to click on: busy organizations, people, links, years."""
    ents = pd.read_parquet(data / "entities.parquet", columns=["entity_id", "name", "type", "weighted_degree", "community"])
    links = pd.read_parquet(data / "links.parquet", columns=["source", "target", "weight"])
    passages = pd.read_parquet(data / "passages.parquet", columns=["date_start"])
    ents = ents.sort_values("weighted_degree", ascending=False)
    orgs = ents[ents["type"] == "organization"]["entity_id"].head(n).tolist()
    people = ents[ents["type"] == "person"].head(3 * n)
    top_links = links.sort_values("weight", ascending=False).head(n)
    years = sorted({int(d[:4]) for d in passages["date_start"].dropna()})
    periods = [[y, y + 1] for y in years[:-1]] or [[2005, 2006]]
    pairs = []
    by_comm = people.groupby("community")["entity_id"].first().tolist()
    for i in range(min(n, max(0, len(by_comm) - 1))):
        pairs.append((by_comm[i], by_comm[-1 - i]))
    return {
        "orgs": orgs,
        "people": people[["entity_id", "name"]].values.tolist(),
        "links": top_links[["source", "target"]].values.tolist(),
        "periods": periods,
        "pairs": pairs or [(people["entity_id"].iloc[0], people["entity_id"].iloc[1])],
    }


def _interactions(client: DashClient, picks: dict, repeat: int) -> dict[str, list[dict]]:
    """Name → list of property changes, one per repetition."""
    has = client.has

    def state_with(**kw):
        return {("state", "data"): {**client.state(), **kw}}

    out: dict[str, list[dict]] = {}
    orgs = (picks["orgs"] * repeat)[:repeat]
    out["filter by organization"] = [
        {("filter-org", "value"): [o]} if has("filter-org") else state_with(orgs=[o]) for o in orgs
    ]
    periods = (picks["periods"] * repeat)[:repeat]
    out["period change"] = [
        {("filter-period", "value"): p} if has("filter-period") else state_with(start=str(p[0]), end=str(p[1]))
        for p in periods
    ]
    people = picks["people"][:repeat]
    out["select entity"] = [
        {("graph", "tapNodeData"): {"id": e, "label": name}} if has("graph") else state_with(selected={"type": "node", "id": e})
        for e, name in people
    ]
    out["select edge"] = [
        {("graph", "tapEdgeData"): {"id": f"{a}|{b}", "source": a, "target": b}} if has("graph")
        else state_with(selected={"type": "edge", "source": a, "target": b})
        for a, b in picks["links"][:repeat]
    ]
    if has("search"):
        out["search (typing)"] = [{("search", "search_value"): name.split()[0][:5]} for _, name in people]
        out["search (pick)"] = [{("search", "value"): e} for e, _ in people]
    pairs = (picks["pairs"] * repeat)[:repeat]
    out["path"] = [
        {("path-from", "value"): a, ("path-to", "value"): b} if has("path-from") and has("path-to")
        else state_with(path={"source": a, "target": b})
        for a, b in pairs
    ]
    exports = client.find(lambda cid, prop: prop == "n_clicks" and ("export" in cid or "download" in cid))
    for cid, prop in exports[:3]:
        out[f"export ({cid})"] = [{(cid, prop): i + 1} for i in range(max(1, repeat // 3))]
    return out


def http_benchmark(server: Server, data: Path, scale: str, repeat: int, label: str = "",
                   exports: bool = True) -> None:
    """Fire each interaction ``repeat`` times; ``label`` prefixes the metric names."""
    client = DashClient(server.url).load()
    wall, timings = client.initial()
    emit(BENCH, scale, f"{label}initial_callbacks_ms", wall * 1000, "ms", note=f"{len(timings)} requests")
    baseline = client.state()
    actions = _interactions(client, _picks(data, max(repeat, 10)), repeat)
    for name, changes_list in actions.items():
        if name.startswith("export") and not exports:
            continue
        walls, servers, reqs, errors = [], [], [], 0
        for changes in changes_list:
            wall, timings = client.fire(changes)
            walls.append(wall * 1000)
            servers.append(server_time(timings) * 1000)
            reqs.extend(t.seconds * 1000 for t in timings)
            errors += sum(t.status >= 400 for t in timings)
            client.fire({("state", "data"): baseline})  # reset between repetitions (not timed)
        if not reqs:
            emit(BENCH, scale, f"{label}{name}: requests", 0, "", ">= 1", note="no callback fired")
            continue
        # the target is on server time: per wave of requests the slowest one's time to its
        # response headers, summed over the waves; the client's wall time adds decoding the
        # responses and working out the next wave (a Python client: slower than a browser)
        emit(BENCH, scale, f"{label}{name}: server p50", _pct(servers, 50), "ms")
        target = None if name.startswith("export") else P95_TARGET.get(scale)  # a file, not a view update
        emit(BENCH, scale, f"{label}{name}: server p95", _pct(servers, 95), "ms", target,
             note=f"{len(walls)} interactions, {len(reqs)} requests, slowest request {max(reqs):.0f} ms")
        emit(BENCH, scale, f"{label}{name}: wall at the client p95", _pct(walls, 95), "ms",
             note=f"p50 {_pct(walls, 50):.0f} ms")
        if errors:
            emit(BENCH, scale, f"{label}{name}: HTTP errors", errors, "", "<= 0")
    by_output: dict[str, list[float]] = {}
    for t in client.timings:
        by_output.setdefault(t.output, []).append(t.seconds * 1000)
    slowest = sorted(by_output.items(), key=lambda kv: -_pct(kv[1], 95))[:6]
    print("# slowest callbacks (p95 ms, calls): " + "; ".join(f"{out[:60]} {_pct(v, 95):.0f} ({len(v)})" for out, v in slowest))


def cache_benchmark(data: Path, scale: str, repeat: int) -> None:
    """Per interaction, every panel asks the cache for the view: with the cache that is one
    ``make_view`` and hits; without it, one ``make_view`` per panel."""
    from dashboard.analysis.cache import ViewCache
    from dashboard.analysis.view import make_view
    from dashboard.tables import load_tables
    from dashboard.web import resolve_settings

    tables = load_tables(data)
    settings = resolve_settings({})
    picks = _picks(data, repeat)
    states = [{"orgs": [o]} for o in picks["orgs"][: max(1, repeat // 2)]]
    states += [{"start": str(a), "end": str(b)} for a, b in picks["periods"][: max(1, repeat // 2)]]
    panels = 8
    cache = ViewCache(tables, maxsize=int(settings["cache_size"]), settings=settings)
    first, again, off = [], [], []
    for s in states:
        t0 = time.perf_counter()
        for _ in range(panels):
            cache.get(s)
        first.append((time.perf_counter() - t0) * 1000)  # one miss, then hits
        t0 = time.perf_counter()
        for _ in range(panels):
            cache.get(s)
        again.append((time.perf_counter() - t0) * 1000)  # a view seen before: all hits
        t0 = time.perf_counter()
        make_view(tables, s, settings)
        off.append(panels * (time.perf_counter() - t0) * 1000)  # every panel would compute it
    note = f"{panels} panels read the view; {len(states)} filter states"
    emit(BENCH, scale, "views per interaction, cache on, new view: p50", _pct(first, 50), "ms", note=note)
    emit(BENCH, scale, "views per interaction, cache on, revisited view: p50", _pct(again, 50), "ms")
    emit(BENCH, scale, "views per interaction, cache off: p50", _pct(off, 50), "ms")
    emit(BENCH, scale, "cache speed-up, new view (off / on)", _pct(off, 50) / max(1e-9, _pct(first, 50)), "x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_app", description=__doc__.splitlines()[0])
    add_common_args(parser, default_scale="medium")
    parser.add_argument("--repeat", type=int, default=10, help="values tried per interaction (default 10)")
    parser.add_argument("--paint-runs", type=int, default=5,
                        help="page loads in a fresh Chromium for the first-paint numbers (medians reported; default 5)")
    parser.add_argument("--browser-settle", type=float, default=BROWSER_SETTLE_S,
                        help="seconds a freshly launched Chromium spends on about:blank before it opens the page "
                             f"(default {BROWSER_SETTLE_S}; 0: at once, so the browser's start-up overlaps the page load)")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: browser,http,gunicorn,cache")
    parser.add_argument("--workers", type=int, default=0,
                        help="also run the HTTP interactions under gunicorn with this many workers, as "
                             "`make serve` runs the app (default 0: not run)")
    args = parser.parse_args(argv)
    skip = set(filter(None, args.skip.split(",")))
    data = Path(args.data) if args.data else built_for(args.scale, args.work)
    scale = args.scale
    print(f"# bench_app scale={scale} data={data}; machine {machine()}")

    if not {"browser", "http"} <= skip:
        server = Server(data, _free_port())
        try:
            emit(BENCH, scale, "app start to first response", server.wait_ready(), "s")
            emit(BENCH, scale, "server RSS after start", server.rss_mb(), "MB")
            if "browser" not in skip:
                runs = [first_paint(server.url, args.browser_settle) for _ in range(max(1, args.paint_runs))]
                if runs[0] is None:
                    print(f"# no Chromium at {CHROMIUM}: first paint not measured")
                else:
                    def med(key):
                        return statistics.median(r[key] for r in runs)

                    note = (f"median of {len(runs)} page loads, each in a new Chromium settled {args.browser_settle:g} s: "
                            + ", ".join(f"{r['graph_drawn_ms']:.0f}" for r in runs))
                    emit(BENCH, scale, "first contentful paint", med("fcp_ms"), "ms")
                    emit(BENCH, scale, "page scripts evaluated (DOMContentLoaded)", med("scripts_ms"), "ms")
                    emit(BENCH, scale, "page layout received", med("layout_ms"), "ms")
                    emit(BENCH, scale, "graph drawn in Chromium", med("graph_drawn_ms"), "ms", "<= 2000", note=note)
                    emit(BENCH, scale, "page settled in Chromium", med("settled_ms"), "ms",
                         note="page-load callbacks answered and the main thread free")
            if "http" not in skip:
                http_benchmark(server, data, scale, args.repeat)
            emit(BENCH, scale, "server peak RSS", server.peak / 2**20, "MB", MEMORY_TARGET.get(scale))
        finally:
            server.stop()
    if "http" not in skip and "gunicorn" not in skip and args.workers > 0:
        # the same interactions under gunicorn: a browser's parallel callbacks run in separate
        # processes (each with its own view cache), not under one interpreter lock
        server = Server(data, _free_port(), workers=args.workers)
        try:
            server.wait_ready()
            http_benchmark(server, data, scale, args.repeat, label=f"gunicorn ×{args.workers}: ", exports=False)
            emit(BENCH, scale, f"gunicorn ×{args.workers}: server peak RSS (sum over workers)", server.peak / 2**20,
                 "MB", note="shared pages counted once per worker")
        finally:
            server.stop()
    if "cache" not in skip:
        cache_benchmark(data, scale, args.repeat)
    print(f"# reproduce: {command_line('bench.bench_app', ['--scale', scale])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

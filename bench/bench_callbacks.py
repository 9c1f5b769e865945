"""Server time of the app's core callbacks on a built dataset (p50/p95), not a test.

Posts real callback requests to ``/_dash-update-component`` through the Flask test client
(so JSON encoding and Dash's dispatch are included, the network is not) for a set of
filter states derived from the data: organizations (with and without hops), periods,
claim classes, link kinds, minimum evidence, types, communities, focus, selections, paths.

- ``cold``: the graph callback as the first request of a new filter state (view cache
  empty: make_view + metrics + drawing); ``make_view`` alone is timed too;
- ``warm``: repeated requests of every callback (the view comes from the cache);
- ``select``: the first request of every callback after a new selection (an entity, then a
  link) on a view already in the cache: what a click costs the server, per panel.

Run::

    python -m bench.bench_callbacks --data data/khazali [--repeat 5]

Prints a table, one ``BENCH {json}`` line per number, and the command. Goal: warm p95
≤ 30 ms per callback on the embedded dataset.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # as app.py / wsgi.py
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import shlex  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.errors import InputError  # noqa: E402
from dashboard.settings import resolve  # noqa: E402
from dashboard.state import normalize_state, to_query  # noqa: E402
from dashboard.tables import load_tables  # noqa: E402
from dashboard.web import create_app  # noqa: E402

#: callbacks measured: label -> substring of the Dash output key (every server callback that reads the
#: state, the URL or the search box; pattern-matching click handlers and exports are left out)
CALLBACKS = {
    "panels (state wave)": "graph.elements",  # every panel's state callback, one request (dashboard/wave.py)
    "graph.highlight": "graph.stylesheet",
    "graph.selection": "selection.children",
    "graph.controls": "size-by.value",
    "header.stats": "stats.children",
    "filters.sync": "filter-org.value",
    "filters.period": "period-text.children",
    "filters.focus": "focus-text.children",
    "filters.path": "path-result.children",
    "timeline.figure": "timeline.figure",
    "excerpts.list": "excerpts.children",
    "details.card": "details.children",
    "rankings.table": "rankings.data",
    "rankings.mark": "rankings.style_data_conditional",
    "reader.body": "reader-body.children",
    "url.to_state": "@",  # the state writer whose only input is the URL (picked below)
    "url.from_state": "url.search",
    "search.options": "search.options",
}
TARGET_MS = 30.0


def states_for(data) -> list[dict]:
    """A spread of realistic states for the dataset."""
    ents = data.entities
    members: dict[str, int] = {}
    for affs in ents["affiliations"]:
        for org in affs if affs is not None else []:
            members[org] = members.get(org, 0) + 1
    orgs = sorted(members, key=lambda o: -members[o])[:4]
    top = ents.sort_values("weighted_degree", ascending=False)["entity_id"].tolist()[:4]
    dates = data.passages["date_start"].dropna().str.slice(0, 4).astype(int)
    lo, hi = (int(dates.quantile(0.1)), int(dates.quantile(0.9))) if len(dates) else (2000, 2010)
    mid = (lo + hi) // 2
    comms = ents["community"].value_counts().index.tolist()[:2]
    raw = [{}]
    raw += [{"orgs": [o]} for o in orgs]
    raw += [{"orgs": orgs[:1], "hops": 1}, {"orgs": orgs[:2]}]
    raw += [{"start": str(lo), "end": str(mid)}, {"start": str(mid), "end": str(hi)}, {"start": f"{mid}-06"}]
    raw += [{"claims": ["reports"]}, {"claims": ["reports", "analysis"]}, {"kinds": ["relation"]}]
    raw += [{"min_weight": 2}, {"min_weight": 3}, {"types": ["person"]}, {"types": ["person", "organization"]}]
    raw += [{"community": int(c)} for c in comms]
    raw += [{"focus": e, "depth": d} for e in top[:2] for d in (1, 2)]
    raw += [{"orgs": orgs[:1], "start": str(lo), "claims": ["reports"]}]
    states = []
    for i, r in enumerate(raw):
        s = dict(r)
        if top:
            s["selected"] = {"type": "node", "id": top[i % len(top)]}
        if i % 4 == 0 and len(top) >= 2:
            s["path"] = {"source": top[0], "target": top[-1]}
        states.append(normalize_state(s))
    return states


def _outputs(key: str):
    if key.startswith(".."):
        parts = [p for p in key.strip(".").split("...")]
        return [dict(zip(("id", "property"), p.split(".", 1))) for p in parts]
    return dict(zip(("id", "property"), key.split(".", 1)))


def _value(item: dict, state: dict):
    cid, prop = item["id"], item["property"]
    if cid == "state" and prop == "data":
        return state
    if cid == "url" and prop == "search":
        return "?" + to_query(state)
    if cid == "url-changed" and prop == "data":
        return {"search": "?" + to_query(state), "nonce": 1}
    if cid == "search" and prop == "search_value":
        return "khaz"
    if cid == "reader-target" and prop == "data":  # the reader open at a passage
        return READER_TARGET
    if cid == "reader" and prop == "is_open":
        return True
    return None


READER_TARGET: dict = {}


def body(dep: dict, state: dict) -> dict:
    inputs = [dict(i, value=_value(i, state)) for i in dep["inputs"]]
    return {"output": dep["output"], "outputs": _outputs(dep["output"]), "inputs": inputs,
            "state": [dict(s, value=_value(s, state)) for s in dep["state"]],
            "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"]}


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_callbacks", description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="built dataset folder (default: setting data_dir)")
    parser.add_argument("--scale", default=None, help="label of the dataset size in BENCH lines")
    parser.add_argument("--repeat", type=int, default=5, help="warm requests per state and callback")
    parser.add_argument("--states", type=int, default=24, help="at most this many filter states")
    args = parser.parse_args(argv)
    folder = resolve("data_dir", args.data)
    try:
        data = load_tables(folder)
    except InputError as exc:
        print("\n".join(str(p) for p in exc.problems), file=sys.stderr)
        return 2
    app = create_app(data)
    cache = app._khazali_cache
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    chosen = {}
    for label, needle in CALLBACKS.items():
        if label == "url.to_state":
            found = [d for d in deps if "state.data@" in d["output"]
                     and [i["id"] for i in d["inputs"]] in (["url"], ["url-changed"])]
        else:
            found = [d for d in deps if needle in d["output"]]
        found = [d for d in found if not d.get("clientside_function")]
        if found and all(found[0] is not d for d in chosen.values()):  # merged callbacks count once
            chosen[label] = found[0]
    states = states_for(data)
    cold: dict[str, list[float]] = {k: [] for k in chosen}
    warm: dict[str, list[float]] = {k: [] for k in chosen}
    select: dict[str, list[float]] = {k: [] for k in chosen}
    first = data.passages.iloc[len(data.passages) // 2]
    READER_TARGET.update(doc=str(first["doc_id"]), passage=str(first["passage_id"]), nonce=1)
    top = data.entities.sort_values("weighted_degree", ascending=False)["entity_id"].tolist()
    heavy = data.links.sort_values("n_passages", ascending=False)[["source", "target"]].values.tolist()
    make_view_ms: list[float] = []
    from dashboard.analysis.view import Filters, make_view

    for state in states[: args.states]:
        t = time.perf_counter()
        make_view(data, Filters.from_state(state), cache.settings)
        make_view_ms.append((time.perf_counter() - t) * 1000)
        cache.clear()
        for n, (label, dep) in enumerate(chosen.items()):
            payload = body(dep, state)
            t = time.perf_counter()
            res = client.post("/_dash-update-component", json=payload)
            if n == 0:  # the first callback of a new filter state pays for the view
                cold[label].append((time.perf_counter() - t) * 1000)
            if res.status_code not in (200, 204):
                print(f"{label}: HTTP {res.status_code} {res.get_data(as_text=True)[:200]}", file=sys.stderr)
                return 1
            for _ in range(args.repeat):
                t = time.perf_counter()
                client.post("/_dash-update-component", json=payload)
                warm[label].append((time.perf_counter() - t) * 1000)
        # new selections on the cached view: an entity (busy and quiet ones), then a link
        k = len(select[next(iter(chosen))]) // max(1, len(chosen))
        sels = [{"type": "node", "id": top[(7 * k + j * 37) % len(top)]} for j in range(2)]
        a, b = heavy[k % len(heavy)]
        sels.append({"type": "edge", "source": a, "target": b})
        for sel in sels:
            s2 = normalize_state({**state, "selected": sel, "page": 1})
            for label, dep in chosen.items():
                t = time.perf_counter()
                client.post("/_dash-update-component", json=body(dep, s2))
                select[label].append((time.perf_counter() - t) * 1000)

    scale = args.scale or Path(folder).name
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} cores, load average {load:.1f} while measuring (timings scale with it)")
    print(f"dataset {folder}: {len(data.entities)} entities, {len(data.links)} links, {len(data.passages)} passages;"
          f" {min(len(states), args.states)} states, {args.repeat} warm repeats")
    print(f"{'callback':<18}{'warm p50':>10}{'warm p95':>10}{'sel p50':>10}{'sel p95':>10}{'cold p50':>10}"
          f"{'cold p95':>10}   (ms)")
    rows = [("make_view", [], [], make_view_ms)] + [(k, warm[k], select[k], cold[k]) for k in chosen]
    def cell(values, q):
        return f"{pct(values, q):>10.1f}" if values else f"{'-':>10}"

    for label, w, sl, c in rows:
        print(f"{label:<18}{cell(w, .5)}{cell(w, .95)}{cell(sl, .5)}{cell(sl, .95)}{cell(c, .5)}{cell(c, .95)}")
    sums = [sum(sl[i] for sl in select.values()) for i in range(min(map(len, select.values())))] if select else []
    print(f"{'all, per select':<18}{'':>20}{cell(sums, .5)}{cell(sums, .95)}   (every callback once: server CPU"
          " of one selection)")
    for label, w, sl, c in rows + [("all_callbacks_per_selection", [], sums, [])]:
        for kind, values in (("warm", w), ("select", sl), ("cold", c)):
            if not values:
                continue
            for q in (0.5, 0.95):
                metric = f"{label}_{kind}_p{int(q * 100)}_ms"
                value = round(pct(values, q), 2)
                line = {"bench": "callbacks", "scale": scale, "metric": metric, "value": value, "unit": "ms"}
                if kind == "warm" and q == 0.95 and label != "make_view":
                    line.update(target=f"<= {TARGET_MS:g}", ok=value <= TARGET_MS)
                print("BENCH " + json.dumps(line))
    print("command: " + " ".join(shlex.quote(a) for a in [sys.executable, "-m", "bench.bench_callbacks",
                                                          "--data", str(folder), "--repeat", str(args.repeat),
                                                          "--states", str(args.states)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A minimal Dash renderer over HTTP, for timing callbacks the way a browser fires them.

It reads ``/_dash-layout`` and ``/_dash-dependencies``, keeps the current value of every
component property, and on a change fires the callbacks that take the changed properties as
inputs — in parallel, up to six at a time like a browser — then the callbacks their outputs
trigger, wave after wave. Every POST to ``/_dash-update-component`` is timed twice: until its
response is decoded (``seconds``) and until its headers arrived (``server``: the server sends
them once the callback has run and its response is encoded, so this is the server's time plus
loopback, without the client decoding the body), with the wave it belongs to.
:func:`server_time` is an interaction's critical path on the server: per wave, its slowest
request.

Like dash-renderer, every property in a response triggers its callbacks (changed or not),
a callback is not fired again by a chain it started (circular callbacks), and ``Patch``
responses are applied to the current value.

Pattern-matching (wildcard) callbacks and clientside callbacks are not fired.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import requests

__all__ = ["DashClient", "Callback", "Timing", "server_time"]

Prop = tuple[str, str]  # (component id, property)


def _clean(prop: str) -> str:
    return prop.split("@", 1)[0]  # allow_duplicate outputs carry "@<hash>"


def _patched(value: Any, operations: list[dict]) -> Any:
    """Apply Dash ``Patch`` operations (assignments and deletions of keys; enough for a state)."""
    value = json.loads(json.dumps(value)) if value is not None else {}
    for op in operations:
        location, params = op.get("location") or [], op.get("params") or {}
        if not location:
            continue
        target = value
        for step in location[:-1]:
            target = target.setdefault(step, {}) if isinstance(target, dict) else target[step]
        if op.get("operation") == "Assign":
            target[location[-1]] = params.get("value")
        elif op.get("operation") == "Delete" and isinstance(target, dict):
            target.pop(location[-1], None)
    return value


@dataclass
class Callback:
    output: str
    outputs: list[Prop]
    multi: bool
    inputs: list[Prop]
    state: list[Prop]
    prevent_initial_call: bool

    @classmethod
    def parse(cls, spec: dict) -> "Callback | None":
        if spec.get("clientside_function"):
            return None
        out = spec["output"]
        multi = out.startswith("..")
        parts = out.strip(".").split("...") if multi else [out]
        outputs = []
        for part in parts:
            cid, _, prop = part.rpartition(".")
            if cid.startswith("{"):
                return None
            outputs.append((cid, prop))
        ins = [(d["id"], d["property"]) for d in spec.get("inputs", [])]
        st = [(d["id"], d["property"]) for d in spec.get("state", [])]
        if any(not isinstance(i, str) or i.startswith("{") for i, _ in ins + st):
            return None
        return cls(out, outputs, multi, ins, st, bool(spec.get("prevent_initial_call")))


@dataclass
class Timing:
    """One POST: which callback, how long (to the decoded body; to the response headers, i.e.
    server time), HTTP status, and the wave of the interaction it was sent in."""

    output: str
    seconds: float
    status: int
    server: float = float("nan")
    wave: int = 0


def server_time(timings: list[Timing]) -> float:
    """Seconds the server kept an interaction waiting: per wave, the slowest request's
    :attr:`Timing.server` (the requests of a wave run concurrently), summed over the waves."""
    slowest: dict[int, float] = {}
    for t in timings:
        slowest[t.wave] = max(slowest.get(t.wave, 0.0), t.server)
    return sum(slowest.values())


@dataclass
class DashClient:
    base: str
    session: requests.Session = field(default_factory=requests.Session)
    props: dict[Prop, Any] = field(default_factory=dict)
    callbacks: list[Callback] = field(default_factory=list)
    timings: list[Timing] = field(default_factory=list)
    parallel: int = 6
    timeout: float = 120.0

    def load(self) -> "DashClient":
        """Fetch the layout and the callback graph."""
        layout = self.session.get(self.base + "/_dash-layout", timeout=60).json()
        self._register(layout)
        deps = self.session.get(self.base + "/_dash-dependencies", timeout=60).json()
        self.callbacks = [cb for cb in map(Callback.parse, deps) if cb is not None]
        return self

    def _register(self, node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                self._register(item)
        elif isinstance(node, dict):
            props = node.get("props") if "type" in node and "namespace" in node else None
            if isinstance(props, dict):
                cid = props.get("id")
                if isinstance(cid, str):
                    for k, v in props.items():
                        if k != "children":
                            self.props[(cid, k)] = v
                    self.props.setdefault((cid, "children"), None)
                for v in props.values():
                    self._register(v)

    def has(self, cid: str) -> bool:
        return any(k[0] == cid for k in self.props)

    def find(self, predicate) -> list[Prop]:
        """Input properties of callbacks matching ``predicate(component_id, property)``."""
        seen = []
        for cb in self.callbacks:
            for p in cb.inputs:
                if predicate(*p) and p not in seen:
                    seen.append(p)
        return seen

    def _payload(self, cb: Callback, changed: list[Prop]) -> dict:
        outs = [{"id": i, "property": p} for i, p in cb.outputs]
        return {
            "output": cb.output,
            "outputs": outs if cb.multi else outs[0],
            "inputs": [{"id": i, "property": p, "value": self.props.get((i, p))} for i, p in cb.inputs],
            "state": [{"id": i, "property": p, "value": self.props.get((i, p))} for i, p in cb.state],
            "changedPropIds": [f"{i}.{p}" for i, p in changed if (i, p) in cb.inputs],
        }

    def _post(self, cb: Callback, changed: list[Prop], wave: int = 0) -> tuple[Callback, dict | None, Timing]:
        body = self._payload(cb, changed)
        t0 = time.perf_counter()
        try:
            r = requests.post(self.base + "/_dash-update-component", json=body, timeout=self.timeout)
        except requests.RequestException:
            dt = time.perf_counter() - t0
            return cb, None, Timing(cb.output, dt, 599, dt, wave)
        dt = time.perf_counter() - t0
        data = r.json() if r.status_code == 200 and r.content else None
        return cb, data, Timing(cb.output, dt, r.status_code, r.elapsed.total_seconds(), wave)

    def _ready(self, cb: Callback) -> bool:
        return all(self.has(i) for i, _ in cb.inputs)

    def fire(self, changes: dict[Prop, Any], max_waves: int = 6) -> tuple[float, list[Timing]]:
        """Apply ``changes`` and run the callback waves they trigger; return (wall s, timings)."""
        start = time.perf_counter()
        timings: list[Timing] = []
        changed = []
        for key, value in changes.items():
            if self.props.get(key) != value or key[1] in ("n_clicks", "tapNodeData", "tapEdgeData"):
                self.props[key] = value
                changed.append(key)
        self._run(changed, {c: () for c in changed}, timings, max_waves)
        self.timings.extend(timings)
        return time.perf_counter() - start, timings

    def _run(self, changed: list[Prop], chains: dict[Prop, tuple], timings: list[Timing], max_waves: int) -> None:
        """Fire the waves: ``chains`` maps a changed property to the callbacks that led to it."""
        first = max((t.wave for t in timings), default=-1) + 1
        with ThreadPoolExecutor(self.parallel) as pool:
            for number in range(first, first + max_waves):
                wave = []
                for cb in self.callbacks:
                    hits = [c for c in changed if c in cb.inputs and cb.output not in chains.get(c, ())]
                    if hits and self._ready(cb):
                        wave.append((cb, tuple(dict.fromkeys(x for c in hits for x in chains.get(c, ())))))
                if not wave:
                    break
                results = list(pool.map(lambda item, n=number: self._post(item[0], changed, n), wave))
                chains = {}
                changed = []
                for (cb, before), result in zip(wave, results):
                    for prop in self._apply([result], timings):
                        changed.append(prop)
                        chains[prop] = chains.get(prop, ()) + before + (cb.output,)

    def initial(self) -> tuple[float, list[Timing]]:
        """Fire what the renderer fires on page load (callbacks without prevent_initial_call)."""
        start = time.perf_counter()
        timings: list[Timing] = []
        with ThreadPoolExecutor(self.parallel) as pool:
            wave = [cb for cb in self.callbacks if self._ready(cb) and not cb.prevent_initial_call]
            results = list(pool.map(lambda cb: self._post(cb, []), wave))
        changed, chains = [], {}
        for cb, result in zip(wave, results):
            for prop in self._apply([result], timings):
                changed.append(prop)
                chains[prop] = (cb.output,)
        self._run(changed, chains, timings, 5)
        return time.perf_counter() - start, timings

    def _apply(self, results, timings: list[Timing]) -> list[Prop]:
        """Store the responses' values; return every property they set (as the renderer does)."""
        changed: list[Prop] = []
        for cb, data, timing in results:
            timings.append(timing)
            if not data:
                continue
            for cid, values in (data.get("response") or {}).items():
                for prop, value in values.items():
                    key = (cid, _clean(prop))
                    if isinstance(value, dict) and value.get("__dash_patch_update"):
                        value = _patched(self.props.get(key), value.get("operations") or [])
                    self.props[key] = value
                    if key not in changed:
                        changed.append(key)
                    if prop == "children":
                        self._register(value)
        return changed

    def state(self) -> dict:
        """The app's state store, decoded."""
        value = self.props.get(("state", "data"))
        return json.loads(value) if isinstance(value, str) else dict(value or {})

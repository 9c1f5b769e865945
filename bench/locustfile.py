"""Locust users that drive the app the way an analyst does, through Dash's callback protocol.

Each simulated user loads the page (layout, dependencies, the initial callbacks) and then,
with 1-3 s of think time, filters by organization, narrows the period, selects an entity
(through the search box), selects a link, types a search, pages the excerpts or resets. Every
interaction fires the callbacks a browser would fire, wave after wave
(:class:`bench.dash_client.DashClient`), and every POST is a Locust request named after the
callback's output, so the statistics show which callbacks are slow.

Run through ``make load`` (``bench/load.py``), or by hand against a running server::

    locust -f bench/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8050
"""

from __future__ import annotations

import random
import time

from locust import HttpUser, between, task

from bench.dash_client import DashClient, Timing
from dashboard.settings import resolve
from dashboard.tables import load_tables

_DATA = load_tables(resolve("data_dir"))
ORGS = sorted(_DATA.entities.loc[_DATA.entities["type"] == "organization", "entity_id"])
ENTITIES = _DATA.entities.sort_values("n_mentions", ascending=False)["entity_id"].head(80).tolist()
NAMES = _DATA.entities.set_index("entity_id")["name"].to_dict()
LINKS = _DATA.links.sort_values("weight", ascending=False)[["source", "target"]].head(80).values.tolist()
YEARS = sorted({int(d[:4]) for d in _DATA.passages["date_start"].dropna()}) or [2007]


class LocustDash(DashClient):
    """A DashClient whose POSTs go through Locust's HTTP session (timed, named, counted)."""

    def _post(self, cb, changed):
        body = self._payload(cb, changed)
        name = "cb " + cb.output.split("@", 1)[0][:48]
        t0 = time.perf_counter()
        with self.session.post("/_dash-update-component", json=body, name=name, catch_response=True) as r:
            seconds = time.perf_counter() - t0
            if r.status_code not in (200, 204):
                r.failure(f"HTTP {r.status_code}")
                return cb, None, Timing(cb.output, seconds, r.status_code)
            try:
                data = r.json() if r.status_code == 200 and r.content else None
            except ValueError:
                r.failure("response is not JSON")
                data = None
            return cb, data, Timing(cb.output, seconds, r.status_code)


class Analyst(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.dash = LocustDash(base="", session=self.client, parallel=6).load()
        self.client.get("/", name="page /")
        self.dash.initial()
        self.rng = random.Random()

    def fire(self, changes):
        self.dash.fire(changes)

    @task(3)
    def filter_by_org(self):
        self.fire({("filter-org", "value"): [self.rng.choice(ORGS)] if self.rng.random() < 0.8 else []})

    @task(2)
    def narrow_period(self):
        lo = self.rng.choice(YEARS)
        hi = self.rng.choice([y for y in YEARS if y >= lo])
        self.fire({("filter-period", "value"): [lo, hi]})

    @task(4)
    def select_entity(self):
        eid = self.rng.choice(ENTITIES)
        self.fire({("search", "search_value"): NAMES[eid][:4]})
        self.fire({("search", "value"): eid})

    @task(3)
    def select_edge(self):
        a, b = self.rng.choice(LINKS)
        self.fire({("graph", "tapEdgeData"): {"id": f"{a}|{b}", "source": a, "target": b}})

    @task(2)
    def search(self):
        self.fire({("search", "search_value"): self.rng.choice(["kha", "quds", "sadr", "basra", "irgc", "al-"])})

    @task(2)
    def page_excerpts(self):
        self.fire({("excerpts-pages", "active_page"): self.rng.randint(1, 3)})

    @task(1)
    def reset(self):
        clicks = (self.dash.props.get(("reset", "n_clicks")) or 0) + 1
        self.fire({("reset", "n_clicks"): clicks})

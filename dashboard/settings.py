"""The one settings registry: name, default, help; argument > environment variable > default.

Every tunable of the app and the build lives here, so the README's settings table and
``--help`` texts come from one place. The environment variable of a setting is
``KHAZALI_`` + its name in upper case.

Examples
--------
>>> resolve("port")
8050
>>> resolve("port", 9000)
9000
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

__all__ = ["Setting", "SETTINGS", "resolve", "env_name", "DEFAULT_DATA_DIR"]

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "khazali"


def _bool(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"expected a boolean (1/0, true/false, yes/no, on/off), got {value!r}")


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default, help text and how to parse an environment value."""

    name: str
    default: Any
    help: str
    parse: Callable[[Any], Any] = str


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in [
        Setting("data_dir", str(DEFAULT_DATA_DIR), "Folder of built tables the app opens (default: the embedded Khazali dataset)."),
        Setting("host", "127.0.0.1", "Interface the server binds; anything other than loopback shares the app on the network.", str),
        Setting("port", 8050, "TCP port of the server.", int),
        Setting("debug", False, "Dash debug mode (dev tools, reloader). Never on a shared instance.", _bool),
        Setting("access_log", False, "Log every HTTP request of python app.py (werkzeug's access log; always on in debug mode). Off by default: a line per callback request costs each request time under load.", _bool),
        Setting("node_cap", 400, "Largest number of entities drawn in the graph; above it the top entities by the chosen measure are shown with a note.", int),
        Setting("max_elements", 1500, "Largest number of graph elements (nodes + edges) sent to the browser.", int),
        Setting("relayout_max", 300, "Largest view the 're-layout this view' action will lay out on demand.", int),
        Setting("betweenness_exact_max", 1000, "Above this many nodes, betweenness is estimated from a sample of sources (labelled approximate).", int),
        Setting("betweenness_samples", 200, "Number of sampled sources for approximate betweenness.", int),
        Setting("view_betweenness_work", 300_000, "Budget of a filtered view's betweenness in sources x links: exact when entities x links fits, else sampled from budget/links sources (at least 8; labelled approximate), so a filter change stays interactive.", float),
        Setting("communities_exact_max", 1000, "Largest filtered view (in links) whose communities are recomputed with Louvain; above it the dataset's communities are split where the view disconnects them (the graph notes say so).", int),
        Setting("fuzzy_threshold", 92, "rapidfuzz score (0-100) a near-miss spelling needs to link to an entity; conservative by design.", int),
        Setting("seed", 42, "Seed for layout, community detection and sampling, so results are reproducible.", int),
        Setting("cache_size", 256, "How many filtered views the app keeps in its cache.", int),
        Setting("cache_mb", 384, "Memory budget of the view cache in MB (per server process); least recently used views are dropped above it.", float),
        Setting("malloc_arenas", 2, "Most glibc malloc arenas of the server process (0: glibc's default of 8 per core); fewer keep a threaded server's memory close to what it holds.", int),
        Setting("warm_start", True, "At start-up, before serving, compute the default view and every panel for it, so the first visitor does not wait for them.", _bool),
        Setting("page_size", 10, "Passages per page in the excerpt panel.", int),
        Setting("timeline_points", 2000, "Most passages the timeline draws one by one; above it, it counts them per lane and month.", int),
        Setting("chromium", "", "Chromium/Chrome executable kaleido drives for timeline exports; empty: BROWSER_PATH, else chromium on PATH.", str),
        Setting("figure_labels", 150, "Most node labels in an exported graph figure (largest nodes first); the figure says how many were left out.", int),
        Setting("deck_links", 8, "Strongest links of the view whose cited passages the briefing deck's evidence appendix lists.", int),
        Setting("deck_passages_per_link", 8, "Most cited passages per link in the briefing deck (one per document first).", int),
        Setting("deck_evidence_slides", 12, "Most slides in the briefing deck's evidence appendix; the evidence CSV holds the rest.", int),
        Setting("jobs", 0, "Worker processes the build reads and links documents with (0: one per available core); the tables are the same for any value.", int),
        Setting("max_text_mb", 20, "Largest .md/.txt document the build reads, in MB; a larger one is an error naming it (split it).", float),
        Setting("max_request_kb", 1024, "Largest request body the server accepts, in KB (HTTP 413 above it); callbacks send a few KB.", int),
        Setting("auth_user", "", "User name for HTTP basic auth; with auth_password set, every request must log in.", str),
        Setting("auth_password", "", "Password for HTTP basic auth (set through the environment, not the command line).", str),
    ]
}


def env_name(name: str) -> str:
    """Return the environment variable that sets ``name``."""
    return "KHAZALI_" + name.upper()


def resolve(name: str, argument: Any = None) -> Any:
    """Return the value of setting ``name``: the argument if given, else the environment, else the default.

    Raises
    ------
    KeyError
        If ``name`` is not a registered setting.
    ValueError
        If the environment variable cannot be parsed; the message names the variable.
    """
    setting = SETTINGS[name]
    if argument is not None:
        return setting.parse(argument)
    raw = os.environ.get(env_name(name))
    if raw is not None:
        try:
            return setting.parse(raw)
        except ValueError as exc:
            raise ValueError(f"{env_name(name)}={raw!r}: {exc}") from None
    return setting.default

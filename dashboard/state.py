"""The app's one state: what the user filtered, selected and chose to show.

The state lives in the browser (one ``dcc.Store(id="state")``) and is mirrored in the
URL query string so a view can be shared. Everything that arrives from the browser is
untrusted: :func:`normalize_state` validates and coerces it, drops unknown keys and clamps
values, so callbacks can rely on the shape of :data:`DEFAULT_STATE`.

Keys
----
orgs : list of str
    Organization entity ids; the view keeps them and their affiliated members.
hops : int, 0 or 1
    Also keep the direct neighbours of that set.
start, end : str or None
    Event period ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a passage passes when its date
    interval overlaps the period (undated passages are excluded when a period is set).
types, kinds, relations, claims : list of str
    Entity types, link kinds, relation types, claim classes (empty list = no filter).
min_weight : int >= 1
    Minimum number of passages of evidence per link.
community : int or None
    Global (build-time) community id.
focus : str or None, depth : int, 1 or 2
    Ego network of ``focus`` up to ``depth`` links away.
selected : None or dict
    ``{"type": "node", "id": eid}`` or ``{"type": "edge", "source": a, "target": b}``.
size_by, color_by, time_axis, page
    Presentation choices.
path : None or dict
    ``{"source": a, "target": b}``: show shortest paths between two entities.

Examples
--------
>>> s = normalize_state({"orgs": ["aah"], "min_weight": "3", "bogus": 1})
>>> s["orgs"], s["min_weight"], "bogus" in s
(['aah'], 3, False)
>>> to_query(s)
'orgs=aah&min_weight=3'
>>> from_query("?orgs=aah&min_weight=3") == s
True
"""

from __future__ import annotations

import calendar
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

from dashboard.tables import CLAIM_CLASSES, ENTITY_TYPES, LINK_KINDS

__all__ = [
    "DEFAULT_STATE",
    "SIZE_MEASURES",
    "COLOR_MODES",
    "TIME_AXES",
    "FILTER_KEYS",
    "normalize_state",
    "to_query",
    "from_query",
    "filter_part",
    "parse_date_bound",
]

DEFAULT_STATE: dict[str, Any] = {
    "orgs": [],
    "hops": 0,
    "start": None,
    "end": None,
    "types": [],
    "kinds": [],
    "relations": [],
    "claims": [],
    "min_weight": 1,
    "community": None,
    "focus": None,
    "depth": 1,
    "selected": None,
    "size_by": "degree",
    "color_by": "community",
    "time_axis": "event",
    "page": 1,
    "path": None,
}

#: Node-size measures offered by the graph panel (columns of ``View.entities``).
SIZE_MEASURES = ("degree", "weighted_degree", "betweenness", "eigenvector", "pagerank")
#: Node colouring modes.
COLOR_MODES = ("community", "type", "organization")
#: Timeline axes: the event date of a passage or the publication date of its document.
TIME_AXES = ("event", "published")
#: The keys that define a view (the cache key); the rest is presentation or selection.
FILTER_KEYS = (
    "orgs", "hops", "start", "end", "types", "kinds", "relations", "claims",
    "min_weight", "community", "focus", "depth",
)

_MAX_LIST = 50  # items in a list filter
_MAX_TEXT = 200  # characters of an id or a relation type
_MAX_WEIGHT = 100_000
_MAX_PAGE = 100_000
_MAX_COMMUNITY = 1_000_000
# Entity ids: letters, digits, '-', '_', '.', ':' (docs/corpus-format.md); never '|', the
# separator of edge and path values in the URL.
_ID = re.compile(r"^[\w.:\-]{1,200}$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_LIST_OPTIONS = {"types": ENTITY_TYPES, "kinds": LINK_KINDS, "claims": CLAIM_CLASSES}


def _as_int(value: Any, default: int, low: int, high: int) -> int:
    if isinstance(value, bool):
        return default
    try:
        number = int(float(value)) if isinstance(value, (str, float)) else int(value)
    except (TypeError, ValueError, OverflowError):
        return default
    return max(low, min(high, number))


def _as_id(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str) and _ID.match(value.strip()):
        return value.strip()
    return None


def _as_list(value: Any, options: tuple[str, ...] | None, ids: bool) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    out: list[str] = []
    for item in value:
        if ids:
            item = _as_id(item)
        elif isinstance(item, str):
            item = item.strip()
            item = item if 0 < len(item) <= _MAX_TEXT else None
        else:
            item = None
        if item is None or item in out or (options is not None and item not in options):
            continue
        out.append(item)
        if len(out) >= _MAX_LIST:
            break
    if options is not None:  # canonical order, so equal filters give equal states
        out.sort(key=options.index)
    return out


def parse_date_bound(value: Any, end: bool = False) -> str | None:
    """Return the ISO day that starts (or, with ``end``, ends) a partial date, or None.

    >>> parse_date_bound("2004"), parse_date_bound("2004", end=True), parse_date_bound("2007-02", end=True)
    ('2004-01-01', '2004-12-31', '2007-02-28')
    """
    text = _as_date(value)
    if text is None:
        return None
    m = _DATE.match(text)
    year, month, day = m.group(1), m.group(2), m.group(3)
    if day:
        return text
    if month:
        if not end:
            return f"{year}-{month}-01"
        return f"{year}-{month}-{calendar.monthrange(int(year), int(month))[1]:02d}"
    return f"{year}-12-31" if end else f"{year}-01-01"


def _as_date(value: Any) -> str | None:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = value.strip()[:10]
    m = _DATE.match(text)
    if not m:
        return None
    year, month, day = m.group(1), m.group(2), m.group(3)
    if not 1000 <= int(year) <= 2999:
        return None
    if month and not 1 <= int(month) <= 12:
        return None
    if day:
        if not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
            return None
    return text


def _as_selected(value: Any) -> dict | None:
    if not isinstance(value, dict):
        return None
    kind = value.get("type")
    if kind == "node":
        eid = _as_id(value.get("id"))
        return {"type": "node", "id": eid} if eid else None
    if kind == "edge":
        a, b = _as_id(value.get("source")), _as_id(value.get("target"))
        return {"type": "edge", "source": a, "target": b} if a and b and a != b else None
    return None


def _as_path(value: Any) -> dict | None:
    if not isinstance(value, dict):
        return None
    a, b = _as_id(value.get("source")), _as_id(value.get("target"))
    return {"source": a, "target": b} if a and b and a != b else None


def normalize_state(d: Any) -> dict:
    """Return a valid state built from untrusted ``d``.

    Unknown keys are dropped, missing or invalid values take their default, numbers are
    clamped, list filters keep only known options (types, kinds, claims) or well-formed
    ids, and a reversed period is swapped. Never raises.

    Parameters
    ----------
    d : Any
        Usually a dict from the browser; anything else gives the default state.

    Returns
    -------
    dict
        A new dict with exactly the keys of :data:`DEFAULT_STATE`.
    """
    # every value of DEFAULT_STATE is a scalar, None or an empty list: a list copy per key
    # is a deep copy, without deepcopy's per-call bookkeeping (a state is normalized several
    # times per request)
    state = {k: list(v) if isinstance(v, list) else v for k, v in DEFAULT_STATE.items()}
    if not isinstance(d, dict):
        return state
    state["orgs"] = _as_list(d.get("orgs"), None, ids=True)
    for key in ("types", "kinds", "claims"):
        state[key] = _as_list(d.get(key), _LIST_OPTIONS[key], ids=False)
    state["relations"] = sorted(_as_list(d.get("relations"), None, ids=False))
    state["hops"] = _as_int(d.get("hops"), 0, 0, 1)
    start, end = _as_date(d.get("start")), _as_date(d.get("end"))
    if start and end and parse_date_bound(start) > parse_date_bound(end, end=True):
        start, end = end, start
    state["start"], state["end"] = start, end
    state["min_weight"] = _as_int(d.get("min_weight"), 1, 1, _MAX_WEIGHT)
    community = d.get("community")
    state["community"] = None if community in (None, "") else _as_int(community, -1, -1, _MAX_COMMUNITY)
    if state["community"] == -1:
        state["community"] = None
    state["focus"] = _as_id(d.get("focus"))
    state["depth"] = _as_int(d.get("depth"), 1, 1, 2)
    state["selected"] = _as_selected(d.get("selected"))
    state["size_by"] = d.get("size_by") if d.get("size_by") in SIZE_MEASURES else "degree"
    state["color_by"] = d.get("color_by") if d.get("color_by") in COLOR_MODES else "community"
    state["time_axis"] = d.get("time_axis") if d.get("time_axis") in TIME_AXES else "event"
    state["page"] = _as_int(d.get("page"), 1, 1, _MAX_PAGE)
    state["path"] = _as_path(d.get("path"))
    return state


def filter_part(state: dict) -> tuple:
    """Return the hashable filter part of a normalized state (the view cache key)."""
    return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in ((k, state[k]) for k in FILTER_KEYS))


_LIST_KEYS = ("orgs", "types", "kinds", "relations", "claims")


def to_query(state: dict) -> str:
    """Return the URL query string (without ``?``) holding the non-default keys of ``state``.

    Lists repeat their key (``orgs=a&orgs=b``); a selected node is ``selected=node:ID``, a
    selected edge ``selected=edge:A|B``, a path ``path=A|B``.
    """
    state = normalize_state(state)
    pairs: list[tuple[str, str]] = []
    for key, default in DEFAULT_STATE.items():
        value = state[key]
        if value == default:
            continue
        if key in _LIST_KEYS:
            pairs.extend((key, v) for v in value)
        elif key == "selected":
            text = f"node:{value['id']}" if value["type"] == "node" else f"edge:{value['source']}|{value['target']}"
            pairs.append((key, text))
        elif key == "path":
            pairs.append((key, f"{value['source']}|{value['target']}"))
        else:
            pairs.append((key, str(value)))
    return urlencode(pairs)


def from_query(search: str | None) -> dict:
    """Return the normalized state encoded in a URL query string (leading ``?`` optional)."""
    if not isinstance(search, str):
        return normalize_state({})
    raw: dict[str, Any] = {}
    for key, value in parse_qsl(search.lstrip("?")[:20_000], keep_blank_values=False):
        if key not in DEFAULT_STATE:
            continue
        if key in _LIST_KEYS:
            raw.setdefault(key, []).append(value)
        elif key == "selected":
            kind, _, rest = value.partition(":")
            if kind == "node":
                raw[key] = {"type": "node", "id": rest}
            elif kind == "edge":
                a, _, b = rest.partition("|")
                raw[key] = {"type": "edge", "source": a, "target": b}
        elif key == "path":
            a, _, b = value.partition("|")
            raw[key] = {"source": a, "target": b}
        else:
            raw[key] = value
    return normalize_state(raw)

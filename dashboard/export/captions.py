"""Human-readable titles, footers and file names for exported views.

Every exported figure and deck states which filters produced it, and carries the
data attribution, so a slide taken out of context still says what it shows.

Examples
--------
>>> describe_filters({"orgs": ["aah"], "start": "2004-01-01", "end": "2007-12-31", "claims": ["reports"]},
...                  names={"aah": "AAH"})
'Organization: AAH · 2004–2007 · claims: reports'
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Mapping

__all__ = [
    "ATTRIBUTION",
    "describe_filters",
    "describe_period",
    "entity_names",
    "footer_text",
    "export_filename",
]

ATTRIBUTION = "sample compiled from public reporting; see sources in the evidence appendix"

_SEP = " · "


def entity_names(data) -> dict[str, str]:
    """Return ``{entity_id: name}`` for a loaded dataset (empty if it has no entities table)."""
    entities = getattr(data, "entities", None)
    if entities is None or len(entities) == 0:
        return {}
    return dict(zip(entities["entity_id"].astype(str), entities["name"].astype(str)))


def describe_period(start: str | None, end: str | None) -> str:
    """Describe a period; whole calendar years are written as years.

    Examples
    --------
    >>> describe_period("2004-01-01", "2007-12-31")
    '2004–2007'
    >>> describe_period("2006-03-01", None)
    'from 2006-03-01'
    >>> describe_period("2005-01-01", "2005-12-31")
    '2005'
    >>> describe_period("2004", "2006")
    '2004–2006'
    """
    if not start and not end:
        return ""
    start = str(start) if start else None
    end = str(end) if end else None
    if start and end:
        if len(start) == 4 and len(end) == 4:
            return start if start == end else f"{start}–{end}"
        if start.endswith("-01-01") and end.endswith("-12-31"):
            a, b = start[:4], end[:4]
            return a if a == b else f"{a}–{b}"
        return f"{start} – {end}"
    if start:
        return f"from {start}"
    return f"until {end}"


def _names(ids, names: Mapping[str, str]) -> str:
    return ", ".join(names.get(str(i), str(i)) for i in ids)


def describe_filters(state: Mapping, names: Mapping[str, str] | None = None) -> str:
    """Describe the filters of a view state in one line for titles and slides.

    Parameters
    ----------
    state : mapping
        A view state with the keys of ``dashboard.state.DEFAULT_STATE`` (missing keys mean "no filter").
    names : mapping, optional
        ``{entity_id: display name}`` used for organizations, focus and path ends.

    Returns
    -------
    str
        Parts joined by `` · ``; ``"All entities and links"`` when nothing is filtered.
    """
    names = names or {}
    parts: list[str] = []
    orgs = list(state.get("orgs") or [])
    if orgs:
        part = ("Organization: " if len(orgs) == 1 else "Organizations: ") + _names(orgs, names)
        hops = int(state.get("hops") or 0)
        if hops:
            part += f" (+{hops} hop{'s' if hops > 1 else ''})"
        parts.append(part)
    focus = state.get("focus")
    if focus:
        depth = int(state.get("depth") or 1)
        parts.append(f"around {names.get(str(focus), str(focus))} ({depth} step{'s' if depth > 1 else ''})")
    path = state.get("path")
    if isinstance(path, dict) and path.get("source") and path.get("target"):
        path = [path["source"], path["target"]]
    if isinstance(path, (list, tuple)) and len(path) >= 2:
        parts.append(f"paths {names.get(str(path[0]), str(path[0]))} → {names.get(str(path[-1]), str(path[-1]))}")
    period = describe_period(state.get("start"), state.get("end"))
    if period:
        parts.append(period)
    for key, label in (("types", "types"), ("kinds", "links"), ("relations", "relations"), ("claims", "claims")):
        values = list(state.get(key) or [])
        if values:
            parts.append(f"{label}: {', '.join(str(v) for v in values)}")
    min_weight = state.get("min_weight") or 1
    if float(min_weight) > 1:
        parts.append(f"link weight ≥ {float(min_weight):g}")
    community = state.get("community")
    if community is not None:
        parts.append(f"community {community}")
    return _SEP.join(parts) if parts else "All entities and links"


def footer_text(title: str, exported: _dt.date | None = None) -> str:
    """Return the attribution footer for a figure or slide."""
    exported = exported or _dt.date.today()
    return f"Data: {title} — {ATTRIBUTION}. Exported {exported.isoformat()}."


def export_filename(title: str, stem: str, extension: str, exported: _dt.date | None = None) -> str:
    """Return a safe download file name such as ``khazali-graph-2026-11-26.png``.

    Only ASCII letters, digits and dashes survive, so a dataset title can never
    smuggle a path into the name.

    Examples
    --------
    >>> export_filename("Khazali / papers", "graph", "png", _dt.date(2026, 1, 2))
    'khazali-papers-graph-2026-01-02.png'
    """
    exported = exported or _dt.date.today()
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "dataset"
    return f"{slug}-{stem}-{exported.isoformat()}.{extension.lstrip('.')}"

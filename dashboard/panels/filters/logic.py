"""Filters panel logic: control options from the dataset, controls ↔ state (pure, no Dash)."""

from __future__ import annotations

import pandas as pd

from dashboard.state import normalize_state

__all__ = [
    "CONTROL_KEYS",
    "org_options",
    "year_bounds",
    "year_marks",
    "community_options",
    "relation_options",
    "entity_options",
    "controls_from_state",
    "state_from_controls",
    "path_summary",
]

#: Order of the synchronised controls (component ids) in the filters callback.
CONTROL_KEYS = ("filter-org", "filter-hops", "filter-period", "filter-types", "filter-kinds", "filter-relations",
                "filter-claims", "filter-min-weight", "filter-community", "focus-depth", "path-from", "path-to")


def org_options(entities: pd.DataFrame) -> list[dict]:
    """Organizations, the ones with most affiliated members first."""
    members: dict[str, int] = {}
    for affs in entities["affiliations"]:
        for org in (affs if affs is not None else []):
            members[str(org)] = members.get(str(org), 0) + 1
    orgs = entities[entities["type"] == "organization"]
    rows = sorted(zip(orgs["entity_id"], orgs["name"]), key=lambda r: (-members.get(r[0], 0), str(r[1]).lower()))
    return [{"label": f"{name} ({members.get(eid, 0)} members)", "value": eid} for eid, name in rows]


def year_bounds(passages: pd.DataFrame) -> tuple[int, int] | None:
    """First and last year of any dated passage, or None without dates."""
    dates = pd.concat([passages["date_start"], passages["date_end"]]).dropna()
    if dates.empty:
        return None
    years = dates.str.slice(0, 4).astype(int)
    return int(years.min()), int(years.max())


def year_marks(lo: int, hi: int, most: int = 6) -> dict[int, str]:
    """Slider marks on round years (every 1, 2, 5, 10, 20, 25 or 50 years), at most ``most``."""
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100) if (hi - lo) // s + 1 <= most), 100)
    first = -(-lo // step) * step
    return {y: str(y) for y in range(first, hi + 1, step)}


def community_options(entities: pd.DataFrame, lead: int = 3) -> list[dict]:
    """Global communities labelled by their most connected members."""
    ent = entities[entities["community"].notna() & (entities["community"] >= 0)]
    out = []
    for comm, group in ent.sort_values(["weighted_degree", "entity_id"], ascending=[False, True]).groupby("community"):
        heads = ", ".join(group["name"].head(lead).astype(str))
        out.append({"label": f"{int(comm)}: {heads} ({len(group)})", "value": int(comm), "size": len(group)})
    out.sort(key=lambda o: (-o["size"], o["value"]))
    return [{"label": o["label"], "value": o["value"]} for o in out]


def relation_options(relations: pd.DataFrame) -> list[dict]:
    counts = relations["relation"].dropna().value_counts()
    return [{"label": f"{r} ({n})", "value": r} for r, n in sorted(counts.items(), key=lambda kv: kv[0])]


def entity_options(entities: pd.DataFrame) -> list[dict]:
    """Every mentioned entity, for the path pickers (label: name and type)."""
    ent = entities[entities["n_mentions"].fillna(0) > 0] if "n_mentions" in entities else entities
    ent = ent.sort_values("name", key=lambda s: s.str.lower())
    return [{"label": f"{n} ({t})", "value": e} for e, n, t in zip(ent["entity_id"], ent["name"], ent["type"])]


def controls_from_state(state: dict, bounds: tuple[int, int] | None) -> tuple:
    """Control values (in :data:`CONTROL_KEYS` order) showing ``state``."""
    s = normalize_state(state)
    if bounds:
        lo = int(s["start"][:4]) if s["start"] else bounds[0]
        hi = int(s["end"][:4]) if s["end"] else bounds[1]
        period = [max(bounds[0], min(lo, bounds[1])), max(bounds[0], min(hi, bounds[1]))]
    else:
        period = None
    path = s["path"] or {}
    return (s["orgs"], [1] if s["hops"] else [], period, s["types"], s["kinds"], s["relations"], s["claims"],
            s["min_weight"], s["community"], s["depth"], path.get("source"), path.get("target"))


def state_from_controls(state: dict, values: tuple, bounds: tuple[int, int] | None) -> dict:
    """The state after the user changed the controls to ``values``.

    The period slider at its full extent means "no period"; when the slider still shows
    the year of a finer state date (``2007-03``) that date is kept.
    """
    s = normalize_state(state)
    orgs, hops, period, types, kinds, relations, claims, min_weight, community, depth, p_from, p_to = values
    start, end = None, None
    if bounds and isinstance(period, (list, tuple)) and len(period) == 2:
        try:
            lo, hi = sorted(int(v) for v in period)
        except (TypeError, ValueError):
            lo, hi = bounds
        if (lo, hi) != tuple(bounds):
            start = s["start"] if s["start"] and int(s["start"][:4]) == lo else str(lo)
            end = s["end"] if s["end"] and int(s["end"][:4]) == hi else str(hi)
            if lo == bounds[0] and not (s["start"] and int(s["start"][:4]) == lo):
                start = None
            if hi == bounds[1] and not (s["end"] and int(s["end"][:4]) == hi):
                end = None
    path = {"source": p_from, "target": p_to} if p_from and p_to else None
    new = {**s, "orgs": orgs or [], "hops": 1 if hops else 0, "start": start, "end": end, "types": types or [],
           "kinds": kinds or [], "relations": relations or [], "claims": claims or [],
           "min_weight": min_weight if min_weight is not None else 1, "community": community,
           "depth": depth or 1, "path": path}
    new = normalize_state(new)
    if new != s:
        new["page"] = 1 if any(new[k] != s[k] for k in ("orgs", "start", "end", "claims", "types")) else new["page"]
    return new


def path_summary(paths: list[list[dict]], names: dict[str, str]) -> list[dict]:
    """Rows to show for each path: hops with names, link kinds, relation types and passage counts."""
    out = []
    for i, path in enumerate(paths, 1):
        hops = []
        for hop in path:
            kinds = " + ".join(hop["relations"] or []) or ("co-mention" if hop["kinds"] else "")
            if hop["relations"] and "co-mention" in hop["kinds"]:
                kinds += " + co-mention"
            hops.append({"source": hop["source"], "target": hop["target"],
                         "text": f"{names.get(hop['source'], hop['source'])} → {names.get(hop['target'], hop['target'])}"
                                 f": {kinds}, {hop['n_passages']} passage{'s' if hop['n_passages'] != 1 else ''}"})
        out.append({"title": f"Path {i}: {len(path)} hop{'s' if len(path) != 1 else ''}", "hops": hops})
    return out

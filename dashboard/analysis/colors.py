"""Colours of nodes: by (stable) community, by entity type or by organization.

One mapping serves the graph, its legend and the exports, so the legend always tells the truth.
The palette has 12 colours that stay apart under deuteranopia and protanopia (the seven
Okabe-Ito colours, with sand instead of the low-contrast yellow, then Paul Tol's indigo,
wine and olive and two browns; checked with a CVD simulation in the tests). Groups beyond
the 12th (communities and organizations are ranked biggest first) are drawn grey, the
same grey as "no group", and the legend says so: never a repeated colour for two groups.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["PALETTE", "NO_GROUP", "TYPE_COLORS", "community_color", "org_colors", "node_colors", "legend_entries"]

PALETTE = (
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00",
    "#DDCC77", "#332288", "#882255", "#999933", "#661100", "#8C564B",
)
NO_GROUP = "#B8B8B8"
TYPE_COLORS = {
    "person": "#0072B2",
    "organization": "#D55E00",
    "place": "#009E73",
    "event": "#CC79A7",
    "other": "#7F7F7F",
}


def community_color(community: int | None) -> str:
    """Colour of a (stable) community id; no community or beyond the palette → grey."""
    if community is None or pd.isna(community) or not 0 <= int(community) < len(PALETTE):
        return NO_GROUP
    return PALETTE[int(community)]


def org_colors(entities: pd.DataFrame) -> dict[str, str]:
    """Colour per organization of the whole dataset, biggest (most members) first; stable across views.

    Organizations beyond the palette get grey (:data:`NO_GROUP`).
    """
    members: dict[str, int] = {}
    for affs in entities["affiliations"]:
        for org in (affs if affs is not None else []):
            members[str(org)] = members.get(str(org), 0) + 1
    orgs = entities.loc[entities["type"] == "organization", "entity_id"].astype(str)
    ranked = sorted(set(orgs) | set(members), key=lambda o: (-members.get(o, 0), o))
    return {org: PALETTE[i] if i < len(PALETTE) else NO_GROUP for i, org in enumerate(ranked)}


def _org_of(eid: str, etype: str, affs, orgs: dict[str, str]) -> str | None:
    if etype == "organization" and eid in orgs:
        return eid
    for org in (affs if affs is not None else []):
        if str(org) in orgs:
            return str(org)
    return None


def node_colors(entities: pd.DataFrame, mode: str, orgs: dict[str, str]) -> dict[str, str]:
    """Return entity_id → colour for ``mode`` in {"community", "type", "organization"}."""
    if mode == "type":
        return {e: TYPE_COLORS.get(t, TYPE_COLORS["other"]) for e, t in zip(entities["entity_id"], entities["type"])}
    if mode == "organization":
        out = {}
        for e, t, a in zip(entities["entity_id"], entities["type"], entities["affiliations"]):
            org = _org_of(e, t, a, orgs)
            out[e] = orgs[org] if org else NO_GROUP
        return out
    comm = pd.to_numeric(entities["community"], errors="coerce").to_numpy(dtype=float)
    ok = np.isfinite(comm) & (comm >= 0) & (comm < len(PALETTE))
    colours = np.where(ok, np.asarray(PALETTE, dtype=object)[np.where(ok, comm, 0).astype(int)], NO_GROUP)
    return dict(zip(entities["entity_id"].tolist(), colours.tolist()))


def legend_entries(entities: pd.DataFrame, mode: str, orgs: dict[str, str], names: dict[str, str],
                   limit: int = 12) -> list[dict]:
    """Legend rows (colour, label, count) for the entities shown, biggest groups first.

    Community rows are named after their most connected member in the view.
    """
    if entities.empty:
        return []
    rows: list[dict] = []
    if mode == "type":
        for t, n in entities["type"].value_counts().items():
            rows.append({"color": TYPE_COLORS.get(t, TYPE_COLORS["other"]), "label": str(t), "count": int(n)})
        return _fold_grey(rows, limit, "")
    if mode == "organization":
        groups: dict[str | None, int] = {}
        for e, t, a in zip(entities["entity_id"], entities["type"], entities["affiliations"]):
            org = _org_of(e, t, a, orgs)
            groups[org] = groups.get(org, 0) + 1
        for org, n in sorted(groups.items(), key=lambda kv: (kv[0] is None, -kv[1], kv[0] or "")):
            label = names.get(org, org) if org else "no organization"
            rows.append({"color": orgs[org] if org else NO_GROUP, "label": label, "count": n, "none": org is None})
    else:
        comm = entities["community"].tolist()
        ids = entities["entity_id"].to_numpy(dtype=object).astype(str)
        order = np.lexsort((ids, -entities["weighted_degree"].fillna(0.0).to_numpy(dtype=float)))
        names_ = entities["name"].tolist()
        lead: dict = {}
        counts: dict = {}
        for i in order.tolist():  # most connected member first: it names the community
            lead.setdefault(comm[i], names_[i])
            counts[comm[i]] = counts.get(comm[i], 0) + 1
        for c, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            label = f"community {int(c)}: {lead[c]}" if int(c) >= 0 else "no community"
            rows.append({"color": community_color(c), "label": label, "count": int(n), "none": int(c) < 0})
    return _fold_grey(rows, limit, "organizations" if mode == "organization" else "communities")


def _fold_grey(rows: list[dict], limit: int, noun: str) -> list[dict]:
    """Keep the coloured rows (up to ``limit``) and fold the grey ones into one row.

    Grey rows are the groups beyond the palette (``noun`` names them) and "no group"; as they
    share one colour, the legend shows them as one row that says why they are grey.
    Coloured rows beyond ``limit`` become "N more groups" (no swatch).
    """
    if not noun:
        out, rest, grey = rows[:limit], rows[limit:], []
    else:
        coloured = [r for r in rows if r["color"] != NO_GROUP]
        grey = [r for r in rows if r["color"] == NO_GROUP]
        out, rest = coloured[:limit], coloured[limit:]
    beyond = [r for r in grey if not r.get("none")]
    if beyond:
        none = [r for r in grey if r.get("none")]
        label = f"{len(beyond)} other {noun} (grey: the palette has {len(PALETTE)} colours)"
        out.append({"color": NO_GROUP, "label": label + (f" and {none[0]['label']}" if none else ""),
                    "count": sum(r["count"] for r in grey)})
    else:
        out.extend(grey)
    if rest:
        out.append({"color": None, "label": f"{len(rest)} more groups", "count": sum(r["count"] for r in rest)})
    return [{k: v for k, v in r.items() if k != "none"} for r in out]

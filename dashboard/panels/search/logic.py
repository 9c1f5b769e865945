"""Search logic: fuzzy look-up of entities by name or any alias (rapidfuzz; pure, no Dash)."""

from __future__ import annotations

import pandas as pd
from rapidfuzz import fuzz, process, utils

__all__ = ["SearchIndex"]


class SearchIndex:
    """Names and aliases of every entity, searchable with typos.

    Examples
    --------
    >>> idx = SearchIndex(pd.DataFrame({"entity_id": ["q"], "name": ["Qais al-Khazali"], "type": ["person"],
    ...                                 "aliases": [["Qayis al-Khazali"]], "n_mentions": [3]}))
    >>> idx.search("qayis")[0]["value"]
    'q'
    """

    def __init__(self, entities: pd.DataFrame):
        self.labels: list[str] = []
        self.owner: list[str] = []
        self.names: dict[str, str] = {}
        self.types: dict[str, str] = {}
        self.weight: dict[str, float] = {}
        for eid, name, etype, aliases, n in zip(entities["entity_id"], entities["name"], entities["type"],
                                                entities["aliases"], entities.get("n_mentions", pd.Series(0, index=entities.index))):
            self.names[eid] = str(name)
            self.types[eid] = str(etype)
            self.weight[eid] = float(n or 0)
            for label in [name, *(aliases if aliases is not None else [])]:
                if label:
                    self.labels.append(str(label))
                    self.owner.append(eid)
        self._processed = [utils.default_process(label) for label in self.labels]

    def search(self, query: str, limit: int = 10, cutoff: float = 60.0) -> list[dict]:
        """Return dropdown options (label, value) for ``query``, best match first.

        A label shows the entity's name, and the alias that matched when it is not the name.
        """
        q = utils.default_process(query or "")
        if not q:
            return []
        hits = process.extract(q, self._processed, scorer=fuzz.WRatio, processor=None,
                               limit=max(limit * 4, 20), score_cutoff=cutoff)
        best: dict[str, tuple[float, str]] = {}
        for _, score, i in hits:
            label = self._processed[i]
            if label.startswith(q):
                score += 10  # prefix matches first
            eid = self.owner[i]
            if eid not in best or score > best[eid][0]:
                best[eid] = (score, self.labels[i])
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], -self.weight.get(kv[0], 0.0), self.names[kv[0]]))
        out = []
        for eid, (_, label) in ranked[:limit]:
            name = self.names[eid]
            text = name if label == name else f"{name} — “{label}”"
            out.append({"label": f"{text} ({self.types[eid]})", "value": eid})
        return out

    def option(self, eid: str) -> dict | None:
        """The option for one entity (to keep the current value in the dropdown's options)."""
        if eid not in self.names:
            return None
        return {"label": f"{self.names[eid]} ({self.types[eid]})", "value": eid}

    def options(self, query, value=None) -> list[dict]:
        """Dropdown options for what the user typed: :meth:`search` of ``query`` (cut to 100
        characters), plus the currently chosen ``value`` when the matches leave it out, so
        the dropdown keeps showing it. An empty query gives ``[]``.
        """
        if not query:
            return []
        found = self.search(str(query)[:100])
        current = self.option(value) if isinstance(value, str) and value else None
        if current and all(o["value"] != value for o in found):
            found.append(current)
        return found

"""Header logic: the visible/total counts line and the About text (pure, no Dash)."""

from __future__ import annotations

import pandas as pd

__all__ = ["stats_text", "ABOUT_SECTIONS", "source_summary"]


def stats_text(counts: dict, total: dict) -> str:
    """``"12/40 entities · 27/90 links · 7/30 passages · 2/5 documents"`` (visible/total)."""
    parts = []
    for key in ("entities", "links", "passages", "documents"):
        parts.append(f"{int(counts.get(key, 0)):,}/{int(total.get(key, 0)):,} {key}")
    return " · ".join(parts)


#: The About panel, as (heading, paragraphs); plain text only.
ABOUT_SECTIONS: list[tuple[str, list[str]]] = [
    ("What this is", [
        "A network explorer for archives of interrogation reports: who is connected to whom, when, and on "
        "what evidence. Every link is backed by passages you can read, each with its source.",
    ]),
    ("The embedded dataset is a sample", [
        "The default dataset is a SAMPLE compiled from public reporting about the Khazali papers — the "
        "Tactical Interrogation Reports of Qayis al-Khazali (captured in Basra on 20 March 2007, declassified "
        "by CENTCOM and published by the American Enterprise Institute in August 2018). It is not the reports "
        "themselves: passages are short summaries in our own words, each citing the public article or "
        "analysis it comes from.",
    ]),
    ("Claim classes", [
        "reports — the source attributes the statement to the interrogation reports.",
        "analysis — an analyst's inference from the reports.",
        "official — official statements of 2007.",
        "background — background reporting, not drawn from the reports.",
        "Disputed facts are kept as separate claims, each with its own source. Filter by claim class in the "
        "sidebar to see only what the reports themselves are said to contain.",
    ]),
    ("How links are made", [
        "Two entities are co-mentioned when one passage names both; typed relations (e.g. funded, commanded) "
        "are curated and tied to a passage. A link's weight is the number of passages of evidence. Colours "
        "show communities detected on the current view (Louvain, seeded) matched to the dataset-wide "
        "communities so they stay stable while you filter.",
    ]),
    ("Build from the real reports", [
        "Download the declassified reports (PDF) published by the American Enterprise Institute, put them in "
        "a corpus folder next to an entities.csv gazetteer (see docs/corpus-format.md), then run: "
        "python -m dashboard build CORPUS --out DATA_DIR and start the app with: python app.py --data DATA_DIR",
    ]),
]


def source_summary(documents: pd.DataFrame, limit: int = 15) -> list[str]:
    """One line per publisher of the dataset's documents, most documents first (plain text)."""
    if documents.empty:
        return []
    pubs = documents["publisher"].fillna("unknown publisher").astype(str).str.strip().replace("", "unknown publisher")
    counts = pubs.value_counts()
    counts = counts.sort_index().sort_values(ascending=False, kind="stable")
    lines = [f"{pub} — {n} document{'s' if n != 1 else ''}" for pub, n in counts.head(limit).items()]
    if len(counts) > limit:
        rest = int(counts.iloc[limit:].sum())
        lines.append(f"… and {len(counts) - limit} more publishers ({rest} documents)")
    return lines

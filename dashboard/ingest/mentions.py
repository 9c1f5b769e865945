"""Link passages to entities and derive the mention-based tables.

One job: run the linker (:mod:`dashboard.ingest.linker`, owned by the linking work) over the
passages, report alias conflicts, and build ``mentions``, per-entity mention statistics and the
unmatched-name ``candidates`` table. This module does no matching of its own.
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from dashboard.errors import ProblemLog
from dashboard.ingest.candidates import find_candidates, summarize_candidates
from dashboard.ingest.linker import Linker
from dashboard.ingest.parallel import run_chunks

__all__ = ["make_linker", "link_passages", "link_and_find", "entity_stats", "candidate_table", "CONTEXT_CHARS", "MIN_PARALLEL_PASSAGES"]

CONTEXT_CHARS = 60  # characters of context on each side of a candidate name
MIN_PARALLEL_PASSAGES = 2000  # fewer passages are linked in one process (a pool costs more than it saves)
MENTION_COLUMNS = ["passage_id", "entity_id", "start", "end", "surface", "method", "score"]


def make_linker(entities: pd.DataFrame, fuzzy_threshold: int, entities_file: str, log: ProblemLog) -> Linker:
    """Build the linker and log each alias claimed by two or more entities as a warning."""
    linker = Linker(entities[["entity_id", "name", "type", "aliases"]].reset_index(drop=True), fuzzy_threshold=fuzzy_threshold)
    lines = dict(zip(entities["entity_id"], entities["src_line"], strict=True)) if "src_line" in entities else {}
    for alias, ids in linker.alias_conflicts:
        where = ", ".join(f"{i} (line {lines[i]})" if i in lines else i for i in ids)
        log.warn(
            entities_file,
            f"alias {alias!r} is claimed by {where}; it links to none of them — keep it on one entity only",
            field="aliases",
        )
    return linker


def link_passages(linker: Linker, passages: pd.DataFrame) -> tuple[pd.DataFrame, list[list]]:
    """Return ``(mentions, per-passage Mention lists)`` for ``passages`` (in row order)."""
    found = linker.link_many(list(passages["text"]))
    rows = [
        (pid, m.entity_id, m.start, m.end, m.surface, m.method, float(m.score))
        for pid, ms in zip(passages["passage_id"], found, strict=True)
        for m in ms
    ]
    return _mention_frame(rows), found


def _link_chunk(items: list[tuple[str, str]], linker: Linker) -> tuple[list[tuple], list[tuple]]:
    """Mention rows and candidate rows of consecutive ``(passage_id, text)`` pairs."""
    found = linker.link_many([text for _, text in items])
    rows, candidates = [], []
    for (pid, text), ms in zip(items, found, strict=True):
        rows.extend((pid, m.entity_id, m.start, m.end, m.surface, m.method, float(m.score)) for m in ms)
        if isinstance(text, str):
            candidates.extend(_candidate_rows(pid, text, ms))
    return rows, candidates


def link_and_find(linker: Linker, passages: pd.DataFrame, jobs: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return ``(mentions, candidates)`` of ``passages``: :func:`link_passages` then :func:`candidate_table`.

    With ``jobs`` other than 1, chunks of passages are linked by forked worker processes that
    share the linker (:mod:`.parallel`); the rows come back in passage order, so both tables
    are the same whatever the number of workers.
    """
    items = list(zip(passages["passage_id"].tolist(), passages["text"].tolist(), strict=True))
    chunks = run_chunks(partial(_link_chunk, linker=linker), items, jobs, MIN_PARALLEL_PASSAGES)
    rows = [r for chunk_rows, _ in chunks for r in chunk_rows]
    found = [c for _, chunk_candidates in chunks for c in chunk_candidates]
    return _mention_frame(rows), summarize_candidates(found)


def _mention_frame(rows: list[tuple]) -> pd.DataFrame:
    mentions = pd.DataFrame(rows, columns=MENTION_COLUMNS)
    mentions["start"] = mentions["start"].astype("int32")
    mentions["end"] = mentions["end"].astype("int32")
    mentions["score"] = mentions["score"].astype("float64")
    return mentions.sort_values(["passage_id", "start", "end", "entity_id"], kind="stable").reset_index(drop=True)


def entity_stats(entity_ids: pd.Series, mentions: pd.DataFrame, passages: pd.DataFrame) -> pd.DataFrame:
    """Per entity: ``n_mentions, n_passages, n_documents, first, last`` (zeros / nulls when unmentioned).

    ``first``/``last`` are the earliest ``date_start`` and the latest ``date_end`` of the
    passages mentioning the entity.
    """
    m = mentions.merge(passages[["passage_id", "doc_id", "date_start", "date_end"]], on="passage_id", how="left")
    g = m.groupby("entity_id")
    stats = pd.DataFrame(
        {
            "n_mentions": g.size(),
            "n_passages": g["passage_id"].nunique(),
            "n_documents": g["doc_id"].nunique(),
            "first": g["date_start"].min(),
            "last": g["date_end"].max(),
        }
    )
    out = stats.reindex(pd.Index(entity_ids, name="entity_id"))
    for col in ("n_mentions", "n_passages", "n_documents"):
        out[col] = out[col].fillna(0).astype("int32")
    out["first"] = out["first"].astype(object).where(out["first"].notna(), None)
    out["last"] = out["last"].astype(object).where(out["last"].notna(), None)
    return out.reset_index()


def _candidate_rows(pid: str, text: str, ms: list) -> list[tuple[str, str, str]]:
    rows = []
    for start, end, surface in find_candidates(text, ms):
        lo, hi = max(0, start - CONTEXT_CHARS), min(len(text), end + CONTEXT_CHARS)
        context = ("…" if lo else "") + text[lo:hi] + ("…" if hi < len(text) else "")
        rows.append((surface, pid, context))
    return rows


def candidate_table(passages: pd.DataFrame, found: list[list]) -> pd.DataFrame:
    """Names that look like entities but matched none, summarised for the curator."""
    rows = []
    for pid, text, ms in zip(passages["passage_id"], passages["text"], found, strict=True):
        rows.extend(_candidate_rows(pid, text, ms))
    return summarize_candidates(rows)

"""Mention highlighting and safe links, shared by the excerpt, reader and timeline panels.

Everything here is pure: text and offsets in, plain data out. The panels turn the
segments into ``html.Mark``/``html.Span`` components whose children are the segment
strings, so document text is always rendered as text, never parsed as HTML.

Examples
--------
>>> segments("Qais met Laith.", [(0, 4, "q"), (9, 14, "l")], emphasized={"q"})
... # doctest: +NORMALIZE_WHITESPACE
[{'text': 'Qais', 'entity_id': 'q', 'emphasized': True},
 {'text': ' met ', 'entity_id': None, 'emphasized': False},
 {'text': 'Laith', 'entity_id': 'l', 'emphasized': False},
 {'text': '.', 'entity_id': None, 'emphasized': False}]
>>> is_http_url("https://www.aei.org/x"), is_http_url("javascript:alert(1)")
(True, False)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

import pandas as pd

__all__ = ["segments", "mention_spans", "is_http_url", "plain_label"]


def mention_spans(mentions, length: int) -> list[tuple[int, int, str]]:
    """Return non-overlapping ``(start, end, entity_id)`` spans, clipped to ``[0, length]``.

    Parameters
    ----------
    mentions : DataFrame or iterable
        A frame with ``start``, ``end`` and ``entity_id`` columns, or an iterable of
        ``(start, end, entity_id)`` tuples or of mappings with those keys.
    length : int
        Length of the text the offsets point into.

    Returns
    -------
    list of tuple
        Sorted by start. Where mentions overlap, the longest wins (then the earliest,
        then the smallest entity id, so the result does not depend on input order);
        spans that are empty, inverted or outside the text are dropped.
    """
    spans: list[tuple[int, int, str]] = []
    for start, end, eid in _iter_mentions(mentions):
        try:
            start, end = int(start), int(end)
        except (TypeError, ValueError):
            continue
        start, end = max(start, 0), min(end, length)
        if end <= start or eid is None:
            continue
        spans.append((start, end, str(eid)))
    spans.sort(key=lambda s: (-(s[1] - s[0]), s[0], s[2]))
    taken: list[tuple[int, int, str]] = []
    for span in spans:
        if all(span[1] <= t[0] or span[0] >= t[1] for t in taken):
            taken.append(span)
    return sorted(taken)


def segments(text: str | None, mentions, emphasized: Iterable[str] = ()) -> list[dict]:
    """Split ``text`` into plain and mention segments.

    Parameters
    ----------
    text : str or None
        The passage text (``None`` gives no segments).
    mentions : DataFrame or iterable
        Mention offsets into ``text``; see :func:`mention_spans`.
    emphasized : iterable of str
        Entity ids whose mentions are flagged ``emphasized`` (the selection).

    Returns
    -------
    list of dict
        ``{"text", "entity_id", "emphasized"}`` in text order; joining the ``text``
        values gives back ``text`` exactly. ``entity_id`` is ``None`` for plain text.
    """
    if not text:
        return []
    emphasized = {str(e) for e in emphasized}
    out: list[dict] = []
    pos = 0
    for start, end, eid in mention_spans(mentions, len(text)):
        if start > pos:
            out.append({"text": text[pos:start], "entity_id": None, "emphasized": False})
        out.append({"text": text[start:end], "entity_id": eid, "emphasized": eid in emphasized})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:], "entity_id": None, "emphasized": False})
    return out


def is_http_url(url) -> bool:
    """Return True if ``url`` is an absolute ``http``/``https`` URL with a host.

    Only such URLs may become clickable links; anything else (``javascript:``,
    ``data:``, relative paths, file paths) is shown as plain text.
    """
    if not isinstance(url, str):
        return False
    url = url.strip()
    if not url or any(ord(c) < 33 for c in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def plain_label(value, limit: int = 80) -> str:
    """Return ``value`` as a single-line string of at most ``limit`` characters (for labels)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _iter_mentions(mentions):
    if mentions is None:
        return
    if isinstance(mentions, pd.DataFrame):
        if mentions.empty:
            return
        yield from zip(mentions["start"], mentions["end"], mentions["entity_id"])
        return
    for m in mentions:
        if isinstance(m, Mapping):
            yield m.get("start"), m.get("end"), m.get("entity_id")
        else:
            yield m[0], m[1], m[2]

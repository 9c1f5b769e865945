"""The document reader: a whole document, its passages in order, every mention marked.

Pure: the dataset in, one dict out; the layout renders it in a modal.
"""

from __future__ import annotations

import pandas as pd

from dashboard.panels.excerpts.logic import format_loose_date, passage_items
from dashboard.panels.highlight import is_http_url
from dashboard.panels.index import data_index

__all__ = ["document_view", "resolve_target"]


def _clean(value):
    if value is None or (not isinstance(value, (list, dict, str)) and pd.isna(value)):
        return None
    return value


def document_view(data, doc_id: str, emphasized=(), target: str | None = None) -> dict | None:
    """Describe document ``doc_id`` for the reader.

    Parameters
    ----------
    data : Tables
    doc_id : str
    emphasized : iterable of str
        Entity ids whose mentions are emphasized (the selection).
    target : str or None
        The passage the reader was opened at; flagged ``is_target``.

    Returns
    -------
    dict or None
        ``None`` for an unknown document. Otherwise ``doc_id, title, publisher, url,
        url_is_http, published, published_label, kind, source_file, n_pages,
        n_passages, entities`` (distinct entities mentioned) and ``passages``: items
        as :func:`dashboard.panels.excerpts.logic.passage_items` in document order,
        each with ``is_target`` and ``page_break`` (the page number where a new PDF
        page starts, else None).
    """
    docs = data.documents
    hit = docs[docs["doc_id"] == doc_id]
    if hit.empty:
        return None
    doc = hit.iloc[0]
    items = passage_items(data, data_index(data).doc_passages.get(doc_id, []), emphasized)
    last_page = None
    entities: set[str] = set()
    for item in items:
        item["is_target"] = item["passage_id"] == target
        page = item["page"]
        item["page_break"] = page if page is not None and page != last_page else None
        if page is not None:
            last_page = page
        entities.update(item["names"])
    url = _clean(doc.get("url"))
    n_pages = _clean(doc.get("n_pages"))
    return {
        "doc_id": doc_id,
        "title": _clean(doc.get("title")) or doc_id,
        "publisher": _clean(doc.get("publisher")),
        "url": url,
        "url_is_http": is_http_url(url),
        "published": _clean(doc.get("published")),
        "published_label": format_loose_date(_clean(doc.get("published"))),
        "kind": _clean(doc.get("kind")),
        "source_file": _clean(doc.get("source_file")),
        "n_pages": None if n_pages is None else int(n_pages),
        "n_passages": len(items),
        "entities": sorted(entities),
        "passages": items,
    }


def resolve_target(data, doc_id=None, passage_id=None) -> tuple[str | None, str | None]:
    """Return ``(doc_id, passage_id)`` to open, checking both exist and belong together.

    A passage alone determines its document; a document alone opens at its start;
    unknown ids give ``(None, None)``.
    """
    passages = data.passages
    doc_id = doc_id if isinstance(doc_id, str) else None
    passage_id = passage_id if isinstance(passage_id, str) else None
    if passage_id is not None:
        hit = passages[passages["passage_id"] == passage_id]
        if not hit.empty:
            return str(hit.iloc[0]["doc_id"]), str(passage_id)
    if doc_id is not None and (data.documents["doc_id"] == doc_id).any():
        return str(doc_id), None
    return None, None

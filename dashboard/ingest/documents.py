"""Turn document files into the ``documents`` and ``passages`` tables.

One job: for every file, read its metadata and passages (through :mod:`.frontmatter`,
:mod:`.passages` and :mod:`.pdf`), then give each passage its id, claim class and event
dates. Dates come from the passage's curated tag (``date_source = "explicit"``), else from
its text (``"text"``, through :func:`dashboard.ingest.dates.extract_dates`), else none;
``date: none`` means no date and no extraction.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pandas as pd

from dashboard.errors import ProblemLog
from dashboard.ingest.corpus import Corpus, read_text
from dashboard.ingest.dates import extract_dates
from dashboard.ingest.frontmatter import DocMeta, check_meta, parse_meta, split_front_matter
from dashboard.ingest.passages import RawPassage, split_passages
from dashboard.ingest.parallel import run_chunks
from dashboard.ingest.pdf import read_pdf

__all__ = ["read_document", "read_documents", "passage_rows", "MIN_PARALLEL_DOCUMENTS"]

DOCUMENT_COLUMNS = ["doc_id", "title", "publisher", "url", "published", "kind", "source_file", "n_pages"]
PASSAGE_COLUMNS = [
    "passage_id", "doc_id", "seq", "page", "text", "date_start", "date_end",
    "date_precision", "date_source", "claim_class", "src_line",
]
#: Fewer documents than this are read in one process (a pool costs more than it saves).
MIN_PARALLEL_DOCUMENTS = 200


def read_document(path: Path, corpus: Corpus, log: ProblemLog) -> tuple[dict, list[RawPassage], DocMeta] | None:
    """Read one document file; ``None`` when it cannot be read (the problem is logged)."""
    name = str(path)
    n_pages = None
    if path.suffix.lower() == ".pdf":
        pdf = read_pdf(path, log)
        if pdf is None:
            return None
        meta, raw, n_pages = pdf.meta, pdf.passages, pdf.n_pages
    else:
        text = read_text(path, log, corpus.max_text_bytes)
        if text is None:
            return None
        yaml_text, body, body_line = split_front_matter(text, name, log)
        meta = DocMeta()
        if yaml_text is not None:
            data = parse_meta(yaml_text, name, log, first_line=2)
            if data is not None:
                meta = check_meta(data, name, log, yaml_text, first_line=2)
        raw = split_passages(body, name, log, first_line=body_line)
    if not raw:
        log.warn(name, "no passages (no text blocks after the front matter)")
    row = {
        "doc_id": path.stem,
        "title": meta.title or path.stem,
        "publisher": meta.publisher,
        "url": meta.url,
        "published": meta.published,
        "kind": meta.kind,
        "source_file": corpus.rel(path),
        "n_pages": n_pages,
    }
    return row, raw, meta


def passage_rows(doc_id: str, raw: list[RawPassage], meta: DocMeta) -> list[dict]:
    """Give passages of one document their ids, claim classes and event dates.

    Examples
    --------
    >>> from dashboard.ingest.passages import Tag
    >>> rows = passage_rows("d", [RawPassage("In 2005 x.", 3, None, Tag())], DocMeta())
    >>> rows[0]["passage_id"], rows[0]["date_source"], rows[0]["claim_class"]
    ('d:0', 'text', 'background')
    """
    rows = []
    for seq, p in enumerate(raw):
        tag = p.tag
        date, source = None, None
        if tag is not None and tag.date is not None:
            date, source = tag.date, "explicit"
        elif tag is None or not tag.no_date:
            date = extract_dates(p.text)
            source = "text" if date is not None else None
        rows.append(
            {
                "passage_id": f"{doc_id}:{seq}",
                "doc_id": doc_id,
                "seq": seq,
                "page": p.page,
                "text": p.text,
                "date_start": date.start if date else None,
                "date_end": date.end if date else None,
                "date_precision": date.precision if date else None,
                "date_source": source,
                "claim_class": (tag.claim if tag is not None and tag.claim else None) or meta.claim_class,
                "src_line": p.line,
            }
        )
    return rows


def _read_chunk(paths: list[Path], corpus: Corpus) -> tuple[list[dict], list[dict], list]:
    """Document rows, passage rows and the problems logged, for consecutive files."""
    log = ProblemLog()
    docs, passages = [], []
    for path in paths:
        result = read_document(path, corpus, log)
        if result is None:
            continue
        row, raw, meta = result
        docs.append(tuple(row[c] for c in DOCUMENT_COLUMNS))
        # tuples, not dicts: a third of the bytes to send back from a worker
        passages.extend(tuple(p[c] for c in PASSAGE_COLUMNS) for p in passage_rows(row["doc_id"], raw, meta))
    return docs, passages, log.problems


def read_documents(corpus: Corpus, log: ProblemLog, progress=None, jobs: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read every document of ``corpus``; return ``(documents, passages)`` frames.

    ``passages`` carries an extra ``src_line`` column (line or page where the passage starts).
    With ``jobs`` other than 1, chunks of files are read by worker processes
    (:mod:`.parallel`); rows and problems come back in file order, so the result is the same.
    """
    docs, passages = [], []
    update = progress.update if progress is not None else None
    chunks = run_chunks(partial(_read_chunk, corpus=corpus), corpus.documents, jobs, MIN_PARALLEL_DOCUMENTS, update)
    for chunk_docs, chunk_passages, problems in chunks:
        docs.extend(chunk_docs)
        passages.extend(chunk_passages)
        log.problems.extend(problems)
    documents = pd.DataFrame(docs, columns=DOCUMENT_COLUMNS)
    documents["n_pages"] = documents["n_pages"].astype("Int32")
    passages_df = pd.DataFrame(passages, columns=PASSAGE_COLUMNS)
    passages_df["seq"] = passages_df["seq"].astype("int32")
    passages_df["page"] = passages_df["page"].astype("Int32")
    return documents, passages_df

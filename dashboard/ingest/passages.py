"""Split a document body into passages and read their curated tags.

A passage is a block of text between blank lines; heading lines (``#``) are dropped and a
block of headings only is no passage; lines inside a block are joined with a space. A block
may begin with a tag comment ``<!-- date: ...; claim: ... -->`` that sets the passage's event
date and/or claim class; a tag alone in its block applies to the next passage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from dashboard.errors import ProblemLog
from dashboard.ingest.dates import DateRange, parse_partial
from dashboard.tables import CLAIM_CLASSES

__all__ = ["RawPassage", "Tag", "split_blocks", "parse_tag", "split_passages"]

_TAG = re.compile(r"^\s*<!--(.*?)-->", re.S)
TAG_KEYS = ("date", "claim")


@dataclass
class Tag:
    """A parsed passage tag. ``date`` is ``None`` when absent; ``no_date`` for ``date: none``."""

    date: DateRange | None = None
    no_date: bool = False
    claim: str | None = None


@dataclass
class RawPassage:
    """A passage as read from a file, before linking and dating.

    Attributes
    ----------
    text : str
        Passage text (tag removed, lines joined).
    line : int
        1-based line of the file where the block starts (for messages).
    page : int or None
        1-based PDF page, ``None`` for text files.
    tag : Tag
        The curated tag (empty when there is none).
    """

    text: str
    line: int
    page: int | None = None
    tag: Tag | None = None


def split_blocks(body: str, first_line: int = 1) -> list[tuple[int, list[str]]]:
    """Return ``(line_number, lines)`` for every block of non-blank lines of ``body``.

    Examples
    --------
    >>> split_blocks("a\\nb\\n\\n\\nc", 5)
    [(5, ['a', 'b']), (9, ['c'])]
    """
    blocks: list[tuple[int, list[str]]] = []
    current: list[str] = []
    start = first_line
    for i, line in enumerate(body.split("\n")):
        if line.strip():
            if not current:
                start = first_line + i
            current.append(line)
        elif current:
            blocks.append((start, current))
            current = []
    if current:
        blocks.append((start, current))
    return blocks


def parse_tag(content: str, name: str, line: int, log: ProblemLog) -> Tag:
    """Parse the inside of a tag comment (``date: ...; claim: ...``), logging bad values.

    Examples
    --------
    >>> parse_tag(" date: 2007-03-20; claim: official ", "x.md", 3, ProblemLog()).claim
    'official'
    """
    tag = Tag()
    for part in content.split(";"):
        if not part.strip():
            continue
        key, sep, value = part.partition(":")
        key, value = key.strip().lower(), value.strip()
        if not sep or key not in TAG_KEYS:
            log.warn(name, f"unknown passage tag {part.strip()!r} ignored; a tag reads <!-- date: ...; claim: ... -->", line=line, field="tag")
            continue
        if key == "date":
            if value.lower() == "none":
                tag.no_date = True
                continue
            try:
                tag.date = parse_partial(value)
            except ValueError as exc:
                log.error(
                    name,
                    f"passage date {value!r} is not valid ({exc}); use YYYY, YYYY-MM, YYYY-MM-DD, START..END or none",
                    line=line,
                    field="date",
                )
        else:
            if value in CLAIM_CLASSES:
                tag.claim = value
            else:
                log.error(
                    name, f"unknown claim {value!r}; use one of {', '.join(CLAIM_CLASSES)}", line=line, field="claim"
                )
    return tag


def _join(lines: list[str]) -> str:
    return " ".join(" ".join(line.split()) for line in lines if line.strip()).strip()


def split_passages(body: str, name: str, log: ProblemLog, first_line: int = 1) -> list[RawPassage]:
    """Split a Markdown/text body into passages with their tags (see module docstring)."""
    passages: list[RawPassage] = []
    pending: Tag | None = None
    pending_line = 0
    for start, lines in split_blocks(body, first_line):
        text = "\n".join(lines)
        tag = None
        match = _TAG.match(text)
        if match:
            tag_line = start
            tag = parse_tag(match.group(1), name, tag_line, log)
            consumed = text[: match.end()].count("\n")
            text = text[match.end() :]
            start += consumed
        kept = [ln for ln in text.split("\n") if not ln.lstrip().startswith("#")]
        content = _join(kept)
        if not content:
            if tag is not None:
                if pending is not None:
                    log.warn(name, "a tag is followed by another tag; the first one is ignored", line=pending_line, field="tag")
                pending, pending_line = tag, start
            continue
        if tag is None:
            tag = pending
        elif pending is not None:
            log.warn(name, "a tag alone in its block is followed by a tagged passage; it is ignored", line=pending_line, field="tag")
        pending = None
        first_text_line = start + next((i for i, ln in enumerate(text.split("\n")) if ln.strip() and not ln.lstrip().startswith("#")), 0)
        passages.append(RawPassage(text=content, line=first_text_line, tag=tag or Tag()))
    if pending is not None:
        log.warn(name, "a tag at the end of the file has no passage after it; it is ignored", line=pending_line, field="tag")
    return passages

"""Document metadata: YAML front matter of Markdown/text files and side files of PDFs.

:func:`split_front_matter` separates the ``---`` block from the body; :func:`parse_meta`
parses YAML and :func:`check_meta` checks the keys of ``docs/corpus-format.md``, logging
each problem with the file, the line and the key.

Policy: an unknown ``claim_class`` and an impossible ``published`` date are errors; a ``url``
that is not ``http(s)`` is a warning and the url is dropped (only web addresses become
links in the app); unknown keys are warnings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import yaml

from dashboard.errors import ProblemLog
from dashboard.ingest.dates import parse_partial
from dashboard.tables import CLAIM_CLASSES

__all__ = ["DocMeta", "META_KEYS", "TextLoader", "split_front_matter", "parse_meta", "check_meta"]

META_KEYS = ("title", "publisher", "url", "published", "kind", "claim_class")


_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~10x faster


class TextLoader(_SafeLoader):
    """A safe YAML loader that keeps dates as text (``2018-02-30`` is reported by us, not by PyYAML).

    Aliases (``*name``) are refused: metadata never needs them, and nested aliases expand
    exponentially when the value is turned into text (the "billion laughs" file). The check
    sits in the constructor (an alias is a second reference to an already built node), so it
    works with libyaml's C parser as well as the pure-Python one.
    """

    def construct_object(self, node, deep=False):
        if node in self.constructed_objects or node in self.recursive_objects:
            raise yaml.constructor.ConstructorError(
                None, None, "aliases (*name) are not allowed; the value anchored here (&name) is reused, write it out", node.start_mark
            )
        return super().construct_object(node, deep)


TextLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class DocMeta:
    """Checked metadata of one document; ``None`` where not given."""

    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None  # YYYY-MM-DD (start of a partial date)
    kind: str | None = None
    claim_class: str = "background"


def split_front_matter(text: str, name: str, log: ProblemLog) -> tuple[str | None, str, int]:
    """Split ``text`` into ``(yaml_text or None, body, body_first_line)``.

    Front matter starts with a ``---`` first line and ends at the next line that is ``---``
    (or ``...``). ``body_first_line`` is the 1-based line number of the body's first line.

    Examples
    --------
    >>> split_front_matter("---\\ntitle: A\\n---\\nBody", "x.md", ProblemLog())
    ('title: A\\n', 'Body', 4)
    """
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, text, 1
    for i in range(1, len(lines)):
        if lines[i].rstrip() in ("---", "..."):
            yaml_text = "\n".join(lines[1:i]) + "\n"
            return yaml_text, "\n".join(lines[i + 1 :]), i + 2
    log.error(name, "front matter opened with '---' is never closed; add a '---' line after the last key", line=1)
    return None, "", len(lines) + 1


def parse_meta(yaml_text: str, name: str, log: ProblemLog, first_line: int = 2) -> dict | None:
    """Parse YAML into a dict; log a YAML error with its line (``first_line`` is the YAML's line 1)."""
    try:
        data = yaml.load(yaml_text, Loader=TextLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        log.error(
            name,
            f"front matter is not valid YAML: {problem}",
            line=(mark.line + first_line) if mark is not None else first_line,
        )
        return None
    if data is None:
        return {}
    if not isinstance(data, dict):
        log.error(name, "front matter must be 'key: value' lines", line=first_line)
        return None
    return data


def _key_line(yaml_text: str, key: str, first_line: int) -> int:
    for i, line in enumerate(yaml_text.split("\n")):
        if line.split(":", 1)[0].strip() == key:
            return first_line + i
    return first_line


def _as_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    text = " ".join(str(value).split())
    return text or None


def check_meta(data: dict, name: str, log: ProblemLog, yaml_text: str = "", first_line: int = 2) -> DocMeta:
    """Check the metadata keys and return a :class:`DocMeta` (bad values are left out)."""
    meta = DocMeta()

    def where(key: str) -> int:
        return _key_line(yaml_text, key, first_line)

    for key in data:
        if str(key) not in META_KEYS:
            log.warn(name, f"unknown key {key!r} ignored; known keys: {', '.join(META_KEYS)}", line=where(str(key)), field=str(key))
    meta.title = _as_text(data.get("title"))
    meta.publisher = _as_text(data.get("publisher"))
    meta.kind = _as_text(data.get("kind"))
    url = _as_text(data.get("url"))
    if url:
        if url.lower().startswith(("http://", "https://")) and " " not in url:
            meta.url = url
        else:
            log.warn(name, f"url {url!r} is not an http(s) address; it is left out", line=where("url"), field="url")
    published = _as_text(data.get("published"))
    if published:
        try:
            meta.published = parse_partial(published).start
        except ValueError as exc:
            log.error(
                name,
                f"published {published!r} is not a date ({exc}); use YYYY-MM-DD, YYYY-MM or YYYY",
                line=where("published"),
                field="published",
            )
    claim = _as_text(data.get("claim_class"))
    if claim:
        if claim in CLAIM_CLASSES:
            meta.claim_class = claim
        else:
            log.error(
                name,
                f"unknown claim_class {claim!r}; use one of {', '.join(CLAIM_CLASSES)}",
                line=where("claim_class"),
                field="claim_class",
            )
    return meta

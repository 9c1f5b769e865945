"""Find and read the files of a corpus folder: text decoding, the two CSV files, the document list.

This module knows where things are in ``SRC`` (see ``docs/corpus-format.md``) and how to turn
bytes into text and tables; it does not interpret documents (see :mod:`.frontmatter`,
:mod:`.passages`, :mod:`.pdf`). Every problem goes to a :class:`~dashboard.errors.ProblemLog`
with the file as the user named it and the line or row number a text editor shows.

Encoding policy: text files must be UTF-8 (a BOM is accepted and dropped, CRLF and CR line
ends are turned into ``\\n``). A file that is not valid UTF-8 is an error naming the file and
the line of the first bad byte, asking to re-save it as UTF-8. We do not guess cp1252 or
Latin-1: a wrong guess silently corrupts names, which is worse than stopping.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from dashboard.errors import ProblemLog
from dashboard.ingest.frontmatter import TextLoader
from dashboard.tables import ENTITY_TYPES

__all__ = [
    "Corpus",
    "DOCUMENT_SUFFIXES",
    "ENTITY_COLUMNS",
    "RELATION_COLUMNS",
    "decode_text",
    "read_text",
    "read_csv",
    "read_entities",
    "list_documents",
    "read_dataset_info",
    "split_list",
]

DOCUMENT_SUFFIXES = (".md", ".txt", ".pdf")
ENTITY_COLUMNS = {"required": ("entity_id", "name", "type"), "optional": ("aliases", "affiliations", "description")}
RELATION_COLUMNS = {
    "required": ("source", "target", "relation", "doc_id", "passage"),
    "optional": ("claim_class",),
}
ENTITY_ID = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass
class Corpus:
    """The located parts of a corpus folder.

    Attributes
    ----------
    root : Path
        The corpus folder.
    documents : list of Path
        Document files (``.md``, ``.txt``, ``.pdf``) sorted by name.
    title, description : str
        From ``dataset.yml`` when present, else the folder name and ``""``.
    input_files : list of Path
        Every file the build reads (for the manifest's checksums).
    max_text_bytes : int or None
        Largest ``.md``/``.txt`` document read (setting ``max_text_mb``); larger ones are an error.
    """

    root: Path
    documents: list[Path] = field(default_factory=list)
    title: str = ""
    description: str = ""
    input_files: list[Path] = field(default_factory=list)
    max_text_bytes: int | None = None

    def rel(self, path: Path) -> str:
        """Return ``path`` relative to the corpus folder, with ``/`` separators."""
        try:
            return Path(path).relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def decode_text(data: bytes, name: str, log: ProblemLog) -> str | None:
    """Decode UTF-8 bytes (BOM dropped, line ends normalised to ``\\n``).

    Returns ``None`` and logs an error naming the line of the first bad byte when the bytes
    are not UTF-8.

    Examples
    --------
    >>> decode_text(b"\\xef\\xbb\\xbfa\\r\\nb", "x.md", ProblemLog())
    'a\\nb'
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        log.error(
            name,
            f"not UTF-8 (byte 0x{data[exc.start]:02x} cannot be decoded); re-save the file as UTF-8",
            line=line,
        )
        return None
    nul = text.find("\x00")
    if nul >= 0:
        log.error(
            name,
            "contains NUL bytes, so it is a binary file, not text; export it as UTF-8 text (or PDF)",
            line=text.count("\n", 0, nul) + 1,
        )
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(path: Path, log: ProblemLog, max_bytes: int | None = None) -> str | None:
    """Read a text file as UTF-8 (see :func:`decode_text`); ``None`` after logging a problem.

    A file larger than ``max_bytes`` is an error and is not read (memory stays bounded).
    """
    try:
        size = Path(path).stat().st_size
        if max_bytes is not None and size > max_bytes:
            log.error(
                str(path),
                f"{size / 2**20:.0f} MB is larger than the {max_bytes / 2**20:.0f} MB limit for a text document; "
                "split it into several documents or raise the limit (setting max_text_mb)",
            )
            return None
        data = Path(path).read_bytes()
    except OSError as exc:
        log.error(str(path), f"cannot read the file ({exc.strerror or exc})")
        return None
    return decode_text(data, str(path), log)


def read_csv(path: Path, columns: dict, log: ProblemLog) -> pd.DataFrame | None:
    """Read a CSV file as strings, with a ``src_line`` column holding each row's line number.

    The header is line 1. Blank lines count as lines but yield no row. Values are stripped.
    Missing required columns are logged as errors and ``None`` is returned; unknown columns
    are a warning.
    """
    text = read_text(path, log)
    if text is None:
        return None
    name = str(path)
    if not text.strip():
        log.error(name, f"the file is empty; it needs a header line with {', '.join(columns['required'])}", line=1)
        return None
    # a header that lacks a required column explains the rows' field counts too: say that first
    header = [c.strip() for c in next(csv.reader(io.StringIO(text)), [])]
    missing = [c for c in columns["required"] if c not in header]
    if missing:
        log.error(
            name,
            f"missing column(s) {', '.join(missing)}; the header must name {', '.join(columns['required'])}",
            line=1,
        )
        return None
    if _too_many_fields(text, name, log):
        return None
    try:
        df = pd.read_csv(
            io.StringIO(text),
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=False,
            skipinitialspace=False,
            index_col=False,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        msg = str(exc).strip().splitlines()[-1]
        match = re.search(r"line (\d+)", msg)
        row = re.search(r"starting at row (\d+)", msg)  # 0-based, header included
        line = int(match.group(1)) if match else (int(row.group(1)) + 1 if row else None)
        log.error(name, f"not a valid CSV file ({msg}); check quotes and commas", line=line)
        return None
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in columns["required"] if c not in df.columns]
    if missing:
        log.error(
            name,
            f"missing column(s) {', '.join(missing)}; the header must name {', '.join(columns['required'])}",
            line=1,
        )
        return None
    known = set(columns["required"]) | set(columns["optional"])
    extra = [c for c in df.columns if c not in known]
    if extra:
        log.warn(name, f"unknown column(s) {', '.join(extra)} ignored", line=1)
    for col in columns["optional"]:
        if col not in df.columns:
            df[col] = ""
    df = df[[*columns["required"], *columns["optional"]]].copy()
    for col in df.columns:
        df[col] = df[col].astype(str).str.strip()
    df["src_line"] = range(2, len(df) + 2)
    blank = (df[list(columns["required"]) + list(columns["optional"])] == "").all(axis=1)
    return df[~blank].reset_index(drop=True)


def _too_many_fields(text: str, name: str, log: ProblemLog, limit: int = 20) -> bool:
    """Log rows with more fields than the header (a stray comma); True if there is any."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
        found = 0
        for row in reader:
            if len(row) > len(header):
                found += 1
                if found <= limit:
                    log.error(
                        name,
                        f"{len(row)} fields but the header has {len(header)}; quote values that contain commas",
                        line=reader.line_num,
                    )
    except csv.Error:
        return False  # pandas reports malformed quoting with its position
    return found > 0


def split_list(value: str) -> list[str]:
    """Split a ``;``-separated cell into stripped, non-empty, de-duplicated items (order kept).

    Examples
    --------
    >>> split_list(" AAH; League of the Righteous;;AAH ")
    ['AAH', 'League of the Righteous']
    """
    out: list[str] = []
    for item in str(value or "").split(";"):
        item = " ".join(item.split())
        if item and item not in out:
            out.append(item)
    return out


def read_entities(path: Path, log: ProblemLog) -> pd.DataFrame | None:
    """Read and check ``entities.csv``.

    Returns a frame with ``entity_id, name, type, aliases (list), affiliations (list),
    description, src_line``; rows with errors are logged (and kept out). ``None`` if the
    file cannot be used at all.
    """
    df = read_csv(path, ENTITY_COLUMNS, log)
    if df is None:
        return None
    name = str(path)
    seen: dict[str, int] = {}
    keep = []
    for row in df.itertuples(index=False):
        ok = True
        if not row.entity_id:
            log.error(name, "empty entity_id", line=row.src_line, field="entity_id")
            ok = False
        elif not ENTITY_ID.match(row.entity_id):
            log.error(
                name,
                f"entity_id {row.entity_id!r} may only use letters, digits, '-' and '_'",
                line=row.src_line,
                field="entity_id",
            )
            ok = False
        elif row.entity_id in seen:
            log.error(
                name,
                f"duplicate entity_id {row.entity_id!r} (first defined on line {seen[row.entity_id]})",
                line=row.src_line,
                field="entity_id",
            )
            ok = False
        else:
            seen[row.entity_id] = row.src_line
        if not row.name:
            log.error(name, "empty name", line=row.src_line, field="name")
            ok = False
        if row.type not in ENTITY_TYPES:
            log.error(
                name,
                f"unknown type {row.type!r}; use one of {', '.join(ENTITY_TYPES)}",
                line=row.src_line,
                field="type",
            )
            ok = False
        keep.append(ok)
    df = df.loc[pd.Series(keep, index=df.index, dtype=bool)].reset_index(drop=True)
    df["aliases"] = [
        [a for a in split_list(v) if a != n] for v, n in zip(df["aliases"], df["name"], strict=True)
    ]
    df["affiliations"] = [split_list(v) for v in df["affiliations"]]
    known = set(seen)
    for row in df.itertuples(index=False):
        for aff in row.affiliations:
            if aff not in known:
                log.error(
                    name,
                    f"affiliation {aff!r} of {row.entity_id!r} is not an entity_id of this file",
                    line=row.src_line,
                    field="affiliations",
                )
            elif aff == row.entity_id:
                log.error(name, f"{row.entity_id!r} lists itself as an affiliation", line=row.src_line, field="affiliations")
    if df.empty and not log.errors:
        log.error(name, "no entities; add at least one row (entity_id,name,type)")
    return df


def list_documents(corpus: Corpus, log: ProblemLog) -> list[Path]:
    """List the document files of ``corpus.root/documents`` (top level, sorted by name).

    Side files of PDFs (``NAME.pdf.yml``, ``NAME.yml``) are not documents. Other files are
    reported as ignored. Two documents with the same stem are an error.
    """
    folder = corpus.root / "documents"
    if not folder.is_dir():
        log.error(str(folder), "no documents folder; put the .md, .txt or .pdf files in SRC/documents/")
        return []
    files = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    pdf_stems = {p.stem for p in files if p.suffix.lower() == ".pdf"}
    docs: list[Path] = []
    stems: dict[str, Path] = {}
    root = corpus.root.resolve()
    for path in files:
        suffix = path.suffix.lower()
        if path.is_dir():
            log.warn(str(path), "sub-folders of documents/ are not read")
            continue
        if not path.resolve().is_relative_to(root):
            log.warn(str(path), f"ignored: it resolves to {path.resolve()}, outside the corpus folder (a symbolic link?)")
            continue
        if not path.is_file():
            log.warn(str(path), "ignored: not a regular file (a pipe, socket, device or broken link)")
            continue
        if suffix in (".yml", ".yaml"):
            base = path.name[: -len(path.suffix)]
            if base.lower().endswith(".pdf") or base in pdf_stems:
                continue
        if suffix not in DOCUMENT_SUFFIXES:
            log.warn(str(path), f"ignored: not a {', '.join(DOCUMENT_SUFFIXES)} file")
            continue
        if path.stem in stems:
            log.error(
                str(path),
                f"doc_id {path.stem!r} is also the stem of {stems[path.stem].name}; file stems must be unique",
            )
            continue
        if ":" in path.stem:
            log.error(str(path), "a document file name may not contain ':' (it separates doc_id and passage number)")
            continue
        stems[path.stem] = path
        docs.append(path)
    if not docs and not any(p.level == "error" and p.file.startswith(str(folder)) for p in log.problems):
        log.error(str(folder), "no documents; add at least one .md, .txt or .pdf file")
    return docs


def read_dataset_info(root: Path, log: ProblemLog) -> tuple[str, str]:
    """Return ``(title, description)`` from ``root/dataset.yml`` or ``(folder name, "")``."""
    path = root / "dataset.yml"
    title, description = root.resolve().name, ""
    if not path.is_file():
        return title, description
    text = read_text(path, log)
    if text is None:
        return title, description
    try:
        data = yaml.load(text, Loader=TextLoader) or {}  # noqa: S506 - a SafeLoader subclass without aliases
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        log.error(str(path), f"not valid YAML ({getattr(exc, 'problem', None) or exc})", line=mark.line + 1 if mark else None)
        return title, description
    if not isinstance(data, dict):
        log.error(str(path), "expected keys 'title' and 'description'")
        return title, description
    for key in data:
        if key not in ("title", "description"):
            log.warn(str(path), f"unknown key {key!r} ignored", field=str(key))
    return str(data.get("title") or title), str(data.get("description") or "")

"""The table contract between the build and everything that reads its output.

A built dataset is a folder holding one Parquet file per table below, plus
``manifest.json`` and ``candidates.csv``. :data:`SCHEMAS` is the single source of
truth for column names and types; ``docs/data-model.md`` explains each column.

Dates are ISO strings (``YYYY-MM-DD``) so that partial dates can be stored as
intervals and compared as text; ``date_precision`` says how precise the source was.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from dashboard.errors import InputError, Problem

__all__ = [
    "SCHEMAS",
    "TABLE_NAMES",
    "CLAIM_CLASSES",
    "ENTITY_TYPES",
    "DATE_PRECISIONS",
    "Tables",
    "empty_frame",
    "conform",
    "write_table",
    "load_tables",
]

CLAIM_CLASSES = ("reports", "analysis", "official", "background")
ENTITY_TYPES = ("person", "organization", "place", "event", "other")
DATE_PRECISIONS = ("day", "month", "year")
LINK_KINDS = ("co-mention", "relation")

_str = pa.string()
_list = pa.list_(pa.string())

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema(
        [
            ("doc_id", _str),
            ("title", _str),
            ("publisher", _str),
            ("url", _str),
            ("published", _str),  # report date, YYYY-MM-DD or null
            ("kind", _str),
            ("source_file", _str),  # path relative to the corpus folder
            ("n_pages", pa.int32()),  # PDFs only, else null
        ]
    ),
    "passages": pa.schema(
        [
            ("passage_id", _str),  # "<doc_id>:<seq>"
            ("doc_id", _str),
            ("seq", pa.int32()),  # 0-based order in its document
            ("page", pa.int32()),  # 1-based PDF page, null for text
            ("text", _str),
            ("date_start", _str),  # event period, YYYY-MM-DD or null
            ("date_end", _str),
            ("date_precision", _str),  # day | month | year | null
            ("date_source", _str),  # "explicit" (curated tag) | "text" | null
            ("claim_class", _str),  # reports | analysis | official | background
        ]
    ),
    "entities": pa.schema(
        [
            ("entity_id", _str),
            ("name", _str),
            ("type", _str),
            ("aliases", _list),
            ("affiliations", _list),
            ("description", _str),
            ("n_mentions", pa.int32()),
            ("n_passages", pa.int32()),
            ("n_documents", pa.int32()),
            ("first", _str),  # earliest event date of a passage mentioning it
            ("last", _str),
            ("degree", pa.int32()),
            ("weighted_degree", pa.float64()),
            ("betweenness", pa.float64()),
            ("betweenness_approx", pa.bool_()),
            ("eigenvector", pa.float64()),
            ("pagerank", pa.float64()),
            ("community", pa.int32()),
        ]
    ),
    "mentions": pa.schema(
        [
            ("passage_id", _str),
            ("entity_id", _str),
            ("start", pa.int32()),  # character offsets into passages.text
            ("end", pa.int32()),
            ("surface", _str),  # the text as written
            ("method", _str),  # exact | fuzzy
            ("score", pa.float64()),  # 100 for exact matches
        ]
    ),
    "relations": pa.schema(
        [
            ("relation_id", _str),
            ("source", _str),
            ("target", _str),
            ("relation", _str),
            ("passage_id", _str),
            ("claim_class", _str),
            ("date_start", _str),
            ("date_end", _str),
        ]
    ),
    # One row per (pair, passage) piece of evidence: the unit every link and every
    # filtered view is aggregated from, so filters never re-scan mentions.
    "evidence": pa.schema(
        [
            ("source", _str),  # for co-mentions source < target
            ("target", _str),
            ("kind", _str),  # co-mention | relation
            ("relation", _str),  # relation type, null for co-mentions
            ("passage_id", _str),
            ("doc_id", _str),
            ("claim_class", _str),
            ("date_start", _str),
            ("date_end", _str),
        ]
    ),
    "links": pa.schema(
        [
            ("source", _str),
            ("target", _str),
            ("kind", _str),  # co-mention | relation
            ("relations", _list),  # distinct relation types (relation links)
            ("weight", pa.float64()),
            ("n_passages", pa.int32()),
            ("n_documents", pa.int32()),
            ("first", _str),
            ("last", _str),
        ]
    ),
    "layout": pa.schema([("entity_id", _str), ("x", pa.float64()), ("y", pa.float64())]),
}

TABLE_NAMES = tuple(SCHEMAS)


def empty_frame(name: str) -> pd.DataFrame:
    """Return an empty DataFrame with the columns of table ``name``."""
    return SCHEMAS[name].empty_table().to_pandas()


def conform(df: pd.DataFrame, name: str) -> pa.Table:
    """Convert ``df`` to an Arrow table with exactly the schema of ``name`` (column order, types).

    Raises
    ------
    ValueError
        If a column is missing or a value cannot be converted.
    """
    schema = SCHEMAS[name]
    missing = [f.name for f in schema if f.name not in df.columns]
    if missing:
        raise ValueError(f"table {name!r} lacks columns {missing}")
    df = df[[f.name for f in schema]].reset_index(drop=True)
    return pa.Table.from_pandas(df, schema=schema, preserve_index=False)


def write_table(df: pd.DataFrame, name: str, folder: Path) -> Path:
    """Write ``df`` as ``folder/<name>.parquet`` with the contract's schema, deterministically."""
    path = Path(folder) / f"{name}.parquet"
    pq.write_table(conform(df, name), path, compression="zstd", write_statistics=False)
    return path


@dataclass
class Tables:
    """A loaded dataset: one DataFrame per table, plus the manifest."""

    documents: pd.DataFrame
    passages: pd.DataFrame
    entities: pd.DataFrame
    mentions: pd.DataFrame
    relations: pd.DataFrame
    evidence: pd.DataFrame
    links: pd.DataFrame
    layout: pd.DataFrame
    manifest: dict = field(default_factory=dict)
    path: Path | None = None

    @property
    def title(self) -> str:
        return str(self.manifest.get("title") or (self.path.name if self.path else "dataset"))


#: Values the app relies on: columns that may not be null, keys that must be unique,
#: ISO date columns, and columns drawn from a fixed vocabulary.
REQUIRED_VALUES = {
    "documents": ("doc_id",),
    "passages": ("passage_id", "doc_id", "text", "claim_class"),
    "entities": ("entity_id", "name", "type"),
    "mentions": ("passage_id", "entity_id"),
    "relations": ("source", "target", "relation", "passage_id"),
    "evidence": ("source", "target", "kind", "passage_id", "doc_id"),
    "links": ("source", "target", "kind"),
    "layout": ("entity_id",),
}
UNIQUE_KEYS = {"documents": "doc_id", "passages": "passage_id", "entities": "entity_id", "layout": "entity_id"}
DATE_COLUMNS = {
    "documents": ("published",),
    "passages": ("date_start", "date_end"),
    "entities": ("first", "last"),
    "relations": ("date_start", "date_end"),
    "evidence": ("date_start", "date_end"),
    "links": ("first", "last"),
}
VOCABULARIES = {
    ("passages", "claim_class"): CLAIM_CLASSES,
    ("evidence", "claim_class"): CLAIM_CLASSES,
    ("entities", "type"): ENTITY_TYPES,
    ("evidence", "kind"): LINK_KINDS,
    ("links", "kind"): LINK_KINDS,
}
_ISO_DATE = r"\d{4}-\d{2}-\d{2}"


def _check_values(name: str, df: pd.DataFrame, path: Path) -> list[Problem]:
    """Problems with the values of one loaded table (nulls, duplicate keys, bad dates, unknown labels)."""
    problems = []

    def bad(col: str, mask: pd.Series, what: str) -> None:
        if mask.any():
            row = int(mask.to_numpy().nonzero()[0][0])
            value = df[col].iloc[row]
            problems.append(
                Problem(str(path), f"{int(mask.sum())} row(s) {what} (first: row {row + 1}, {value!r}); rebuild", field=col)
            )

    for col in REQUIRED_VALUES.get(name, ()):
        bad(col, df[col].isna(), "have no value")
    if (key := UNIQUE_KEYS.get(name)) is not None:
        bad(key, df[key].duplicated() & df[key].notna(), "repeat a key")
    for col in DATE_COLUMNS.get(name, ()):
        values = df[col]
        bad(col, values.notna() & ~values.astype(str).str.fullmatch(_ISO_DATE), "are not YYYY-MM-DD dates")
    for (table, col), allowed in VOCABULARIES.items():
        if table == name:
            bad(col, df[col].notna() & ~df[col].isin(allowed), f"are not one of {', '.join(allowed)}")
    return problems


def load_tables(folder: str | Path) -> Tables:
    """Load and check a built dataset folder.

    Raises
    ------
    InputError
        If the folder is missing, a table is missing or unreadable, a table's
        columns do not match the contract, or its values break it (missing keys,
        duplicate ids, malformed dates, unknown labels); every problem names the file
        and what to do.
    """
    folder = Path(folder)
    hint = "build it with: python -m dashboard build SRC --out " + str(folder)
    if not folder.is_dir():
        raise InputError(Problem(str(folder), f"no such dataset folder; {hint}"))
    problems: list[Problem] = []
    frames: dict[str, pd.DataFrame] = {}
    for name, schema in SCHEMAS.items():
        path = folder / f"{name}.parquet"
        if not path.is_file():
            problems.append(Problem(str(path), f"table {name!r} is missing; {hint}"))
            continue
        try:
            table = pq.read_table(path)
            # a corrupt file can decode into strings that are not UTF-8 (in its footer's column
            # names or in its pages): found here, named, rather than when a column is used
            table.validate(full=True)
            names = table.column_names
        except Exception as exc:  # pyarrow raises several types for corrupt files
            problems.append(Problem(str(path), f"cannot read Parquet ({type(exc).__name__}: {exc}); {hint}"))
            continue
        missing = [f.name for f in schema if f.name not in names]
        if missing:
            problems.append(Problem(str(path), f"missing columns {missing}; rebuild with the current version"))
            continue
        try:
            table = table.select([f.name for f in schema]).cast(schema)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
            problems.append(Problem(str(path), f"columns have the wrong types ({exc}); rebuild"))
            continue
        frames[name] = table.to_pandas()
        problems.extend(_check_values(name, frames[name], path))
    manifest: dict = {}
    mpath = folder / "manifest.json"
    if mpath.is_file():
        try:
            manifest = json.loads(mpath.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(mpath), f"not valid JSON ({exc}); {hint}"))
        if not isinstance(manifest, dict):
            problems.append(Problem(str(mpath), f"expected a JSON object, got {type(manifest).__name__}; {hint}"))
            manifest = {}
    if problems:
        raise InputError(problems)
    return Tables(**frames, manifest=manifest, path=folder)

"""The build: a corpus folder in, the tables of ``dashboard/tables.py`` out.

Stages (each a module with one job): read the corpus (:mod:`.corpus`, :mod:`.documents`) →
link entities (:mod:`.mentions`, using the linker) → check relations (:mod:`.relations`) →
evidence and links (:mod:`.evidence`) → global metrics and communities
(:mod:`dashboard.analysis`) → layout (:mod:`.layout`) → atomic write (:mod:`.write`).

Every input problem is collected first; if any is an error the build stops with
:class:`~dashboard.errors.InputError` before anything is written.

Reading and linking, the per-document work, run in ``jobs`` forked worker processes
(:mod:`.parallel`; setting ``jobs``, default one per core) that return their rows in
document order, so the tables are the same bytes whatever the number of workers.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pandas as pd

from dashboard import settings as settings_mod
from dashboard.analysis.communities import louvain_adjacency
from dashboard.analysis.graph import GraphIndex
from dashboard.analysis.metrics import adjacency_from_codes, measures
from dashboard.errors import InputError, Problem, ProblemLog
from dashboard.ingest.corpus import RELATION_COLUMNS, Corpus, list_documents, read_csv, read_dataset_info, read_entities
from dashboard.ingest.documents import read_documents
from dashboard.ingest.evidence import aggregate_links, build_evidence
from dashboard.ingest.layout import compute_layout
from dashboard.ingest.mentions import entity_stats, link_and_find, make_linker
from dashboard.ingest.progress import Progress
from dashboard.ingest.relations import check_relations
from dashboard.ingest.write import check_destination, write_dataset

__all__ = ["BuildResult", "BUILD_SETTINGS", "build_tables", "build"]

BUILD_SETTINGS = ("fuzzy_threshold", "seed", "betweenness_exact_max", "betweenness_samples", "max_text_mb", "jobs")
#: Settings that change how fast the build runs, never what it writes (left out of the manifest).
SPEED_SETTINGS = ("jobs",)
STAGES = ["read", "link", "relations", "evidence", "metrics", "layout", "write"]
PACKAGES = ("khazali-explorer", "pandas", "pyarrow", "networkx", "numpy", "scipy", "pypdf", "pyyaml", "rapidfuzz", "spacy")


@dataclass
class BuildResult:
    """What a build produced: the tables, the candidates, the manifest and the warnings."""

    tables: dict[str, pd.DataFrame]
    candidates: pd.DataFrame
    manifest: dict
    warnings: list[Problem] = field(default_factory=list)


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def _none_if_empty(series: pd.Series) -> list:
    return [v if isinstance(v, str) and v else None for v in series]


def build_tables(src: str | Path, options: dict | None = None, progress: Progress | None = None) -> BuildResult:
    """Read, check and compute every table of the corpus ``src`` (nothing is written).

    Parameters
    ----------
    src : path
        The corpus folder (``docs/corpus-format.md``).
    options : dict, optional
        Values for the settings in :data:`BUILD_SETTINGS` (others come from the
        environment or the defaults of :mod:`dashboard.settings`).
    progress : Progress, optional
        Stage timer / progress bar.

    Raises
    ------
    InputError
        With every problem found (warnings included) when any is an error.
    """
    options = options or {}
    opts = {}
    bad = []
    for name in BUILD_SETTINGS:
        try:
            opts[name] = settings_mod.resolve(name, options.get(name))
        except ValueError as exc:
            given = options.get(name)
            where = f"--{name.replace('_', '-')}" if given is not None else settings_mod.env_name(name)
            bad.append(Problem(where, f"not a valid value for setting {name!r} ({exc})"))
    if bad:
        raise InputError(bad)
    progress = progress or Progress(STAGES, enabled=False)
    root = Path(src)
    log = ProblemLog()
    if not root.is_dir():
        what = "is a file, not a folder" if root.exists() else "no such folder"
        raise InputError(Problem(str(root), f"{what}; SRC must be a corpus folder with entities.csv and documents/"))
    corpus = Corpus(root=root, max_text_bytes=int(float(opts["max_text_mb"]) * 2**20))

    with progress.stage("read"):
        corpus.title, corpus.description = read_dataset_info(root, log)
        ent_path = root / "entities.csv"
        entities = None
        if ent_path.is_file():
            entities = read_entities(ent_path, log)
        else:
            log.error(str(ent_path), "missing; every corpus needs an entities.csv (entity_id,name,type,aliases,...)")
        rel_path = root / "relations.csv"
        rel_rows = read_csv(rel_path, RELATION_COLUMNS, log) if rel_path.is_file() else None
        corpus.documents = list_documents(corpus, log)
        bar = progress.items(len(corpus.documents), "documents")
        documents, passages = read_documents(corpus, log, bar, jobs=opts["jobs"])
        bar.close()
        docs_dir = root / "documents"
        extra = [p for p in docs_dir.iterdir() if p.is_file() and not p.name.startswith(".")] if docs_dir.is_dir() else []
        corpus.input_files = sorted(p for p in [ent_path, rel_path, root / "dataset.yml", *extra] if p.is_file())
        if entities is None or not len(documents):
            log.raise_if_errors()
        if entities is None:
            raise InputError(log.problems)

    with progress.stage("link"):
        linker = make_linker(entities, opts["fuzzy_threshold"], str(ent_path), log)
        mentions, candidates = link_and_find(linker, passages, jobs=opts["jobs"])

    with progress.stage("relations"):
        mentioned: dict[str, set[str]] = {}
        for pid, eid in zip(mentions["passage_id"].tolist(), mentions["entity_id"].tolist(), strict=True):
            mentioned.setdefault(pid, set()).add(eid)
        read_ids = set(documents["doc_id"])
        unreadable = {p.stem for p in corpus.documents} - read_ids
        relations = check_relations(
            rel_rows, str(rel_path), set(entities["entity_id"]), passages, mentioned, read_ids, log, unreadable
        )
        log.raise_if_errors()

    with progress.stage("evidence"):
        evidence = build_evidence(mentions, relations, passages)
        links = aggregate_links(evidence)

    with progress.stage("metrics"):
        # one adjacency matrix (links of both kinds summed per pair, as build_graph does) for
        # the measures and Louvain; the layout gets the plain weighted graph made from it
        nodes = sorted(entities["entity_id"].tolist(), key=str)
        pos = pd.Index(nodes)
        src, tgt = pos.get_indexer(links["source"]), pos.get_indexer(links["target"])
        known = (src >= 0) & (tgt >= 0)
        A = adjacency_from_codes(len(nodes), src[known], tgt[known], links["weight"].to_numpy(dtype=float)[known])
        metrics = measures(A, nodes, opts["betweenness_exact_max"], opts["betweenness_samples"], opts["seed"])
        communities = louvain_adjacency(A, nodes, opts["seed"])
        G = GraphIndex(nodes, A).to_networkx()

    with progress.stage("layout"):
        layout = compute_layout(G, seed=opts["seed"])

    ents = entities.sort_values("entity_id", kind="stable").reset_index(drop=True)
    ents["description"] = _none_if_empty(ents["description"])
    ents = ents.drop(columns=["src_line"])
    ents = ents.merge(entity_stats(ents["entity_id"], mentions, passages), on="entity_id", how="left")
    ents = ents.merge(metrics, on="entity_id", how="left")
    ents["community"] = ents["entity_id"].map(communities).astype("int32")

    order = {pid: i for i, pid in enumerate(passages.sort_values(["doc_id", "seq"])["passage_id"].tolist())}
    mentions = mentions.assign(_o=mentions["passage_id"].map(order)).sort_values(
        ["_o", "start", "end", "entity_id"], kind="stable"
    ).drop(columns="_o").reset_index(drop=True)
    tables = {
        "documents": documents.sort_values("doc_id", kind="stable").reset_index(drop=True),
        "passages": passages.drop(columns="src_line").sort_values(["doc_id", "seq"], kind="stable").reset_index(drop=True),
        "entities": ents,
        "mentions": mentions,
        "relations": relations.sort_values("relation_id", kind="stable").reset_index(drop=True),
        "evidence": evidence,
        "links": links,
        "layout": layout,
    }
    counts = {
        "documents": len(documents),
        "passages": len(passages),
        "entities": len(ents),
        "entities_matched": int((ents["n_mentions"] > 0).sum()),
        "mentions": len(mentions),
        "evidence": len(evidence),
        "links": len(links),
        "relations": len(relations),
        "candidates": len(candidates),
        "communities": len(set(communities.values())),
    }
    manifest = {
        "title": corpus.title,
        "description": corpus.description,
        "built_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "source": str(src),
        "counts": counts,
        "settings": {k: v for k, v in opts.items() if k not in SPEED_SETTINGS},
        "versions": _versions(),
        "inputs": [{"path": corpus.rel(p), "bytes": p.stat().st_size, "sha256": _sha256(p)} for p in corpus.input_files],
        "warnings": [str(p) for p in log.warnings],
        "timings": {},
    }
    return BuildResult(tables=tables, candidates=candidates, manifest=manifest, warnings=log.warnings)


def build(src: str | Path, dst: str | Path, options: dict | None = None, progress: Progress | None = None) -> BuildResult:
    """Build ``src`` into the folder ``dst`` atomically (see :mod:`.write`).

    Raises
    ------
    InputError
        On any input error, or a destination that must not be replaced; ``dst`` is untouched.
    """
    progress = progress or Progress(STAGES, enabled=False)
    check_destination(Path(dst), Path(src))
    result = build_tables(src, options, progress)
    with progress.stage("write"):
        result.manifest["timings"] = dict(progress.timings)
        write_dataset(Path(dst), result.tables, result.candidates, result.manifest)
    result.manifest["timings"] = dict(progress.timings)
    return result

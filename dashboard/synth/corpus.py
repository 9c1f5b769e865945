"""Write a synthetic corpus folder (``entities.csv``, ``relations.csv``, ``documents/``).

The corpus follows ``docs/corpus-format.md``. Everything comes from one seeded
:class:`random.Random`, so the same arguments give byte-identical files. Every row of
``relations.csv`` points at a passage whose text names both ends by a listed form (the
name or a non-shared alias), so the corpus is valid by construction.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import textwrap
import time
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from random import Random

from dashboard.errors import InputError, Problem
from dashboard.synth.roster import Roster, SynthEntity, make_roster
from dashboard.synth.text import (
    FILLER_SENTENCES,
    PAIR_SENTENCES,
    RELATIONS_BY_TYPES,
    SINGLE_SENTENCES,
    VOCABULARY,
    date_phrase,
    date_tag_value,
    random_date,
)

__all__ = ["SynthConfig", "SynthSummary", "generate", "write_corpus"]

CLAIMS = ("reports", "analysis", "official", "background")
# kind, doc_id prefix, share of documents, default claim class, title
KINDS = (
    ("report", "tir", 0.45, "reports", "Tactical interrogation report {n} (synthetic)"),
    ("article", "art", 0.20, "reports", "News article {n} on the special groups (synthetic)"),
    ("analysis", "ana", 0.15, "analysis", "Analysis {n} of militia networks (synthetic)"),
    ("statement", "stm", 0.08, "official", "Official statement {n} (synthetic)"),
    ("reference", "ref", 0.12, "background", "Reference note {n} (synthetic)"),
)
_TYPE_SLOTS = ("person", "organization", "place", "event")
_TYPE_SLOT_WEIGHTS = (58, 16, 16, 10)
_SOCIAL = {"person", "organization"}


@dataclass(frozen=True)
class SynthConfig:
    """Parameters of a synthetic corpus (see ``python -m dashboard synth --help``)."""

    entities: int = 115
    documents: int = 35
    passages_per_doc: int = 10
    seed: int = 0
    relation_rate: float = 0.35
    variant_rate: float = 0.06
    collisions: int = 0


@dataclass
class SynthSummary:
    """What was written."""

    out: Path
    entities: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    passages: int = 0
    relations: int = 0
    mentions: int = 0
    seconds: float = 0.0

    def __str__(self) -> str:
        types = ", ".join(f"{n} {t}" for t, n in self.entities.items())
        return (
            f"wrote {self.out}: {sum(self.entities.values())} entities ({types}), {self.documents} documents, "
            f"{self.passages} passages, {self.relations} relations, {self.mentions} planted mentions "
            f"in {self.seconds:.1f} s"
        )


class _Composer:
    """Draws the entities of each passage and writes its sentences."""

    def __init__(self, roster: Roster, cfg: SynthConfig, rng: Random):
        self.rng, self.cfg = rng, cfg
        self.pools = {t: roster.by_type[t] for t in _TYPE_SLOTS}
        self.cum = {t: list(accumulate(e.weight for e in pool)) for t, pool in self.pools.items()}
        self.member_cum: dict[str, list[float]] = {}

    def draw(self, k: int, focus: SynthEntity) -> list[SynthEntity]:
        rng, chosen = self.rng, []
        for _ in range(3 * k):
            if len(chosen) >= k:
                break
            t = rng.choices(_TYPE_SLOTS, weights=_TYPE_SLOT_WEIGHTS)[0]
            if t == "person" and focus.members and rng.random() < 0.45:
                cum = self.member_cum.get(focus.entity_id)
                if cum is None:
                    cum = self.member_cum[focus.entity_id] = list(accumulate(m.weight for m in focus.members))
                ent = rng.choices(focus.members, cum_weights=cum)[0]
            elif t == "organization" and rng.random() < 0.3:
                ent = focus
            else:
                ent = rng.choices(self.pools[t], cum_weights=self.cum[t])[0]
            if ent not in chosen:
                chosen.append(ent)
        return chosen

    def surface(self, ent: SynthEntity, exact: bool, planted: list) -> str:
        rng = self.rng
        listed, ambiguous = True, False
        if not exact and ent.variants and rng.random() < self.cfg.variant_rate:
            form, listed = rng.choice(ent.variants), False
        elif not exact and ent.shared_aliases and rng.random() < 0.05:
            form, ambiguous = rng.choice(ent.shared_aliases), True
        else:
            forms = ent.listed
            form = forms[0] if len(forms) == 1 or rng.random() < 0.55 else rng.choice(forms[1:])
        planted.append((ent.entity_id, form, listed, ambiguous))
        return form

    def relation(self, ents: list[SynthEntity]):
        rng = self.rng
        pairs = [(a, b) for a in ents for b in ents if a is not b]
        rng.shuffle(pairs)
        for a, b in pairs:
            options = RELATIONS_BY_TYPES.get((a.type, b.type))
            if not options:
                continue
            if (a.type, b.type) == ("person", "organization"):
                member = b.entity_id in a.affiliations
                options = [o for o in options if (o[0] in {"member_of", "leads", "founded"}) == member] or options
                if member and rng.random() < 0.7:
                    options = [o for o in options if o[0] == "member_of"] or options
            rel, phrasings = rng.choice(options)
            return a, b, rel, rng.choice(phrasings)
        return None

    def passage(self, focus: SynthEntity, planted: list, rels: list) -> str:
        rng = self.rng
        k = rng.choices((0, 1, 2, 3, 4), weights=(8, 25, 35, 22, 10))[0]
        ents = self.draw(k, focus)
        sentences: list[str] = []
        if len(ents) >= 2 and rng.random() < self.cfg.relation_rate:
            found = self.relation(ents)
            if found:
                a, b, rel, phrasing = found
                sentences.append(phrasing.format(a=self.surface(a, True, planted), b=self.surface(b, True, planted)))
                rels.append((a, b, rel))
                ents = [e for e in ents if e is not a and e is not b]
        while ents:
            if len(ents) >= 2 and rng.random() < 0.4 and {ents[0].type, ents[1].type} <= _SOCIAL:
                a, b = ents[0], ents[1]
                phr = rng.choice(PAIR_SENTENCES)
                sentences.append(phr.format(a=self.surface(a, False, planted), b=self.surface(b, False, planted)))
                ents = ents[2:]
            else:
                a = ents.pop(0)
                sentences.append(rng.choice(SINGLE_SENTENCES[a.type]).format(a=self.surface(a, False, planted)))
        if not sentences or rng.random() < 0.4:
            sentences.append(rng.choice(FILLER_SENTENCES))
        rng.shuffle(sentences)
        return " ".join(sentences)


def _csv(rows: list[list[str]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def _document(comp: _Composer, roster: Roster, n: int, n_passages: int, relations: list, truth: list) -> tuple[str, str]:
    """Return (file name, text) of document ``n`` and append its relations and planted mentions."""
    rng = comp.rng
    kind, prefix, _, claim, title = rng.choices(KINDS, weights=[k[2] for k in KINDS])[0]
    year = random_date(rng).year
    doc_id = f"{prefix}-{year}-{n:05d}"
    title = title.format(n=f"{n:05d}")
    caps = kind == "report" and rng.random() < 0.35
    military = kind == "report" and rng.random() < 0.6
    wrapped = rng.random() < 0.2
    as_txt = rng.random() < 0.08
    published = min(year + rng.randint(0, 2), 2011) if kind == "report" else rng.randint(max(year, 2008), 2018)
    focus = rng.choices(comp.pools["organization"], cum_weights=comp.cum["organization"])[0]

    blocks: list[str] = []
    if not as_txt:
        blocks.append(
            "---\n"
            f"title: {title}\n"
            "publisher: Synthetic Archive\n"
            f"url: https://example.org/synth/{doc_id}\n"
            f"published: {published:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}\n"
            f"kind: {kind}\n"
            f"claim_class: {claim}\n"
            "---"
        )
        if rng.random() < 0.6:
            blocks.append(f"# {title}")
    else:
        claim = "background"
    for seq in range(1, n_passages + 1):
        if seq > 1 and seq % 8 == 1 and rng.random() < 0.5:
            blocks.append(f"## Part {seq // 8 + 1}")
        planted: list = []
        rels: list = []
        text = comp.passage(focus, planted, rels)
        date = random_date(rng, year)
        roll = rng.random()
        p_claim = claim if rng.random() >= 0.1 else rng.choice(CLAIMS)
        if roll >= 0.35 and roll < 0.85:
            first = text.split(" ", 1)[0]
            if first.lower() in VOCABULARY:  # a template word, not a name: "In 2005, the detainee ..."
                text = first.lower() + text[len(first):]
            text = f"{date_phrase(date, rng, military)} {text}"
        if caps:
            text = text.upper()
        if wrapped:
            text = textwrap.fill(text, 96, break_long_words=False, break_on_hyphens=False)
        tag_parts = []
        if roll < 0.35 or (roll >= 0.85 and rng.random() < 0.2):
            tag_parts.append(f"date: {date_tag_value(date) if roll < 0.35 else 'none'}")
        if p_claim != claim:
            tag_parts.append(f"claim: {p_claim}")
        if tag_parts:
            text = f"<!-- {'; '.join(tag_parts)} -->\n{text}"
        blocks.append(text)
        for a, b, rel in rels:
            rel_claim = rng.choice(CLAIMS) if rng.random() < 0.1 else ""
            relations.append([a.entity_id, b.entity_id, rel, doc_id, str(seq), rel_claim])
        for eid, form, listed, ambiguous in planted:
            truth.append([doc_id, str(seq), eid, form, str(int(listed)), str(int(ambiguous))])
    return f"{doc_id}.{'txt' if as_txt else 'md'}", "\n\n".join(blocks) + "\n"


def _passage_counts(cfg: SynthConfig, rng: Random) -> list[int]:
    """Passages per document: varied, at least 1 each, summing to documents × passages_per_doc."""
    counts = [cfg.passages_per_doc] * cfg.documents
    for i in range(cfg.documents):
        j = rng.randrange(cfg.documents)
        move = rng.randint(0, cfg.passages_per_doc // 2)
        if i != j and counts[i] - move >= 1:
            counts[i] -= move
            counts[j] += move
    return counts


def write_corpus(cfg: SynthConfig, folder: Path, truth_path: Path | None = None) -> SynthSummary:
    """Generate the corpus of ``cfg`` into ``folder`` (which must exist and be empty)."""
    start = time.perf_counter()
    rng = Random(cfg.seed)
    roster = make_roster(cfg.entities, rng, cfg.collisions)
    comp = _Composer(roster, cfg, rng)
    names = {e.entity_id: e.name for e in roster.entities}
    rows = [["entity_id", "name", "type", "aliases", "affiliations", "description"]]
    for e in roster.entities:
        if e.type == "person" and e.affiliations:
            desc = f"Synthetic person, member of {names[e.affiliations[0]]}."
        elif e.type == "event" and e.date:
            desc = f"Synthetic event of {date_tag_value(e.date)}."
        else:
            desc = f"Synthetic {e.type}."
        rows.append([e.entity_id, e.name, e.type, ";".join(e.aliases), ";".join(e.affiliations), desc])
    (folder / "entities.csv").write_text(_csv(rows), encoding="utf-8")
    (folder / "dataset.yml").write_text(
        f"title: Synthetic corpus ({cfg.entities} entities, {cfg.documents} documents, seed {cfg.seed})\n"
        "description: Generated by python -m dashboard synth for tests and benchmarks; every name and passage is invented.\n",
        encoding="utf-8",
    )

    docs = folder / "documents"
    docs.mkdir()
    relations: list[list[str]] = []
    truth: list[list[str]] = []
    counts = _passage_counts(cfg, rng)
    for n, k in enumerate(counts, start=1):
        fname, text = _document(comp, roster, n, k, relations, truth)
        (docs / fname).write_text(text, encoding="utf-8")
    header = [["source", "target", "relation", "doc_id", "passage", "claim_class"]]
    (folder / "relations.csv").write_text(_csv(header + relations), encoding="utf-8")
    if truth_path is not None:
        truth_head = [["doc_id", "passage", "entity_id", "surface", "listed", "ambiguous"]]
        Path(truth_path).write_text(_csv(truth_head + truth), encoding="utf-8")
    by_type = {t: len(v) for t, v in roster.by_type.items()}
    return SynthSummary(folder, by_type, len(counts), sum(counts), len(relations), len(truth), time.perf_counter() - start)


def generate(cfg: SynthConfig, out: str | Path, force: bool = False, truth_path: str | Path | None = None) -> SynthSummary:
    """Generate a corpus into ``out`` atomically: a half-written folder is never left behind.

    Raises
    ------
    InputError
        If a parameter is out of range, or ``out`` is a non-empty folder and ``force`` is false.
    """
    out = Path(out)
    problems = []
    if cfg.entities < 10:
        problems.append(Problem("--entities", f"needs at least 10 entities, got {cfg.entities}"))
    if cfg.documents < 1:
        problems.append(Problem("--documents", f"needs at least 1 document, got {cfg.documents}"))
    if cfg.passages_per_doc < 1:
        problems.append(Problem("--passages-per-doc", f"needs at least 1, got {cfg.passages_per_doc}"))
    for name, value in (("--relation-rate", cfg.relation_rate), ("--variant-rate", cfg.variant_rate)):
        if not 0 <= value <= 1:
            problems.append(Problem(name, f"must be between 0 and 1, got {value}"))
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not force)):
        problems.append(Problem(str(out), "exists and is not an empty folder; choose another --out or pass --force to replace it"))
    if problems:
        raise InputError(problems)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.parent / f".{out.name}.synth-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        summary = write_corpus(cfg, tmp, Path(truth_path) if truth_path else None)
        if out.exists():
            old = out.parent / f".{out.name}.old-{os.getpid()}"
            out.rename(old)
            tmp.rename(out)
            shutil.rmtree(old)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    summary.out = out
    return summary

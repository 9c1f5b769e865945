"""The synthetic corpus generator: seeded, skewed, varied, and valid by construction."""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import os
import re
import statistics
import subprocess
import sys
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

import pytest

from dashboard.commands import synth as synth_cmd
from dashboard.errors import InputError
from dashboard.synth import SynthConfig, generate, skeleton
from dashboard.synth.names import FormRegistry, spelling_variants

SMALL = SynthConfig(entities=60, documents=30, passages_per_doc=6, seed=7)


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _passages(path: Path) -> list[str]:
    """Split a document as docs/corpus-format.md says: front matter, headings, blank lines, tags."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    out = []
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        if not block or block.startswith("#"):
            continue
        out.append(" ".join(re.sub(r"^<!--.*?-->", "", block, flags=re.S).split()))
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("synth") / "src"
    truth = out.parent / "truth.csv"
    summary = generate(SMALL, out, truth_path=truth)
    return out, truth, summary


def test_same_seed_gives_identical_files_and_another_seed_does_not(tmp_path, corpus):
    out, _, _ = corpus
    again = tmp_path / "again"
    generate(SMALL, again)
    assert _digest(again) == _digest(out)
    other = tmp_path / "other"
    generate(SynthConfig(**{**SMALL.__dict__, "seed": 8}), other)
    assert _digest(other)["entities.csv"] != _digest(out)["entities.csv"]


def test_same_seed_gives_identical_files_across_processes(tmp_path):
    """String hashing differs between interpreter runs; the files must not."""
    code = (
        "import sys; from dashboard.synth import SynthConfig, generate; "
        "generate(SynthConfig(entities=80, documents=12, seed=3, collisions=1), sys.argv[1])"
    )
    root = Path(__file__).resolve().parent.parent
    for n in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": n, "PYTHONPATH": str(root)}
        subprocess.run([sys.executable, "-c", code, str(tmp_path / n)], check=True, env=env, cwd=root)
    assert _digest(tmp_path / "1") == _digest(tmp_path / "2")


def test_counts_match_the_arguments(corpus):
    out, _, summary = corpus
    entities = _rows(out / "entities.csv")
    assert len(entities) == SMALL.entities
    assert {e["type"] for e in entities} == {"person", "organization", "place", "event"}
    docs = sorted((out / "documents").iterdir())
    assert len(docs) == SMALL.documents
    n_passages = sum(len(_passages(d)) for d in docs)
    assert n_passages == SMALL.documents * SMALL.passages_per_doc == summary.passages
    assert len({len(_passages(d)) for d in docs}) > 1, "documents should vary in length"


def test_every_relation_names_both_ends_in_its_passage(corpus):
    out, _, _ = corpus
    forms = {e["entity_id"]: [e["name"]] + [a for a in e["aliases"].split(";") if a] for e in _rows(out / "entities.csv")}
    docs = {p.stem: _passages(p) for p in (out / "documents").iterdir()}
    relations = _rows(out / "relations.csv")
    assert len(relations) >= 10
    for r in relations:
        text = docs[r["doc_id"]][int(r["passage"]) - 1].lower()
        for end in (r["source"], r["target"]):
            assert any(f.lower() in text for f in forms[end]), (r, text)


def test_members_belong_to_organizations_and_member_of_follows_affiliations(corpus):
    out, _, _ = corpus
    entities = {e["entity_id"]: e for e in _rows(out / "entities.csv")}
    members = [e for e in entities.values() if e["type"] == "person" and e["affiliations"]]
    assert len(members) > len(entities) // 3
    for e in members:
        assert all(entities[a]["type"] == "organization" for a in e["affiliations"].split(";"))
    member_of = [r for r in _rows(out / "relations.csv") if r["relation"] == "member_of"]
    assert member_of and all(r["target"] in entities[r["source"]]["affiliations"].split(";") for r in member_of)


def test_mentions_are_skewed(tmp_path):
    truth = tmp_path / "truth.csv"
    generate(SynthConfig(entities=400, documents=200, passages_per_doc=10, seed=3), tmp_path / "src", truth_path=truth)
    by_passage = defaultdict(set)
    for row in _rows(truth):
        by_passage[(row["doc_id"], row["passage"])].add(row["entity_id"])
    neighbours = defaultdict(set)
    for ents in by_passage.values():
        for a, b in combinations(sorted(ents), 2):
            neighbours[a].add(b)
            neighbours[b].add(a)
    degrees = [len(v) for v in neighbours.values()]
    assert max(degrees) >= 8 * statistics.median(degrees)


def test_aliases_are_spelling_variants_and_never_shared(corpus):
    out, _, _ = corpus
    entities = _rows(out / "entities.csv")
    with_aliases = [e for e in entities if e["aliases"]]
    assert len(with_aliases) >= len(entities) // 2
    owner: dict[str, str] = {}
    for e in entities:
        for form in [e["name"]] + [a for a in e["aliases"].split(";") if a]:
            key = skeleton(form)
            assert owner.setdefault(key, e["entity_id"]) == e["entity_id"], f"{form!r} collides"
    variants = [
        a for e in entities for a in e["aliases"].split(";")
        if a and a != e["name"] and skeleton(a) == skeleton(e["name"])
    ]
    assert any("el-" in v for v in variants) or any(" " in v for v in variants)
    assert len(variants) >= 10


def test_collisions_only_when_asked(tmp_path):
    cfg = SynthConfig(**{**SMALL.__dict__, "collisions": 2})
    generate(cfg, tmp_path / "src")
    counts = Counter(a for e in _rows(tmp_path / "src" / "entities.csv") for a in e["aliases"].split(";") if a)
    assert sorted(n for n in counts.values() if n > 1) == [2, 2]


def test_text_has_all_caps_reports_variants_and_every_date_style(tmp_path):
    truth = tmp_path / "truth.csv"
    generate(SynthConfig(entities=200, documents=80, passages_per_doc=10, seed=5), tmp_path / "src", truth_path=truth)
    texts = [p.read_text(encoding="utf-8") for p in (tmp_path / "src" / "documents").iterdir()]
    body = "\n".join(texts)
    assert re.search(r"\b\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) 20\d\d\b", body)
    assert re.search(r"\b\d{2}(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\d{2}\b", body)
    assert re.search(r"\b[Bb]etween 20\d\d and 20\d\d\b", body)
    tags = re.findall(r"<!-- (.*?) -->", body)
    assert tags
    date_value = re.compile(r"^(none|\d{4}(-\d{2}(-\d{2})?)?(\.\.\d{4}(-\d{2}(-\d{2})?)?)?)$")
    for tag in tags:
        for part in tag.split("; "):
            key, value = part.split(": ")
            assert key in {"date", "claim"}
            assert date_value.match(value) if key == "date" else value in {"reports", "analysis", "official", "background"}
    caps = [t for t in texts if "THE DETAINEE" in t or "WAS MENTIONED" in t]
    assert caps, "some interrogation reports should be written in capitals"
    unlisted = [r for r in _rows(truth) if r["listed"] == "0"]
    assert unlisted and all(skeleton(r["surface"]) for r in unlisted)


def test_variants_keep_the_skeleton():
    import random

    rng = random.Random(1)
    for name in ("Qais Hadi al-Khazali", "Hassan Isma'il al-Tai", "Muhammad Sa'ad al-Rubai'i"):
        variants = spelling_variants(name, rng, 4)
        assert variants and all(skeleton(v) == skeleton(name) and v != name for v in variants)
    assert skeleton("Qays el-Khazzali") == skeleton("QAIS AL-KHAZALI")


def test_registry_refuses_a_form_inside_another_entitys_form():
    reg = FormRegistry()
    assert reg.claim("Hassan al-Amiri", "a")
    assert not reg.fits("Ali Hassan al-Amiri", "b")  # a's name would match inside b's
    assert not reg.fits("Amiri", "b")  # b's alias would match inside a's name
    assert reg.fits("Amiri", "a")
    assert not reg.fits("Hasan el-Amiri", "b")


def _synth_cli(argv: list[str]) -> int:
    """Run the synth command through its own parser (without importing the other commands)."""
    parser = argparse.ArgumentParser()
    synth_cmd.add_parser(parser.add_subparsers(dest="command"))
    return synth_cmd.run(parser.parse_args(["synth", *argv]))


def test_bad_arguments_are_reported_all_at_once(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x.txt").write_text("x")
    with pytest.raises(InputError) as info:
        _synth_cli(["--entities", "3", "--documents", "0", "--out", str(tmp_path / "full")])
    err = "\n".join(map(str, info.value.problems))
    assert "--entities" in err and "--documents" in err and "--force" in err
    assert (tmp_path / "full" / "x.txt").exists()
    with pytest.raises(InputError):
        generate(SynthConfig(entities=5), tmp_path / "new")
    assert not (tmp_path / "new").exists()


def test_force_replaces_the_folder(tmp_path, capsys):
    out = tmp_path / "src"
    out.mkdir()
    (out / "stale.txt").write_text("old")
    assert _synth_cli(["--entities", "20", "--documents", "3", "--out", str(out), "--force"]) == 0
    assert "20 entities" in capsys.readouterr().out
    assert not (out / "stale.txt").exists() and (out / "entities.csv").is_file()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "no temporary folder left behind"


_HAS_BUILD = importlib.util.find_spec("dashboard.commands.build") is not None


@pytest.mark.slow
@pytest.mark.skipif(not _HAS_BUILD, reason="the build pipeline (dashboard.commands.build) is not merged yet")
def test_generated_corpus_builds_and_relations_are_linked(corpus, tmp_path):
    from dashboard.__main__ import main
    from dashboard.tables import load_tables

    out, _, _ = corpus
    assert main(["build", str(out), "--out", str(tmp_path / "built"), "--quiet"]) == 0
    t = load_tables(tmp_path / "built")
    for name in ("documents", "passages", "entities", "mentions", "relations", "evidence", "links"):
        assert len(getattr(t, name)) > 0, name
    assert len(t.passages) == SMALL.documents * SMALL.passages_per_doc
    mentioned = set(zip(t.mentions["passage_id"], t.mentions["entity_id"]))
    assert len(t.relations) == len(_rows(out / "relations.csv"))
    for r in t.relations.itertuples():
        assert (r.passage_id, r.source) in mentioned and (r.passage_id, r.target) in mentioned, r
    dated = t.passages["date_start"].notna().mean()
    assert dated > 0.6, "tags and prose dates should date most passages"

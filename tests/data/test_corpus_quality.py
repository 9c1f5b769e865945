"""Quality checks on the embedded Khazali corpus, read straight from its files.

These tests do not use the build pipeline: they parse ``entities.csv``,
``relations.csv`` and ``documents/*.md`` with pandas and yaml, following
``docs/corpus-format.md``, so a broken corpus is caught even when the build is
not available. A stricter, linker-based check of relation passages belongs to the
pipeline's own tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest
import yaml

CORPUS = Path(__file__).resolve().parents[2] / "data" / "khazali" / "corpus"
CLAIM_CLASSES = {"reports", "analysis", "official", "background"}
ENTITY_TYPES = {"person", "organization", "place", "event", "other"}
DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
DATE_RE = re.compile(rf"^{DATE}$")
DATE_TAG_RE = re.compile(rf"^(?:none|{DATE}(?:\.\.{DATE})?)$")
ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
TAG_RE = re.compile(r"^<!--(.*?)-->\s*", re.S)
FRONT_RE = re.compile(r"^---\s*\n(.*?)\n---\s*\n(.*)$", re.S)


@dataclass
class Passage:
    text: str
    tags: dict[str, str] = field(default_factory=dict)


@dataclass
class Document:
    doc_id: str
    meta: dict
    passages: list[Passage]


def parse_document(raw: str, doc_id: str = "doc") -> Document:
    """Split a Markdown document into front matter and numbered passages (corpus-format.md)."""
    raw = raw.lstrip("\ufeff").replace("\r\n", "\n")
    meta: dict = {}
    body = raw
    match = FRONT_RE.match(raw)
    if match:
        meta = yaml.safe_load(match.group(1)) or {}
        body = match.group(2)
    passages = []
    for block in re.split(r"\n\s*\n", body):
        block = block.strip()
        if not block or block.startswith("#"):
            continue
        tags: dict[str, str] = {}
        tag = TAG_RE.match(block)
        if tag:
            for item in tag.group(1).split(";"):
                if ":" in item:
                    key, value = item.split(":", 1)
                    tags[key.strip()] = value.strip()
            block = block[tag.end():]
        passages.append(Passage(" ".join(block.split()), tags))
    return Document(doc_id, meta, passages)


@lru_cache(maxsize=1)
def documents() -> dict[str, Document]:
    paths = sorted((CORPUS / "documents").glob("*.md"))
    return {p.stem: parse_document(p.read_text(encoding="utf-8"), p.stem) for p in paths}


@lru_cache(maxsize=1)
def entities() -> pd.DataFrame:
    return pd.read_csv(CORPUS / "entities.csv", dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def relations() -> pd.DataFrame:
    return pd.read_csv(CORPUS / "relations.csv", dtype=str, keep_default_na=False)


def split_list(cell: str) -> list[str]:
    return [item.strip() for item in cell.split(";") if item.strip()]


def surface_forms(entity_id: str) -> list[str]:
    row = entities().set_index("entity_id").loc[entity_id]
    return [row["name"], *split_list(row["aliases"])]


def mentions(text: str, forms: list[str]) -> bool:
    """Case-insensitive whole-word search for any of ``forms`` in ``text``."""
    return any(re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text, re.I) for f in forms)


# --- the parser itself -------------------------------------------------------


def test_parser_counts_passages_skips_headings_and_reads_tags():
    raw = (
        "---\ntitle: T\nclaim_class: analysis\n---\n\n# Heading\n\n"
        "<!-- date: 2003-06; claim: reports -->\nFirst\nline.\n\n\n"
        "Second passage.\n"
    )
    doc = parse_document(raw)
    assert doc.meta["claim_class"] == "analysis"
    assert [p.text for p in doc.passages] == ["First line.", "Second passage."]
    assert doc.passages[0].tags == {"date": "2003-06", "claim": "reports"}
    assert doc.passages[1].tags == {}


def test_mentions_is_case_insensitive_and_whole_word():
    assert mentions("the league of the righteous struck", ["League of the Righteous"])
    assert not mentions("KHAN said", ["KH"])


# --- documents ----------------------------------------------------------------


def test_corpus_has_documents_and_passages():
    docs = documents()
    assert len(docs) >= 35
    assert sum(len(d.passages) for d in docs.values()) >= 250


@pytest.mark.parametrize("doc_id", sorted(documents()))
def test_document_front_matter(doc_id):
    meta = documents()[doc_id].meta
    for key in ("title", "publisher", "url", "published", "kind", "claim_class"):
        assert str(meta.get(key, "")).strip(), f"{doc_id}: missing {key}"
    assert re.match(r"^https?://\S+$", meta["url"]), f"{doc_id}: url {meta['url']!r}"
    assert DATE_RE.match(str(meta["published"])), f"{doc_id}: published {meta['published']!r}"
    assert meta["claim_class"] in CLAIM_CLASSES


@pytest.mark.parametrize("doc_id", sorted(documents()))
def test_every_passage_has_a_valid_claim_class_and_date_tag(doc_id):
    doc = documents()[doc_id]
    assert doc.passages, f"{doc_id} has no passages"
    default = doc.meta.get("claim_class", "background")
    for n, passage in enumerate(doc.passages, start=1):
        assert passage.text, f"{doc_id}:{n} is empty"
        claim = passage.tags.get("claim", default)
        assert claim in CLAIM_CLASSES, f"{doc_id}:{n} claim {claim!r}"
        assert set(passage.tags) <= {"date", "claim"}, f"{doc_id}:{n} tags {passage.tags}"
        if "date" in passage.tags:
            assert DATE_TAG_RE.match(passage.tags["date"]), f"{doc_id}:{n} date {passage.tags['date']!r}"


def test_all_four_claim_classes_are_used():
    used = {
        p.tags.get("claim", d.meta.get("claim_class", "background"))
        for d in documents().values()
        for p in d.passages
    }
    assert used == CLAIM_CLASSES


def test_urls_are_unique_per_document():
    urls = pd.Series([d.meta["url"] for d in documents().values()])
    assert not urls.duplicated().any(), urls[urls.duplicated()].tolist()


# --- entities -------------------------------------------------------------------


def test_entities_table_shape_and_ids():
    ents = entities()
    assert list(ents.columns) == ["entity_id", "name", "type", "aliases", "affiliations", "description"]
    assert len(ents) >= 100
    assert ents["entity_id"].is_unique
    bad_ids = [e for e in ents["entity_id"] if not ID_RE.match(e)]
    assert not bad_ids
    assert set(ents["type"]) <= ENTITY_TYPES
    assert (ents["name"].str.strip() != "").all()
    assert (ents["description"].str.strip() != "").all()


def test_no_alias_is_claimed_by_two_entities():
    owners: dict[str, set[str]] = {}
    for row in entities().itertuples():
        for form in [row.name, *split_list(row.aliases)]:
            owners.setdefault(form.casefold(), set()).add(row.entity_id)
    clashes = {form: ids for form, ids in owners.items() if len(ids) > 1}
    assert not clashes


def test_affiliations_reference_known_entities():
    ents = entities()
    known = set(ents["entity_id"])
    unknown = {
        (row.entity_id, aff)
        for row in ents.itertuples()
        for aff in split_list(row.affiliations)
        if aff not in known or aff == row.entity_id
    }
    assert not unknown


def test_every_entity_is_mentioned_in_some_passage():
    texts = [p.text for d in documents().values() for p in d.passages]
    corpus_text = "\n".join(texts)
    missing = [e for e in entities()["entity_id"] if not mentions(corpus_text, surface_forms(e))]
    assert not missing


def test_hajj_yusif_and_shahlai_stay_separate_entities():
    ents = entities().set_index("entity_id")
    assert "hajj-yusif" in ents.index and "abdul-reza-shahlai" in ents.index
    rels = relations()
    link = rels[(rels.source == "hajj-yusif") & (rels.target == "abdul-reza-shahlai")]
    assert (link["relation"] == "identified_as").all() and len(link) >= 1
    ifmat = link[link.doc_id.str.startswith("ifmat")]
    assert (ifmat["claim_class"] == "analysis").all() and len(ifmat) == 1


# --- relations ------------------------------------------------------------------


def test_relations_table_shape():
    rels = relations()
    assert list(rels.columns) == ["source", "target", "relation", "doc_id", "passage", "claim_class"]
    assert len(rels) >= 150
    assert rels["relation"].str.match(r"^[a-z][a-z0-9_]*$").all()
    assert set(rels["claim_class"]) - {""} <= CLAIM_CLASSES
    assert not rels.duplicated(["source", "target", "relation", "doc_id", "passage"]).any()


def test_relation_endpoints_are_known_entities():
    known = set(entities()["entity_id"])
    rels = relations()
    unknown = rels[~rels["source"].isin(known) | ~rels["target"].isin(known)]
    assert unknown.empty, unknown.to_dict("records")
    assert not (rels["source"] == rels["target"]).any()


def test_relation_passages_exist():
    docs = documents()
    problems = []
    for row in relations().itertuples():
        doc = docs.get(row.doc_id)
        if doc is None:
            problems.append((row.Index, row.doc_id, "unknown doc"))
        elif not row.passage.isdigit() or not 1 <= int(row.passage) <= len(doc.passages):
            problems.append((row.Index, row.doc_id, row.passage))
    assert not problems


def test_relation_passage_mentions_both_ends():
    docs = documents()
    problems = []
    for row in relations().itertuples():
        text = docs[row.doc_id].passages[int(row.passage) - 1].text
        for end in (row.source, row.target):
            if not mentions(text, surface_forms(end)):
                problems.append(f"row {row.Index + 2}: {end} not in {row.doc_id}:{row.passage}")
    assert not problems, "\n".join(problems[:20])


def test_disputes_are_kept_as_separate_sourced_claims():
    rels = relations()
    captors = rels[(rels.source == "qais-al-khazali") & (rels.relation == "captured_by")]
    assert {"british-sas", "mnf-i"} <= set(captors["target"])
    assert captors["doc_id"].nunique() >= 3
    exchange = rels[rels.relation == "released_in_exchange_for"]
    assert exchange["doc_id"].nunique() >= 2
    denial = rels[rels.relation == "denied_deal_for"]
    assert not denial.empty
    founding = rels[(rels.source == "asaib-ahl-al-haq") & (rels.relation == "split_from")]
    dates = {
        documents()[r.doc_id].passages[int(r.passage) - 1].tags.get("date")
        for r in founding.itertuples()
    }
    assert {"2006-01", "2006-07"} <= dates

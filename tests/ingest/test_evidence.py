"""Evidence rows from mentions and relations, and their aggregation into links."""

import pandas as pd

from dashboard.ingest.evidence import aggregate_links, build_evidence

PASSAGES = pd.DataFrame(
    {
        "passage_id": ["d:0", "d:1", "e:0"],
        "doc_id": ["d", "d", "e"],
        "claim_class": ["reports", "official", "analysis"],
        "date_start": ["2003-01-01", None, "2007-03-20"],
        "date_end": ["2003-12-31", None, "2007-03-20"],
    }
)
MENTIONS = pd.DataFrame(
    {
        "passage_id": ["d:0", "d:0", "d:0", "d:0", "d:1", "d:1", "e:0", "e:0"],
        "entity_id": ["b", "a", "c", "a", "a", "b", "b", "a"],
    }
)
RELATIONS = pd.DataFrame(
    {
        "source": ["b", "b"], "target": ["a", "a"], "relation": ["member_of", "leads"],
        "passage_id": ["d:0", "e:0"], "claim_class": ["reports", "official"],
        "date_start": ["2003-01-01", "2007-03-20"], "date_end": ["2003-12-31", "2007-03-20"],
    }
)


def test_co_mentions_one_row_per_pair_and_passage():
    ev = build_evidence(MENTIONS, RELATIONS.iloc[0:0], PASSAGES)
    co = ev[ev.kind == "co-mention"]
    assert sorted(zip(co.source, co.target, co.passage_id)) == [
        ("a", "b", "d:0"), ("a", "b", "d:1"), ("a", "b", "e:0"), ("a", "c", "d:0"), ("b", "c", "d:0"),
    ]
    assert co.relation.isna().all()


def test_links_aggregate_weights_counts_dates_and_types():
    links = aggregate_links(build_evidence(MENTIONS, RELATIONS, PASSAGES)).set_index(["source", "target", "kind"])
    ab = links.loc[("a", "b", "co-mention")]
    assert (ab.weight, ab.n_passages, ab.n_documents) == (3.0, 3, 2)
    assert (ab["first"], ab["last"]) == ("2003-01-01", "2007-03-20")  # the undated passage is ignored
    assert list(ab.relations) == []
    rel = links.loc[("b", "a", "relation")]  # direction as written
    assert rel.weight == 2.0 and list(rel.relations) == ["leads", "member_of"]


def test_links_of_filtered_evidence_count_only_what_is_left():
    ev = build_evidence(MENTIONS, RELATIONS, PASSAGES)
    links = aggregate_links(ev[ev.claim_class == "reports"])
    assert set(zip(links.source, links.target, links.kind)) == {
        ("a", "b", "co-mention"), ("a", "c", "co-mention"), ("b", "c", "co-mention"), ("b", "a", "relation"),
    }
    assert links.weight.tolist() == [1.0] * 4


def test_empty_evidence_gives_empty_links_with_columns():
    links = aggregate_links(build_evidence(MENTIONS.iloc[0:0], RELATIONS.iloc[0:0], PASSAGES))
    assert links.empty and "weight" in links.columns

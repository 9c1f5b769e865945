"""The lookup indexes agree with the tables they are built from."""

from dashboard.panels.index import cached, data_index, pair_key, view_index
from tests.panels.conftest import make_view


def test_data_index_matches_the_tables(tables):
    dix = data_index(tables)
    m = tables.mentions
    for eid in tables.entities["entity_id"]:
        assert dix.entity_passages.get(eid, set()) == set(m.loc[m["entity_id"] == eid, "passage_id"])
    assert dix.doc_passages["d1"] == ["d1:0", "d1:1", "d1:2"]
    assert dix.passages["d1:2"]["date_start"] is None  # missing values are None, not NaN
    assert dix.documents["d3"]["url"] is None
    assert sorted(dix.mentions["d1:0"]) == sorted(
        zip(m.loc[m["passage_id"] == "d1:0", "start"], m.loc[m["passage_id"] == "d1:0", "end"],
            m.loc[m["passage_id"] == "d1:0", "entity_id"])
    )
    assert dix.pair_relations[pair_key("qais", "laith")] == [("brother_of", "laith", "qais", "d3:1")]
    assert data_index(tables) is dix  # built once


def test_view_index_matches_the_view(tables):
    view = make_view(tables, passage_ids=["d1:0", "d1:1", "d3:1"])
    vix = view_index(view)
    assert vix.passage_ids == {"d1:0", "d1:1", "d3:1"}
    ev = view.evidence
    ids = sorted(set(ev["source"]) | set(ev["target"]))
    for a in ids:
        for b in ids:
            mask = ((ev["source"] == a) & (ev["target"] == b)) | ((ev["source"] == b) & (ev["target"] == a))
            assert vix.pair_passages(a, b) == set(ev.loc[mask, "passage_id"])
        mine = (ev["source"] == a) | (ev["target"] == a)
        assert vix.evidence_passages(a) == set(ev.loc[mine, "passage_id"])
    assert vix.evidence_passages("nobody") == set() and vix.pair_passages("nobody", "qais") == set()
    assert vix.neighbors("laith")["qais"]["kinds"] == {"co-mention", "relation"}
    assert vix.neighbors("laith")["qais"]["relations"] == {"brother_of"}
    assert vix.neighbors("qais")["laith"]["weight"] == vix.neighbors("laith")["qais"]["weight"] == 2.0
    assert vix.neighbors("nobody") == {}
    assert vix.evidence_per_passage["d3:1"] == 1


def test_cached_computes_once_per_object(tables):
    calls = []
    assert cached(tables, "k", lambda: calls.append(1) or 42) == 42
    assert cached(tables, "k", lambda: calls.append(1) or 43) == 42
    assert calls == [1]


def test_pair_passage_counts_equal_the_pair_passages(tables):
    from dashboard.panels.rows import view_evidence_rows

    view = make_view(tables)
    vix = view_index(view)
    codes = view_evidence_rows(tables, view)
    ids = sorted(set(view.evidence["source"]) | set(view.evidence["target"]))
    for a in ids + ["nobody"]:
        counts = vix.pair_passage_counts(a, ids + ["nobody"], codes)
        assert counts == {b: len(vix.pair_passages(a, b)) for b in ids + ["nobody"]}
    # passages the codes cannot number are counted by id
    unknown = codes.copy()
    unknown[:] = -1
    assert vix.pair_passage_counts("qais", ids, unknown) == {b: len(vix.pair_passages("qais", b)) for b in ids}


def test_passage_positions_equal_get_indexer(tables):
    import pandas as pd

    from dashboard.panels.rows import passage_positions, passage_rows

    P = passage_rows(tables)
    ids = pd.Series(["d1:1", "nope", "d3:1", "d1:0", "d1:1", None], dtype=object)
    assert passage_positions(tables, ids).tolist() == P.index.get_indexer(ids).tolist()
    arrow_ids = pd.Series(["d3:1", "nope", "d1:0"], dtype="string[pyarrow]")
    assert passage_positions(tables, arrow_ids).tolist() == P.index.get_indexer(["d3:1", "nope", "d1:0"]).tolist()
    assert passage_positions(tables, pd.Series([], dtype=object)).tolist() == []


def test_view_evidence_rows_equal_a_lookup_of_their_ids(tables):
    from dashboard.analysis.view import make_view as make_real_view
    from dashboard.panels.rows import passage_rows, view_evidence_rows

    index = passage_rows(tables).index
    for filters in ({}, {"claims": ["reports"]}, {"orgs": ["aah"]}):
        view = make_real_view(tables, filters)
        assert view_evidence_rows(tables, view).tolist() == index.get_indexer(view.evidence["passage_id"]).tolist()

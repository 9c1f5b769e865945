"""Filters → view on the tiny hand-made dataset (see tests/analysis/tinydata.py)."""

import networkx as nx
import pandas as pd
import pytest

from dashboard.analysis.cache import ViewCache
from dashboard.analysis.view import Filters, aggregate_links, limit_rows, limit_view, make_view, stable_communities
from tests.analysis.tinydata import tiny_tables


@pytest.fixture(scope="module")
def data():
    return tiny_tables()


def ids(view):
    return set(view.entities.index)


def pairs(view):
    return {tuple(sorted(p)) for p in zip(view.links["source"], view.links["target"])}


def test_unfiltered_view_shows_every_mentioned_entity(data):
    v = make_view(data, {})
    assert ids(v) == set(data.entities["entity_id"]) - {"lonely"}
    assert len(v.links) == len(data.links)
    assert v.counts == {"entities": 12, "links": len(data.links), "passages": 7, "documents": 2}
    assert v.total["passages"] == 7 and v.notes == []
    assert {"x", "y", "community", "pagerank", "name", "aliases"} <= set(v.entities.columns)
    assert v.graph.number_of_nodes() == 12


def test_org_filter_keeps_org_and_its_members(data):
    v = make_view(data, {"orgs": ["aah"]})
    assert ids(v) == {"aah", "qais", "laith"}
    assert pairs(v) == {("aah", "qais"), ("aah", "laith"), ("laith", "qais")}
    v2 = make_view(data, {"orgs": ["aah", "hezbollah"]})
    assert ids(v2) == {"aah", "qais", "laith", "hezbollah", "daqduq"}


def test_hops_add_direct_neighbours(data):
    v = make_view(data, {"orgs": ["qods"], "hops": 1})
    # qods, its member soleimani, plus everyone sharing evidence with them
    assert ids(v) == {"qods", "soleimani", "qais", "iran"}
    assert ids(make_view(data, {"orgs": ["qods"]})) == {"qods", "soleimani"}


def test_period_overlap_with_partial_dates(data):
    # 2005 overlaps the 2004..2006 passage and the 2005 passage, not 2003-06 or 2007
    v = make_view(data, {"start": "2005", "end": "2005"})
    assert set(v.passage_ids) == {"d1:1", "d2:1"}
    assert ids(v) == {"qais", "soleimani", "qods", "iran", "muqtada", "jam", "aah"}
    assert ("muqtada", "qais") not in pairs(v)  # their only co-mention is in 2003-06
    assert any("2 undated passages" in n for n in v.notes)
    # a month bound: 2003-06 passage overlaps a period ending 2003-06-15
    v = make_view(data, {"start": "2003-01", "end": "2003-06-15"})
    assert set(v.passage_ids) == {"d1:0"}
    # an open-ended period
    assert set(make_view(data, {"start": "2007-02"}).passage_ids) == {"d2:0"}


def test_claim_filter(data):
    v = make_view(data, {"claims": ["official"]})
    assert set(v.passage_ids) == {"d2:0"}
    assert ids(v) == {"qais", "laith", "daqduq", "basra"}
    assert set(v.evidence["claim_class"]) == {"official"}


def test_kind_and_relation_filters(data):
    v = make_view(data, {"kinds": ["relation"]})
    assert set(v.links["kind"]) == {"relation"}
    assert ids(v) == {"soleimani", "qais", "karbala", "daqduq"}
    v = make_view(data, {"kinds": ["relation"], "relations": ["funded"]})
    assert pairs(v) == {("qais", "soleimani")}
    assert v.links["relations"].iloc[0] == ["funded"]
    # relation types do not touch co-mentions
    assert "co-mention" in set(make_view(data, {"relations": ["funded"]}).links["kind"])


def test_min_weight_drops_weak_links_and_isolates(data):
    v = make_view(data, {"min_weight": 2})
    # qais shares two passages each with laith, daqduq and iran; every other pair one
    assert pairs(v) == {("laith", "qais"), ("daqduq", "qais"), ("iran", "qais")}
    assert (v.links["n_passages"] >= 2).all()
    assert ids(v) == {"laith", "qais", "daqduq", "iran"}
    assert set(v.evidence["passage_id"]) == {"d1:0", "d1:1", "d1:2", "d1:3", "d2:0"}
    assert set(v.evidence["kind"]) == {"co-mention"}


def test_types_and_community(data):
    v = make_view(data, {"types": ["person"]})
    assert set(v.entities["type"]) == {"person"}
    comm = int(data.entities.set_index("entity_id").loc["soleimani", "community"])
    v = make_view(data, {"community": comm})
    expected = set(data.entities.loc[data.entities["community"] == comm, "entity_id"])
    assert ids(v) == expected


def test_focus_depth(data):
    d1 = make_view(data, {"focus": "soleimani", "depth": 1})
    assert ids(d1) == {"soleimani", "qods", "qais", "iran"}
    d2 = make_view(data, {"focus": "soleimani", "depth": 2})
    assert ids(d1) < ids(d2) and "laith" in ids(d2)
    missing = make_view(data, {"focus": "lonely"})
    assert any("not in this view" in n for n in missing.notes) and len(ids(missing)) == 12


def test_empty_view_says_so(data):
    v = make_view(data, {"start": "1990", "end": "1991"})
    assert v.empty and v.counts["entities"] == 0 and v.graph.number_of_nodes() == 0
    assert any("No entities match" in n for n in v.notes)


def test_metrics_recomputed_on_filtered_graph(data):
    v = make_view(data, {"orgs": ["aah"]})
    assert v.entities["degree"].to_dict() == {"aah": 2, "qais": 2, "laith": 2}
    full = make_view(data, {})
    assert full.entities.loc["qais", "degree"] > 2


def test_node_cap_trims_with_note(data):
    v = make_view(data, {})
    ents, links, notes = limit_view(v, "degree", node_cap=3, max_elements=1500)
    assert len(ents) == 3 and "qais" in ents.index
    assert set(links["source"]) | set(links["target"]) <= set(ents.index)
    assert notes and "top 3 of 12" in notes[0]
    ents, links, notes = limit_view(v, "degree", node_cap=400, max_elements=15)
    assert len(ents) + len(links) <= 15 and any("strongest" in n for n in notes)
    ents, links, notes = limit_view(v, "degree", node_cap=400, max_elements=1500)
    assert len(ents) == 12 and notes == []


def test_stable_communities_keep_global_ids():
    global_comm = {"a": 0, "b": 0, "c": 0, "d": 1, "e": 1, "f": 2}
    # the view numbers them differently; overlap brings the global ids back
    assert stable_communities({"a": 5, "b": 5, "d": 3, "e": 3}, global_comm) == {"a": 0, "b": 0, "d": 1, "e": 1}
    # a split global community: the bigger piece keeps its id, the other gets a fresh one
    out = stable_communities({"a": 0, "b": 0, "c": 1, "d": 2}, global_comm)
    assert out["a"] == out["b"] == 0 and out["d"] == 1 and out["c"] == 3
    # tie on overlap: the community of the highest-ranked member wins
    out = stable_communities({"c": 0, "d": 0}, global_comm, rank={"d": 10.0, "c": 1.0})
    assert out == {"c": 1, "d": 1}


def test_view_colours_stable_when_filtering(data):
    full = make_view(data, {})
    sub = make_view(data, {"start": "2007"})
    # every entity of a filtered view whose community survives whole keeps its global id
    for eid in sub.entities.index:
        assert sub.entities.loc[eid, "community"] in set(full.entities["community"]) | {max(full.entities["community"]) + 1}
    big = sub.entities.groupby("community").size().idxmax()
    members = sub.entities.index[sub.entities["community"] == big]
    assert (full.entities.loc[members, "community"] == big).sum() >= len(members) / 2


def test_filters_from_state_are_canonical():
    a = Filters.from_state({"orgs": ["jam", "aah"], "selected": {"type": "node", "id": "x"}, "hops": 1})
    b = Filters.from_state({"orgs": ["aah", "jam"], "hops": "1"})
    assert a == b and hash(a) == hash(b)
    assert Filters.from_state({"hops": 1}).hops == 0  # hops only means something with orgs
    assert Filters.from_state({"start": "2004", "end": "2004"}).end == "2004-12-31"
    assert Filters.from_state({}).is_default


def test_cache_reuses_views_and_evicts(data):
    cache = ViewCache(data, maxsize=2)
    v1 = cache.get({"orgs": ["aah"]})
    assert cache.get({"orgs": ["aah"], "selected": {"type": "node", "id": "qais"}, "page": 4}) is v1
    cache.get({"orgs": ["jam"]})
    cache.get({"claims": ["official"]})
    assert len(cache) == 2 and cache.misses == 3 and cache.hits == 1
    assert cache.get({"orgs": ["aah"]}) is not v1  # evicted and rebuilt
    calls = []
    f = lambda view: calls.append(1) or len(view.entities)
    assert cache.memo("n", {"orgs": ["aah"]}, "x", f) == 3
    assert cache.memo("n", {"orgs": ["aah"], "page": 2}, "x", f) == 3
    assert len(calls) == 1


def test_fast_aggregation_matches_the_table_definition(data):
    # every claim class selected: the evidence filter is active but keeps every row, so the
    # view's links (numpy path) must equal the links aggregated the build's way
    v = make_view(data, {"claims": ["reports", "analysis", "official", "background"]})
    got = v.links.sort_values(["source", "target", "kind"]).reset_index(drop=True)
    want = data.links.sort_values(["source", "target", "kind"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got.astype(object), want.astype(object), check_dtype=False)
    assert len(v.evidence) == len(data.evidence)


def test_cache_computes_a_view_once_under_concurrent_requests(data, monkeypatch):
    import threading
    import time as _time

    from dashboard.analysis import cache as cache_mod

    calls = []
    real = cache_mod.make_view

    def slow(*args, **kwargs):
        calls.append(1)
        _time.sleep(0.2)
        return real(*args, **kwargs)

    monkeypatch.setattr(cache_mod, "make_view", slow)
    cache = ViewCache(data, maxsize=4)
    got = []
    threads = [threading.Thread(target=lambda: got.append(cache.get({"orgs": ["jam"]}))) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(got) == 6 and all(v is got[0] for v in got)


def test_cache_computes_a_memoized_result_once_under_concurrent_requests(data):
    import threading
    import time as _time

    cache = ViewCache(data, maxsize=4)
    calls = []

    def compute(view):
        calls.append(1)
        _time.sleep(0.2)
        return {"entities": len(view.entities)}

    got = []
    threads = [threading.Thread(target=lambda: got.append(cache.memo("n", {"orgs": ["jam"]}, "x", compute)))
               for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(got) == 6 and all(v is got[0] for v in got)
    # another key computes; a failed computation is not kept and the next caller computes
    assert cache.memo("n", {"orgs": ["jam"]}, "y", compute) is not got[0] and len(calls) == 2

    def broken(view):
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        cache.memo("n", {}, "z", broken)
    assert cache.memo("n", {}, "z", compute)["entities"] == len(cache.get({}).entities)


def test_view_graph_is_the_one_build_graph_and_independent_of_row_order(data):
    """The view's graph (built from its adjacency) has the nodes, edges and weights that
    :func:`build_graph` gives for its tables, in the same insertion order, whatever the order
    of the input rows; its index answers the same neighbour questions."""
    from dashboard.analysis.graph import build_graph

    for state in ({}, {"orgs": ["aah"], "hops": 1}, {"kinds": ["relation"]}):
        v = make_view(data, state)
        ents = data.entities[data.entities["entity_id"].isin(v.entities.index)]
        ours = build_graph(ents, v.links)
        shuffled = build_graph(ents.sample(frac=1.0, random_state=3), v.links.sample(frac=1.0, random_state=4))
        assert list(ours.nodes(data=True)) == list(shuffled.nodes(data=True))
        assert list(ours.edges(data=True)) == list(shuffled.edges(data=True))
        assert list(v.graph.nodes) == list(ours.nodes)
        assert list(v.graph.edges(data="weight")) == list(ours.edges(data="weight"))
        for node in ours.nodes:
            assert node in v.index and sorted(v.index.neighbors(node)) == sorted(ours.neighbors(node))
        for a, b in ours.edges:
            assert v.index.has_edge(a, b) and v.index.has_edge(b, a)


@pytest.mark.parametrize("state", [
    {"start": "2005", "end": "2006"}, {"claims": ["reports"]}, {"kinds": ["relation"]},
    {"orgs": ["aah"], "hops": 1, "start": "2004"}, {"min_weight": 2, "end": "2007"},
])
def test_presorted_aggregation_equals_a_groupby_of_the_view_evidence(data, state):
    v = make_view(data, state)
    want = aggregate_links(v.evidence)
    got, want = (df.sort_values(["source", "target", "kind"]).reset_index(drop=True).astype(object)
                 for df in (v.links, want))
    got["relations"] = got["relations"].map(list)
    want["relations"] = want["relations"].map(list)
    pd.testing.assert_frame_equal(got.where(got.notna(), None), want.where(want.notna(), None), check_dtype=False)


def _reference_stable(view_comm, global_comm, rank=None):
    """The definition of stable_communities, written plainly (the oracle for the fast one)."""
    from collections import Counter

    rank = rank or {}
    groups = {}
    for eid, c in view_comm.items():
        groups.setdefault(c, []).append(eid)
    order = sorted(groups, key=lambda c: (-len(groups[c]), min(groups[c])))
    known = [int(g) for g in global_comm.values() if g is not None and int(g) >= 0]
    fresh = (max(known) + 1) if known else 0
    taken, mapping = set(), {}
    for c in order:
        members = sorted(groups[c], key=lambda e: (-float(rank.get(e, 0.0)), e))
        ok = [e for e in members if global_comm.get(e) is not None and int(global_comm[e]) >= 0]
        counts = Counter(int(global_comm[e]) for e in ok)
        top = {}
        for pos, e in enumerate(members):
            if e in ok:
                top.setdefault(int(global_comm[e]), pos)
        choice = next((g for g in sorted(counts, key=lambda g: (-counts[g], top[g], g)) if g not in taken), None)
        if choice is None:
            choice, fresh = fresh, fresh + 1
        taken.add(choice)
        mapping[c] = choice
    return {e: mapping[c] for e, c in view_comm.items()}


def test_stable_communities_equals_its_plain_definition_on_random_inputs():
    import random

    rng = random.Random(7)
    for trial in range(300):
        ids = list(dict.fromkeys(f"e{rng.randint(0, 999):03d}" for _ in range(rng.randint(1, 60))))
        view_comm = {e: rng.randint(0, 6) for e in ids}
        global_comm = {e: rng.choice([None, -1, 0, 1, 2, 3, 7]) for e in ids + ["other"]}
        rank = {e: float(rng.randint(0, 4)) for e in ids} if trial % 2 else None
        assert stable_communities(view_comm, global_comm, rank) == _reference_stable(view_comm, global_comm, rank)


def test_cache_drops_least_recent_views_above_its_memory_budget(data):
    from dashboard.analysis.cache import view_bytes

    one = view_bytes(make_view(data, {"start": "2004"}))
    cache = ViewCache(data, maxsize=100, max_mb=(one * 2.5) / 2**20)  # room for about two views
    states = [{"start": "2004"}, {"start": "2005"}, {"claims": ["reports"]}, {"end": "2007"}]
    for s in states:
        cache.get(s)
    assert 1 <= len(cache) <= 3 and cache.nbytes <= cache.max_bytes
    before = cache.misses
    cache.get(states[-1])  # the newest is kept
    assert cache.misses == before
    cache.get(states[0])  # the oldest was dropped
    assert cache.misses == before + 1


def test_view_note_says_betweenness_is_sampled_and_from_how_many_sources(data):
    v = make_view(data, {"claims": ["reports", "analysis", "official", "background"]},
                  {"view_betweenness_work": 1, "seed": 42})
    assert v.entities["betweenness_approx"].all()
    note = next(n for n in v.notes if n.startswith("Betweenness is estimated"))
    assert "approximate" in note and f"of {len(v.entities):,} entities as sources" in note
    exact = make_view(data, {"claims": ["reports", "analysis", "official", "background"]})
    assert not exact.entities["betweenness_approx"].any()
    assert not any(n.startswith("Betweenness is estimated") for n in exact.notes)


def test_memoized_results_are_capped(data):
    from dashboard.analysis.cache import MEMO_MAX

    cache = ViewCache(data, maxsize=256)
    for i in range(MEMO_MAX + 40):
        assert cache.memo("thing", {}, i, lambda v, i=i: i * 2) == i * 2
    assert len(cache._memo) == MEMO_MAX
    assert cache.memo("thing", {}, MEMO_MAX + 39, lambda v: "recomputed") == 2 * (MEMO_MAX + 39)  # newest kept
    assert cache.memo("thing", {}, 0, lambda v: "recomputed") == "recomputed"  # oldest dropped


def test_cache_budget_counts_indexes_and_memoized_results_derived_from_views(data):
    import numpy as np

    from dashboard.panels.index import view_index

    cache = ViewCache(data, maxsize=100)
    old = cache.get({"start": "2004"})
    vix = view_index(old)  # what a panel keeps on the view
    assert vix.nbytes > 0
    old.graph  # built by a path search
    cache.get({"start": "2005"})  # a new view: the cached ones' derived data is re-estimated
    assert cache._derived[old.filters] >= vix.nbytes + 320 * old.graph.number_of_edges() > vix.nbytes
    held = cache.nbytes
    cache.memo("big", {"start": "2005"}, None, lambda view: np.zeros(100_000))
    assert cache.nbytes >= held + 800_000
    # the same results under a budget with no room for the memoized array: the older view goes
    small = ViewCache(data, maxsize=100, max_mb=(held + 400_000) / 2**20)
    view_index(small.get({"start": "2004"}))
    small.get({"start": "2005"})
    assert len(small) == 2
    small.memo("big", {"start": "2005"}, None, lambda view: np.zeros(100_000))
    assert len(small) == 1 and small.get({"start": "2005"}) is not None and small.misses == 2


@pytest.mark.parametrize("state", [{}, {"start": "2005", "end": "2006"}, {"orgs": ["aah"], "hops": 1}, {"kinds": ["relation"]},
                                   {"start": "1900", "end": "1901"}])
def test_view_evidence_is_taken_on_first_access_and_equals_its_rows(data, state):
    v = make_view(data, state)
    assert not v.evidence_loaded
    want = data.evidence.iloc[v.evidence_rows].reset_index(drop=True)
    for col in ("passage_id", "source", "date_start"):
        pd.testing.assert_series_equal(v.evidence_column(col), want[col])
    assert not v.evidence_loaded
    pd.testing.assert_frame_equal(v.evidence, want)
    assert v.evidence_loaded and v.evidence is v.evidence  # kept
    assert list(v.evidence_rows) == sorted(v.evidence_rows)
    # evidence_ends are rows of the view's entities, aligned with the evidence rows
    src, tgt = v.evidence_ends
    assert list(v.entities["entity_id"].to_numpy()[src]) == list(v.evidence["source"])
    assert list(v.entities["entity_id"].to_numpy()[tgt]) == list(v.evidence["target"])
    # passage ids are read from the masks on first access: the passing passages, and of those
    # the ones mentioning an entity of the view
    assert v._passage_ids is None and v._visible_passage_ids is None
    assert list(v.passage_ids) == list(data.passages["passage_id"][v.passage_mask])
    ents = set(v.entities["entity_id"])
    mentioning = set(data.mentions.loc[data.mentions["entity_id"].isin(ents), "passage_id"])
    assert list(v.visible_passage_ids) == [p for p in v.passage_ids if p in mentioning]
    assert v.counts["passages"] == len(v.visible_passage_ids)


def test_view_memory_counts_its_evidence_once_taken(data):
    from dashboard.analysis.cache import lazy_bytes, view_bytes

    v = make_view(data, {"start": "2005"})
    before = view_bytes(v)
    assert not v.evidence_loaded and lazy_bytes(v) == 0  # measuring does not take the evidence
    ev = v.evidence
    assert lazy_bytes(v) == int(ev.memory_usage(index=False, deep=False).sum()) > 0
    assert view_bytes(v) == before + lazy_bytes(v)
    cache = ViewCache(data, maxsize=10)
    first = cache.get({"start": "2004"})
    first.evidence
    cache.get({"start": "2006"})  # re-estimates what the cached views took since
    assert cache._derived[first.filters] >= lazy_bytes(first) > 0


def test_relation_lists_of_runs_equal_the_sorted_set_of_each_run():
    import random
    from types import SimpleNamespace

    import numpy as np

    from dashboard.analysis.view import _relation_lists

    rng = random.Random(3)
    for width in (1, 3, 16, 70):  # 70: more types than bits of a mask
        idx = SimpleNamespace(relation_names=np.array([f"rel{i:02d}" for i in range(width)], dtype=object))
        sizes = [rng.randint(1, 6) for _ in range(200)]
        codes = np.array([rng.choice([-1, -1, *range(width)]) for _ in range(sum(sizes))], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        got = _relation_lists(idx, codes, starts, len(sizes))
        for g, (a, k) in enumerate(zip(starts, sizes)):
            want = sorted({f"rel{c:02d}" for c in codes[a:a + k] if c >= 0})
            assert (got[g] == ()) if not want else (got[g] == want and isinstance(got[g], list))


def test_limit_rows_are_the_rows_limit_view_draws(data):
    v = make_view(data, {})
    for cap, most in ((3, 1500), (400, 15), (5, 9), (400, 1500)):
        node_rows, link_rows, notes = limit_rows(v, "pagerank", cap, most)
        ents, links, same_notes = limit_view(v, "pagerank", cap, most)
        assert notes == same_notes
        assert (node_rows is None) == (len(ents) == len(v.entities))
        assert list(ents.index) == (list(v.entities.index) if node_rows is None else list(v.entities.index[node_rows]))
        assert list(links.index) == (list(v.links.index) if link_rows is None else list(v.links.index[link_rows]))


def test_limit_view_breaks_ties_by_id_whatever_the_row_order(data):
    v = make_view(data, {})
    shuffled = type(v)(**{**v.__dict__, "entities": v.entities.iloc[::-1], "link_ends": None})
    ents, links, _ = limit_view(v, "degree", 5, 1500)
    ents2, links2, _ = limit_view(shuffled, "degree", 5, 1500)
    assert list(ents.index) == list(ents2.index)
    values = v.entities["degree"]
    # the largest first; among equal values, ids in text order
    assert list(ents.index) == sorted(v.entities.index, key=lambda e: (-values[e], e))[:5]
    assert sorted(map(tuple, links[["source", "target", "kind"]].values)) == sorted(
        map(tuple, links2[["source", "target", "kind"]].values))


def test_a_view_knows_the_size_of_its_frames(data):
    from dashboard.analysis.cache import view_bytes

    def measured(v):
        return int(sum(df.memory_usage(index=False, deep=False).sum() for df in (v.entities, v.links)))

    for state in ({}, {"start": "2005"}, {"orgs": ["aah"]}, {"start": "1990", "end": "1991"}):
        v = make_view(data, state)
        assert v.frames_nbytes == measured(v)  # nothing filtered after building: exact
    for state in ({"min_weight": 2}, {"focus": "qais"}):  # links filtered after aggregating: pro rata
        v = make_view(data, state)
        assert abs(v.frames_nbytes - measured(v)) <= 0.25 * measured(v)
    v = make_view(data, {"start": "2005"})
    elsewhere = type(v)(**{**v.__dict__, "frames_nbytes": None})  # measured column by column instead
    assert view_bytes(elsewhere) == view_bytes(v)

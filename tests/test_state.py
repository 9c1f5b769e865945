"""The app state: normalization of untrusted input, URL round trip."""

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from dashboard.state import DEFAULT_STATE, filter_part, from_query, normalize_state, parse_date_bound, to_query


def test_default_state_is_normal_and_has_empty_query():
    assert normalize_state(DEFAULT_STATE) == DEFAULT_STATE
    assert to_query(DEFAULT_STATE) == ""
    assert from_query("") == DEFAULT_STATE
    assert from_query(None) == DEFAULT_STATE


@pytest.mark.parametrize("bad", [None, 3, "x", [1, 2], {"orgs": 5}, {"orgs": [None, {}, 3.5]}])
def test_non_dict_or_garbage_gives_defaults(bad):
    assert normalize_state(bad) == DEFAULT_STATE


def test_unknown_keys_dropped_and_values_clamped():
    s = normalize_state({"evil": "<script>", "min_weight": -4, "page": 10**12, "hops": 7, "depth": 0,
                         "community": "abc", "size_by": "__class__", "color_by": "type", "time_axis": "nope"})
    assert set(s) == set(DEFAULT_STATE)
    assert s["min_weight"] == 1 and s["page"] == 100_000 and s["hops"] == 1 and s["depth"] == 1
    assert s["community"] is None and s["size_by"] == "degree" and s["color_by"] == "type"
    assert s["time_axis"] == "event"


def test_list_filters_keep_known_options_in_canonical_order():
    s = normalize_state({"types": ["place", "person", "alien", "person"], "claims": ["official", "reports", "rumour"],
                         "kinds": ["relation", "edge"], "orgs": ["aah", "bad id with spaces", "<b>", "aah", "jam"]})
    assert s["types"] == ["person", "place"]
    assert s["claims"] == ["reports", "official"]
    assert s["kinds"] == ["relation"]
    assert s["orgs"] == ["aah", "jam"]


def test_list_length_is_bounded():
    s = normalize_state({"orgs": [f"e{i}" for i in range(1000)], "relations": ["x" * 5000]})
    assert len(s["orgs"]) == 50
    assert s["relations"] == []


def test_dates_validated_and_reversed_period_swapped():
    s = normalize_state({"start": "2007-03", "end": 2004})
    assert (s["start"], s["end"]) == ("2004", "2007-03")
    assert normalize_state({"start": "2007-02-30"})["start"] is None
    assert normalize_state({"start": "2007-13"})["start"] is None
    assert normalize_state({"start": "yesterday"})["start"] is None
    assert normalize_state({"start": "2007-02-03T10:00"})["start"] == "2007-02-03"


def test_date_bounds_of_partial_dates():
    assert parse_date_bound("2004") == "2004-01-01"
    assert parse_date_bound("2004", end=True) == "2004-12-31"
    assert parse_date_bound("2008-02", end=True) == "2008-02-29"
    assert parse_date_bound("2007-02-03", end=True) == "2007-02-03"
    assert parse_date_bound(None) is None


def test_selection_shapes():
    assert normalize_state({"selected": {"type": "node", "id": "qais"}})["selected"] == {"type": "node", "id": "qais"}
    edge = {"type": "edge", "source": "a", "target": "b", "extra": 1}
    assert normalize_state({"selected": edge})["selected"] == {"type": "edge", "source": "a", "target": "b"}
    assert normalize_state({"selected": {"type": "edge", "source": "a", "target": "a"}})["selected"] is None
    assert normalize_state({"selected": {"type": "node", "id": "x|y"}})["selected"] is None
    assert normalize_state({"selected": "qais"})["selected"] is None
    assert normalize_state({"path": {"source": "a", "target": "b"}})["path"] == {"source": "a", "target": "b"}


def test_query_holds_only_non_default_keys():
    q = to_query({"orgs": ["aah", "jam"], "start": "2004", "selected": {"type": "edge", "source": "a", "target": "b"}})
    assert q == "orgs=aah&orgs=jam&start=2004&selected=edge%3Aa%7Cb"
    assert from_query("?" + q)["selected"] == {"type": "edge", "source": "a", "target": "b"}


def test_hostile_query_never_raises():
    for q in ["?orgs=%00&min_weight=1e400&selected=node:&path=|&page=-1", "?%%%&&==", "?community=-5&depth=9",
              "?" + "orgs=a&" * 10000, "?selected=edge:a|a", "?selected=what:ever"]:
        s = from_query(q)
        assert set(s) == set(DEFAULT_STATE)
        assert s["page"] >= 1 and 1 <= s["depth"] <= 2


def test_filter_part_ignores_presentation():
    a = normalize_state({"orgs": ["aah"], "selected": {"type": "node", "id": "qais"}, "page": 3})
    b = normalize_state({"orgs": ["aah"], "size_by": "pagerank"})
    assert filter_part(a) == filter_part(b)
    assert filter_part(a) != filter_part(normalize_state({"orgs": ["jam"]}))


_ids = st.from_regex(r"[a-z][a-z0-9_\-]{0,12}", fullmatch=True)
_states = st.fixed_dictionaries({}, optional={
    "orgs": st.lists(_ids, max_size=4),
    "relations": st.lists(st.text(min_size=1, max_size=20).filter(lambda t: t.strip() == t and t), max_size=3),
    "types": st.lists(st.sampled_from(["person", "organization", "place", "event", "other"]), max_size=3),
    "claims": st.lists(st.sampled_from(["reports", "analysis", "official", "background"]), max_size=3),
    "start": st.sampled_from([None, "2003", "2004-05", "2007-03-20"]),
    "end": st.sampled_from([None, "2008", "2007-12-31"]),
    "min_weight": st.integers(-5, 50),
    "community": st.one_of(st.none(), st.integers(0, 30)),
    "focus": st.one_of(st.none(), _ids),
    "depth": st.integers(0, 3),
    "selected": st.one_of(st.none(), st.builds(lambda i: {"type": "node", "id": i}, _ids),
                          st.builds(lambda a, b: {"type": "edge", "source": a, "target": b}, _ids, _ids)),
    "path": st.one_of(st.none(), st.builds(lambda a, b: {"source": a, "target": b}, _ids, _ids)),
    "page": st.integers(-3, 500),
    "color_by": st.sampled_from(["community", "type", "organization", "bogus"]),
})


@hsettings(max_examples=150, deadline=None)
@given(_states)
def test_url_round_trip(raw):
    state = normalize_state(raw)
    assert normalize_state(state) == state
    assert from_query("?" + to_query(state)) == state


def test_a_normalized_state_shares_no_mutable_value_with_the_default():
    from dashboard.state import DEFAULT_STATE, normalize_state

    for given in (None, {}, {"orgs": ["aah"]}):
        state = normalize_state(given)
        for key, value in state.items():
            if isinstance(value, (list, dict)):
                assert value is not DEFAULT_STATE[key]
        state["orgs"].append("x")
        assert DEFAULT_STATE["orgs"] == []

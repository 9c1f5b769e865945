"""Passages behind a selection: which, in what order, described how."""

import pytest

from dashboard.panels.excerpts.logic import (
    clamp_page,
    format_date,
    format_loose_date,
    format_span,
    format_period,
    page_count,
    passages_for_selection,
)
from tests.panels.conftest import make_view


def _ids(items):
    return [i["passage_id"] for i in items]


def test_node_passages_mention_the_entity_and_are_sorted_by_event_date_undated_last(tables, view):
    items, total = passages_for_selection(tables, view, {"type": "node", "id": "qais"}, 1, 50)
    # d1:1 2004-06, d2:1 2005, d1:0 Mar 2007, d3:0 20 Mar 2007
    assert _ids(items) == ["d1:1", "d2:1", "d1:0", "d3:0"]
    assert total == 4
    for item in items:
        mentioned = {s["entity_id"] for s in item["segments"]}
        assert "qais" in mentioned
        assert all(s["emphasized"] == (s["entity_id"] == "qais") for s in item["segments"])


def test_undated_passages_come_last():
    from tests.panels.conftest import make_tables

    t = make_tables()
    t.passages.loc[t.passages["passage_id"] == "d1:1", ["date_start", "date_end", "date_precision"]] = None
    items, _ = passages_for_selection(t, make_view(t), {"type": "node", "id": "qais"}, 1, 50)
    assert _ids(items)[-1] == "d1:1"
    assert items[-1]["period"] == "undated"


def test_node_passages_respect_the_view_period(tables):
    view = make_view(tables, passage_ids=["d1:0", "d3:0", "d3:1"])
    items, total = passages_for_selection(tables, view, {"type": "node", "id": "qais"}, 1, 50)
    assert _ids(items) == ["d1:0", "d3:0"] and total == 2


def test_edge_passages_are_shared_mentions_plus_typed_relations(tables, view):
    items, total = passages_for_selection(tables, view, {"type": "edge", "source": "laith", "target": "qais"}, 1, 50)
    # d1:0 mentions both; d3:1 only mentions Laith but carries the brother_of relation
    assert _ids(items) == ["d1:0", "d3:1"] and total == 2
    rel = {i["passage_id"]: i["relations"] for i in items}
    assert rel["d1:0"] == []
    assert rel["d3:1"][0]["relation"] == "brother_of"
    assert rel["d3:1"][0]["source_name"] == "Laith al-Khazali"
    # both ends emphasized
    emph = {s["entity_id"] for i in items for s in i["segments"] if s["emphasized"]}
    assert emph == {"laith", "qais"}


def test_edge_order_of_ends_does_not_matter(tables, view):
    a, _ = passages_for_selection(tables, view, {"type": "edge", "source": "qais", "target": "aah"}, 1, 50)
    b, _ = passages_for_selection(tables, view, {"type": "edge", "source": "aah", "target": "qais"}, 1, 50)
    assert _ids(a) == _ids(b) == ["d1:1"]
    assert a[0]["relations"][0]["relation"] == "leads"


def test_edge_relations_outside_the_view_are_dropped(tables):
    view = make_view(tables, claims=["reports", "analysis"])
    items, total = passages_for_selection(tables, view, {"type": "edge", "source": "laith", "target": "qais"}, 1, 50)
    assert _ids(items) == ["d1:0"] and total == 1


def test_item_metadata_and_url_safety(tables, view):
    items, _ = passages_for_selection(tables, view, {"type": "node", "id": "laith"}, 1, 50)
    by = {i["passage_id"]: i for i in items}
    d1 = by["d1:0"]
    assert d1["title"] == "TIR one" and d1["publisher"] == "AEI"
    assert d1["url_is_http"] is True and d1["published_label"] == "Aug 2018"
    assert d1["period"] == "Mar 2007" and d1["claim_class"] == "reports"
    assert d1["claim_label"] == "interrogation reports"
    assert d1["names"]["laith"] == "Laith al-Khazali"
    d2 = by["d2:0"]
    assert d2["url"] == "javascript:alert(1)" and d2["url_is_http"] is False
    assert d2["title"].startswith("Analysis <img")  # kept as text; the layout renders it as text
    d3 = by["d3:1"]
    assert d3["url"] is None and d3["url_is_http"] is False and d3["page"] == 2


def test_pagination_splits_and_clamps(tables, view):
    sel = {"type": "node", "id": "qais"}
    all_items, total = passages_for_selection(tables, view, sel, 1, 50)
    p1, t1 = passages_for_selection(tables, view, sel, 1, 3)
    p2, t2 = passages_for_selection(tables, view, sel, 2, 3)
    assert t1 == t2 == total == 4
    assert _ids(p1) + _ids(p2) == _ids(all_items)
    assert _ids(passages_for_selection(tables, view, sel, 99, 3)[0]) == _ids(p2)
    assert _ids(passages_for_selection(tables, view, sel, "x", 3)[0]) == _ids(p1)


def test_nothing_selected_shows_the_strongest_evidence_of_the_view(tables, view):
    items, total = passages_for_selection(tables, view, None, 1, 3)
    counts = view.evidence["passage_id"].value_counts()
    assert total == len(counts)
    got = [counts[i] for i in _ids(items)]
    assert got == sorted(got, reverse=True) and got[0] == counts.max()
    assert "d1:2" not in _ids(passages_for_selection(tables, view, None, 1, 50)[0])  # no evidence there


def test_unknown_entity_or_empty_view_gives_nothing(tables):
    view = make_view(tables)
    assert passages_for_selection(tables, view, {"type": "node", "id": "nobody"}, 1, 10) == ([], 0)
    empty = make_view(tables, passage_ids=[])
    assert passages_for_selection(tables, empty, {"type": "node", "id": "qais"}, 1, 10) == ([], 0)
    assert passages_for_selection(tables, empty, None, 1, 10) == ([], 0)


@pytest.mark.parametrize(
    "start,end,precision,expected",
    [
        ("2007-03-01", "2007-03-31", "month", "Mar 2007"),
        ("2006-11-01", "2007-02-28", "month", "Nov 2006–Feb 2007"),
        ("2007-01-01", "2007-05-31", "month", "Jan–May 2007"),
        ("2004-01-01", "2006-12-31", "year", "2004–2006"),
        ("2007-01-01", "2007-12-31", "year", "2007"),
        ("2007-03-20", "2007-03-20", "day", "20 Mar 2007"),
        ("2007-03-20", None, "day", "20 Mar 2007"),
        ("2007-03-20", "2007-03-22", "day", "20–22 Mar 2007"),
        ("2007-03-30", "2007-04-02", "day", "30 Mar 2007 – 2 Apr 2007"),
        ("2004-01-01", "2006-12-31", None, "2004–2006"),
        ("2007-03-01", "2007-03-31", None, "Mar 2007"),
        ("2007-03-20", "2007-03-20", None, "20 Mar 2007"),
        (None, None, None, "undated"),
        ("garbage", None, None, "undated"),
        (None, "2007-01-01", "day", "until 1 Jan 2007"),
    ],
)
def test_format_period(start, end, precision, expected):
    assert format_period(start, end, precision) == expected


def test_format_date_and_pages():
    assert format_date("2018-08-01") == "1 Aug 2018"
    assert format_date("2018-08-01", "month") == "Aug 2018"
    assert format_date(None) == ""
    assert page_count(0, 10) == 1 and page_count(21, 10) == 3
    assert clamp_page(0, 21, 10) == 1 and clamp_page(5, 21, 10) == 3 and clamp_page(None, 5, 10) == 1


@pytest.mark.parametrize(
    "iso,end,expected",
    [
        ("2013-01-01", False, "2013"),  # stored from "2013" (or "2013-01"): never claim the day
        ("2013-03-01", False, "Mar 2013"),
        ("2018-08-30", False, "30 Aug 2018"),
        ("2006-12-31", True, "2006"),
        ("2007-02-28", True, "Feb 2007"),
        ("2007-02-27", True, "27 Feb 2007"),
        (None, False, ""),
    ],
)
def test_format_loose_date(iso, end, expected):
    assert format_loose_date(iso, end) == expected


@pytest.mark.parametrize(
    "first,last,expected",
    [
        ("1974-01-01", "2020-01-03", "1974 – 3 Jan 2020"),
        ("2004-01-01", "2006-12-31", "2004 – 2006"),
        ("2007-01-01", "2007-12-31", "2007"),
        ("2007-03-20", "2007-03-20", "20 Mar 2007"),
        ("2007-03-01", None, "Mar 2007"),
        (None, "2007-03-31", "until Mar 2007"),
        (None, None, "undated"),
    ],
)
def test_format_span(first, last, expected):
    assert format_span(first, last) == expected

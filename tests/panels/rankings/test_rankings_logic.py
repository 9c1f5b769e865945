"""The rankings table rows, columns, ranks and row → entity mapping."""

import pandas as pd
import pytest

from dashboard.panels.rankings.logic import (
    format_metric,
    metric_ranks,
    rankings_frame,
    row_entity,
    table_columns,
    view_entities,
    view_key,
)
from tests.panels.conftest import make_view


def test_rankings_frame_lists_the_view_entities_sorted_by_the_measure(tables, view):
    frame = rankings_frame(view, "pagerank")
    assert set(frame["id"]) == set(view.entities["entity_id"])
    assert list(frame["pagerank"]) == sorted(frame["pagerank"], reverse=True)
    assert {"name", "type", "community", "degree", "betweenness", "eigenvector"} <= set(frame.columns)
    by_degree = rankings_frame(view, "degree")
    assert by_degree.iloc[0]["degree"] == view.entities["degree"].max()
    assert list(rankings_frame(view, "no-such")["pagerank"]) == list(frame["pagerank"])


def test_rankings_follow_the_view(tables):
    view = make_view(tables, passage_ids=["d2:0"])  # AAH, IRGC-QF, Laith
    assert set(rankings_frame(view)["id"]) == {"aah", "qf", "laith"}


def test_view_entities_accepts_an_id_index(view):
    indexed = type(view)(**{**view.__dict__, "entities": view.entities.set_index("entity_id")})
    assert list(view_entities(indexed)["entity_id"]) == list(view.entities["entity_id"])


def test_metric_ranks_highest_first_ties_share():
    frame = pd.DataFrame({"degree": [3, 5, 5, 1], "pagerank": [0.1, 0.4, 0.2, None]})
    ranks = metric_ranks(frame)
    assert list(ranks["degree"]) == [3, 1, 1, 4]
    assert list(ranks["pagerank"]) == [3, 1, 2, 4]


def test_table_columns_are_typed_and_flag_approximation(view):
    frame = rankings_frame(view)
    cols = table_columns(frame, approximate=True)
    ids = [c["id"] for c in cols]
    assert "id" not in ids and ids[0] == "name"
    assert {c["id"]: c.get("type") for c in cols}["pagerank"] == "numeric"
    assert {c["id"]: c["name"] for c in cols}["betweenness"] == "betweenness (approx.)"


def test_row_entity_prefers_row_id_so_sorting_cannot_mislead():
    rows = [{"id": "a"}, {"id": "b"}]
    assert row_entity({"row": 0, "column": 1, "row_id": "b"}, rows) == "b"
    assert row_entity({"row": 1, "column": 1}, rows) == "b"
    assert row_entity({"row": 5, "column": 1}, rows) is None
    assert row_entity(None, rows) is None


def test_view_key_ignores_ui_only_state():
    base = {"orgs": [], "start": None, "selected": None, "page": 1, "size_by": "degree"}
    same = {**base, "selected": {"type": "node", "id": "x"}, "page": 3, "size_by": "pagerank"}
    assert view_key(base) == view_key(same)
    assert view_key(base) != view_key({**base, "start": "2007-01-01"})


def test_format_metric():
    assert format_metric(12) == "12"
    assert format_metric(12.3456) == "12.346"
    assert format_metric(0.000123456) == "0.000123"
    assert format_metric(0.0) == "0"
    assert format_metric(float("nan")) == "–"
    assert format_metric("x") == "–"


# server-side paging, sorting and filtering (filter_action/sort_action/page_action "custom")

from dashboard.panels.rankings.logic import filter_rows, sort_rows, table_page  # noqa: E402

_FRAME = pd.DataFrame({
    "id": ["a", "b", "c", "d", "e"],
    "name": ["Abu Mahdi", "Qais al-Khazali", "abu Deraa", "Laith", "Basra"],
    "type": ["person", "person", "person", "person", "place"],
    "degree": [3, 9, 5, 9, 1],
    "pagerank": [0.1, 0.4, 0.2, 0.25, 0.05],
})


@pytest.mark.parametrize("query,expected", [
    ('{name} icontains "abu"', ["a", "c"]),
    ("{name} icontains abu", ["a", "c"]),
    ("{name} scontains Abu", ["a"]),
    ("{name} contains 'khaz'", ["b"]),
    ("{degree} > 4", ["b", "c", "d"]),
    ("{degree} ge 9", ["b", "d"]),
    ("{degree} = 9 && {name} icontains laith", ["d"]),
    ("{pagerank} <= 0.1", ["a", "e"]),
    ("{type} = PLACE", ["e"]),
    ("{type} seq PLACE", []),
    ("{type} ieq PLACE", ["e"]),
    ("{type} ne person", ["e"]),
    ("{name} datestartswith Q", ["b"]),
    ("", ["a", "b", "c", "d", "e"]),
    ("{nosuch} > 1", ["a", "b", "c", "d", "e"]),  # unknown column: ignored, as the table marks it invalid
    ("{degree} > many", ["a", "b", "c", "d", "e"]),  # not a number: ignored
    ("garbage", ["a", "b", "c", "d", "e"]),
])
def test_filter_rows_understands_the_table_filter_queries(query, expected):
    assert filter_rows(_FRAME, query)["id"].tolist() == expected


def test_sort_rows_sorts_by_the_column_then_name():
    rows = sort_rows(_FRAME, [{"column_id": "degree", "direction": "desc"}])
    assert rows["id"].tolist() == ["d", "b", "c", "a", "e"]  # Laith before Qais at degree 9
    assert sort_rows(_FRAME, [{"column_id": "name", "direction": "asc"}])["name"].tolist()[0] == "Abu Mahdi"
    assert sort_rows(_FRAME, [])["id"].tolist() == list(_FRAME["id"])
    assert sort_rows(_FRAME, [{"column_id": "nosuch", "direction": "asc"}])["id"].tolist() == list(_FRAME["id"])


def test_table_page_ships_one_page_and_counts_pages():
    page = table_page(_FRAME, 1, 2, None, [{"column_id": "pagerank", "direction": "desc"}])
    assert [r["id"] for r in page["rows"]] == ["c", "a"]
    assert page["page"] == 1 and page["page_count"] == 3 and page["matching"] == 5
    assert table_page(_FRAME, 99, 2)["page"] == 2  # clamped to the last page
    assert table_page(_FRAME, -3, 2)["page"] == 0
    empty = table_page(_FRAME, 0, 2, "{degree} > 100")
    assert empty["rows"] == [] and empty["page_count"] == 1 and empty["matching"] == 0


@pytest.mark.parametrize("page", [None, {"x": 1}, "2", "nonsense", 1e300, float("inf")])
def test_table_page_survives_any_page_value(page):
    shown = table_page(_FRAME, page, 2)
    assert 0 <= shown["page"] < shown["page_count"]
    assert filter_rows(_FRAME, {"not": "a string"}).equals(_FRAME)
    assert sort_rows(_FRAME, [{"column_id": ["x"], "direction": 3}])["id"].tolist() == list(_FRAME["id"])


def _reference_frame(view, sort_by):
    """The rankings frame as the plain pandas code built it."""
    ents = view_entities(view)
    cols = ["entity_id", "name", "type", "community", "degree", "weighted_degree", "betweenness", "eigenvector",
            "pagerank", "n_passages"]
    out = ents[[c for c in cols if c in ents.columns]].rename(columns={"entity_id": "id"})
    for m in ("weighted_degree", "betweenness", "eigenvector", "pagerank"):
        if m in out.columns:
            out[m] = pd.to_numeric(out[m], errors="coerce").round(4)
    key = sort_by if sort_by in out.columns else "pagerank"
    out = out.sort_values([key, "name"], ascending=[key == "name", True], kind="mergesort")
    return out.reset_index(drop=True)


@pytest.mark.parametrize("sort_by", ["pagerank", "degree", "betweenness", "weighted_degree", "name", "no-such"])
def test_rankings_frame_matches_the_pandas_reference(view, sort_by):
    # ties in the measure and in names: the name, then the view's order decides
    ents = view.entities.reset_index(drop=True)
    ents = pd.concat([ents, ents.assign(entity_id=ents["entity_id"] + "2")], ignore_index=True)
    ents.loc[0, "pagerank"] = None
    doubled = type(view)(**{**view.__dict__, "entities": ents})
    for v in (view, doubled):
        pd.testing.assert_frame_equal(rankings_frame(v, sort_by), _reference_frame(v, sort_by))


def test_table_page_rows_are_the_frame_s_records(view):
    from dashboard.panels.rankings.logic import table_page

    frame = rankings_frame(view)
    frame.loc[0, "pagerank"] = float("nan")
    odd = frame.assign(note=[None, "x"] + ["y"] * (len(frame) - 2))  # an object column: the plain path
    for f in (frame, odd):
        for page in (0, 1):
            shown = table_page(f, page, 2)["rows"]
            expected = f.iloc[page * 2 : page * 2 + 2].to_dict("records")
            assert [list(r) for r in shown] == [list(r) for r in expected]
            assert [[type(v) for v in r.values()] for r in shown] == [[type(v) for v in r.values()] for r in expected]
            assert [[v for v in r.values() if v == v] for r in shown] == [[v for v in r.values() if v == v] for r in expected]

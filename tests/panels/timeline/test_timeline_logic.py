"""Timeline lanes, points, brushing and the figure."""

import pandas as pd
import pytest

from dashboard.panels.timeline.logic import (
    CLAIM_COLORS,
    period_from_selection,
    timeline_figure,
    timeline_frame,
    timeline_lanes,
    timeline_points,
)
from tests.panels.conftest import make_view


def test_lanes_by_type_when_nothing_is_selected(tables, view):
    lanes = timeline_lanes(tables, view, None)
    assert [lane["label"].split(" ")[0] for lane in lanes] == ["person", "organization", "place"]
    person = lanes[0]
    assert person["passages"] == {"d1:0", "d1:1", "d2:0", "d2:1", "d3:0", "d3:1"}
    assert person["highlight"] == person["passages"]


def test_node_lanes_are_the_entity_then_its_strongest_neighbours(tables, view):
    lanes = timeline_lanes(tables, view, {"type": "node", "id": "qais"}, max_lanes=3)
    assert lanes[0]["entities"] == ["qais"] and lanes[0]["label"] == "Qais al-Khazali"
    assert len(lanes) == 3
    # Laith and Basra share two passages of evidence with Qais; the rest one
    assert {lane["entities"][0] for lane in lanes[1:]} == {"laith", "basra"}
    laith = next(lane for lane in lanes if lane["entities"] == ["laith"])
    # Laith's lane holds all Laith passages, highlights those that are evidence with Qais
    assert laith["passages"] == {"d1:0", "d2:0", "d3:1"}
    assert laith["highlight"] == {"d1:0", "d3:1"}
    # the selected entity's lane includes its relation passage without a mention (d3:1)
    assert "d3:1" in lanes[0]["passages"] and lanes[0]["highlight"] == lanes[0]["passages"]


def test_edge_lanes_highlight_the_pair_evidence(tables, view):
    lanes = timeline_lanes(tables, view, {"type": "edge", "source": "laith", "target": "qais"})
    assert [lane["entities"][0] for lane in lanes[:2]] == ["laith", "qais"]
    for lane in lanes:
        assert lane["highlight"] <= {"d1:0", "d3:1"}
    assert lanes[0]["highlight"] == {"d1:0", "d3:1"}


def test_lanes_stay_within_the_view(tables):
    view = make_view(tables, passage_ids=["d3:0", "d3:1"])
    lanes = timeline_lanes(tables, view, {"type": "node", "id": "qais"})
    assert all(lane["passages"] <= {"d3:0", "d3:1"} for lane in lanes)


def test_duplicate_names_get_distinct_lanes(tables):
    tables.entities.loc[tables.entities["entity_id"] == "laith", "name"] = "Qais al-Khazali"
    lanes = timeline_lanes(tables, make_view(tables), {"type": "node", "id": "qais"})
    labels = [lane["label"] for lane in lanes]
    assert len(labels) == len(set(labels))
    assert "Qais al-Khazali [laith]" in labels


def test_event_frame_uses_midpoints_and_counts_undated(tables, view):
    t = timeline_frame(tables, view, {"type": "node", "id": "qais"}, "event")
    f = t["frame"]
    row = f[(f["lane"] == 0) & (f["passage_id"] == "d1:1")].iloc[0]
    assert row["start"] == pd.Timestamp("2004-01-01") and row["end"] == pd.Timestamp("2006-12-31")
    assert row["mid"] == pd.Timestamp("2005-07-01 12:00")
    assert row["date_label"] == "2004–2006" and row["title"] == "TIR one" and row["claim_class"] == "reports"
    assert t["undated"] == 0 and t["lanes"][0] == "Qais al-Khazali"


def test_undated_passages_are_counted_not_drawn(tables):
    tables.passages.loc[tables.passages["passage_id"] == "d1:0", ["date_start", "date_end"]] = None
    t = timeline_frame(tables, make_view(tables), {"type": "node", "id": "qais"}, "event")
    assert "d1:0" not in set(t["frame"]["passage_id"])
    assert t["undated"] == 1


def test_report_axis_uses_publication_dates(tables, view):
    t = timeline_frame(tables, view, {"type": "node", "id": "qais"}, "published")
    f = t["frame"]
    assert t["axis"] == "published"
    assert timeline_frame(tables, view, None, "report")["axis"] == "published"
    assert timeline_frame(tables, view, None, "bogus")["axis"] == "event"
    assert set(f.loc[f["doc_id"] == "d1", "mid"]) == {pd.Timestamp("2018-08-01")}
    assert (f["start"] == f["end"]).all()
    assert f.loc[f["doc_id"] == "d3", "date_label"].iloc[0] == "reported 2 Jul 2007"


@pytest.mark.parametrize(
    "selected,relayout,expected",
    [
        ({"points": [], "range": {"x": ["2006-01-03 04:12:00.123", "2007-05-01"]}}, None, ("2006-01-03", "2007-05-01")),
        ({"range": {"x": ["2007-05-01", "2006-01-03"]}}, None, ("2006-01-03", "2007-05-01")),
        (None, {"xaxis.range[0]": "2005-02-01 10:00", "xaxis.range[1]": "2006-02-01"}, ("2005-02-01", "2006-02-01")),
        (None, {"xaxis.range": ["2005-02-01", "2006-02-01"]}, ("2005-02-01", "2006-02-01")),
        ({"range": {"x": [1167609600000, 1170288000000]}}, None, ("2007-01-01", "2007-02-01")),
        (None, {"xaxis.autorange": True}, None),
        ({"points": []}, None, None),
        ({"range": {"x": ["nonsense", "2007-01-01"]}}, None, None),
        (None, None, None),
    ],
)
def test_period_from_selection(selected, relayout, expected):
    assert period_from_selection(selected, relayout) == expected


def test_figure_has_lanes_legend_band_and_escaped_hover(tables, view):
    t = timeline_frame(tables, view, {"type": "node", "id": "laith"}, "event")
    fig = timeline_figure(t, ("2006-01-01", "2007-12-31"))
    assert list(fig.layout.yaxis.ticktext) == [label.replace("'", "&#x27;") for label in t["lanes"]]
    markers = [tr for tr in fig.data if tr.mode == "markers"]
    assert {tr.name for tr in markers} == {"interrogation reports", "analysis", "official statement"}
    for tr in markers:
        assert tr.marker.color in CLAIM_COLORS.values()
    hover_titles = [c[0] for tr in markers for c in tr.customdata]
    assert "Analysis &lt;img src=x onerror=alert(1)&gt;" in hover_titles
    assert not any("<img" in h for h in hover_titles)
    shapes = fig.layout.shapes
    assert len(shapes) == 1 and shapes[0].x0 == "2006-01-01" and shapes[0].x1 == "2007-12-31"
    assert fig.layout.dragmode == "select"
    # highlighted points are bigger than faded ones
    sizes = {s for tr in markers for s in tr.marker.size}
    assert sizes == {11, 7}


def test_figure_without_period_has_no_band_and_open_ended_band(tables, view):
    t = timeline_frame(tables, view, None, "event")
    assert len(timeline_figure(t, (None, None)).layout.shapes) == 0
    band = timeline_figure(t, ("2006-01-01", None)).layout.shapes[0]
    assert band.x0 == "2006-01-01" and band.x1 == "2007-03-31"


def test_empty_view_gives_an_empty_figure(tables):
    t = timeline_frame(tables, make_view(tables, passage_ids=[]), None, "event")
    assert t["frame"].empty and t["lanes"] == []
    assert timeline_figure(t).data == ()


def test_report_axis_figure_zooms_and_shows_no_event_band(tables, view):
    t = timeline_frame(tables, view, None, "published")
    fig = timeline_figure(t, ("2006-01-01", "2007-12-31"))
    assert fig.layout.dragmode == "zoom" and len(fig.layout.shapes) == 0


def test_points_outside_the_period_are_faded(tables, view):
    t = timeline_frame(tables, view, None, "event", period=("2007-01-01", "2007-12-31"))
    f = t["frame"]
    inside = f["start"].dt.year.eq(2007)
    assert f.loc[inside, "highlighted"].all()
    assert not f.loc[~inside, "highlighted"].any()
    # an interval overlapping the start of the period counts as inside
    t = timeline_frame(tables, view, None, "event", period=("2006-06-01", None))
    f = t["frame"]
    assert f.loc[f["passage_id"] == "d1:1", "highlighted"].all()
    assert not f.loc[f["passage_id"] == "d2:1", "highlighted"].any()


def test_partial_period_bounds_cover_whole_years_and_months(tables, view):
    t = timeline_frame(tables, view, None, "event", period=("2007", "2007"))
    f = t["frame"]
    assert f.loc[f["passage_id"] == "d3:0", "highlighted"].all()  # 20 Mar 2007
    band = timeline_figure(t, ("2007", "2007-02")).layout.shapes[0]
    assert (band.x0, band.x1) == ("2007-01-01", "2007-02-28")


def test_many_points_are_counted_per_lane_and_month(tables, view):
    full = timeline_frame(tables, view, None, "event", max_points=10_000)
    agg = timeline_frame(tables, view, None, "event", max_points=3)
    assert full["aggregated"] is False and agg["aggregated"] is True
    f, a = full["frame"], agg["frame"]
    # every drawn passage is counted once in its lane
    assert a.groupby("lane")["count"].sum().to_dict() == f.groupby("lane").size().to_dict()
    assert a["passage_id"].isna().all()
    months = f.assign(m=f["mid"].dt.to_period("M")).groupby(["lane", "claim_class", "highlighted", "m"]).ngroups
    assert len(a) == months
    fig = timeline_figure(agg)
    assert not [tr for tr in fig.data if tr.mode == "lines"]  # no bars for counted points
    hover = [c for tr in fig.data for c in tr.customdata]
    assert all(c[3] == "" for c in hover) and any(c[0].endswith("passages") for c in hover)


@pytest.mark.parametrize("max_points", [3, 10_000])
@pytest.mark.parametrize("axis", ["event", "published"])
def test_a_period_change_reuses_the_view_s_points_and_only_moves_the_highlight(tables, axis, max_points):
    # the period-free part is kept on the view: drawing one period must not leak into the next
    periods = [("2007-01-01", "2007-12-31"), None, ("2006-06-01", None), (None, "2006-12-31")]
    kept = make_view(tables)
    for period in periods:
        again = timeline_points(tables, kept, None, axis, period=period, max_points=max_points)
        fresh = timeline_points(tables, make_view(tables), None, axis, period=period, max_points=max_points)
        assert again["aggregated"] is fresh["aggregated"] is (max_points == 3)
        assert again["lanes"] == fresh["lanes"] and again["undated"] == fresh["undated"]
        assert again["points"].keys() == fresh["points"].keys()
        for name, values in fresh["points"].items():
            assert list(again["points"][name]) == list(values), name
    by_period = [timeline_points(tables, kept, None, axis, period=p, max_points=max_points)["points"]["highlighted"]
                 for p in periods[:2]]
    assert by_period[0].sum() < by_period[1].sum()  # without a period every dated point is highlighted

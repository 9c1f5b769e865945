"""The array timeline equals the plain reference on real views of the embedded dataset."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.analysis.view import make_view
from dashboard.panels.timeline.logic import timeline_frame, timeline_lanes
from dashboard.tables import load_tables
from tests.panels.timeline.reference import reference_frame, reference_lanes

EMBEDDED = Path(__file__).resolve().parents[3] / "data" / "khazali"


@pytest.fixture(scope="module")
def khazali():
    return load_tables(EMBEDDED)


@pytest.fixture(scope="module")
def views(khazali):
    orgs = khazali.entities[khazali.entities["type"] == "organization"]
    busiest = orgs.sort_values("weighted_degree", ascending=False)["entity_id"].iloc[0]
    return {
        "all": make_view(khazali),
        "org": make_view(khazali, {"orgs": [busiest]}),
        "reports": make_view(khazali, {"claims": ["reports", "analysis"]}),
    }


def _selections(data):
    people = data.entities[data.entities["type"] == "person"].sort_values("weighted_degree", ascending=False)
    hub, quiet = people["entity_id"].iloc[0], people["entity_id"].iloc[-1]
    link = data.links.sort_values("weight", ascending=False).iloc[0]
    return [None, {"type": "node", "id": hub}, {"type": "node", "id": quiet},
            {"type": "edge", "source": link["source"], "target": link["target"]},
            {"type": "node", "id": "no-such-entity"}]


def _canonical(frame: pd.DataFrame) -> pd.DataFrame:
    keys = ["lane", "mid", "claim_class", "highlighted", "passage_id"]
    return frame.sort_values(keys, kind="mergesort", na_position="first").reset_index(drop=True)


@pytest.mark.parametrize("which", ["all", "org", "reports"])
def test_lanes_equal_the_reference(khazali, views, which):
    view = views[which]
    for selected in _selections(khazali):
        assert timeline_lanes(khazali, view, selected) == reference_lanes(khazali, view, selected)


@pytest.mark.parametrize("which", ["all", "org", "reports"])
@pytest.mark.parametrize("axis", ["event", "published"])
@pytest.mark.parametrize("period", [None, ("2006-01-01", "2008-06-30"), ("2007", None)])
@pytest.mark.parametrize("max_points", [2000, 40])
def test_frame_equals_the_reference(khazali, views, which, axis, period, max_points):
    view = views[which]
    for selected in _selections(khazali):
        ours = timeline_frame(khazali, view, selected, axis, period=period, max_points=max_points)
        ref = reference_frame(khazali, view, selected, axis, period=period, max_points=max_points)
        assert {k: v for k, v in ours.items() if k != "frame"} == {k: v for k, v in ref.items() if k != "frame"}
        a, b = ours["frame"], ref["frame"]
        if not ours["aggregated"]:  # drawn one by one: the same rows in the same order
            pd.testing.assert_frame_equal(a, b, check_dtype=False)
        else:
            pd.testing.assert_frame_equal(_canonical(a), _canonical(b), check_dtype=False)


def test_aggregation_happens_on_real_views(khazali, views):
    """The parametrised comparison above covers both modes, not one twice."""
    t = timeline_frame(khazali, views["all"], None, max_points=40)
    assert t["aggregated"] and t["frame"]["count"].sum() > 40
    assert not timeline_frame(khazali, views["all"], None, max_points=10**6)["aggregated"]


def test_strongest_neighbours_equal_the_head_of_all(khazali, views):
    """``neighbors(..., limit)`` sorts only the heaviest candidates; ties at the cut included."""
    from dashboard.panels.details.logic import neighbors

    view = views["all"]
    hubs = khazali.entities.sort_values("weighted_degree", ascending=False)["entity_id"].head(5)
    for eid in hubs:
        full = neighbors(khazali, view, eid)
        assert len(full) > 8  # hubs: the limit matters
        for limit in (0, 1, 3, 8, len(full) + 5):
            pd.testing.assert_frame_equal(neighbors(khazali, view, eid, limit), full.head(limit).reset_index(drop=True),
                                          check_dtype=False)


@pytest.mark.parametrize("axis", ["event", "published"])
@pytest.mark.parametrize("max_points", [2000, 40])
def test_points_draw_the_figure_the_frame_draws(khazali, views, axis, max_points):
    """The app draws from ``timeline_points``; exports from the frame: the same figure."""
    from plotly.io.json import to_json_plotly

    from dashboard.panels.timeline.logic import timeline_figure_dict, timeline_points

    for which in ("all", "org"):
        for selected in _selections(khazali):
            for period in [(None, None), ("2006-01-01", "2008-06-30")]:
                args = (khazali, views[which], selected, axis)
                points = timeline_points(*args, period=period, max_points=max_points)
                frame = timeline_frame(*args, period=period, max_points=max_points)
                assert to_json_plotly(timeline_figure_dict(points, period)) == \
                    to_json_plotly(timeline_figure_dict(frame, period))

"""Reader wiring helpers: which clicks open the reader, which clicks select."""

from dashboard.panels.excerpts.callbacks import clicked_entity
from dashboard.panels.reader.callbacks import target_from_click


def test_target_from_excerpt_title_click():
    tid = {"type": "open-doc", "doc": "d1", "passage": "d1:2"}
    assert target_from_click(tid, 1, None) == {"doc": "d1", "passage": "d1:2"}
    assert target_from_click(tid, 0, None) is None  # the title just appeared, nobody clicked


def test_target_from_timeline_point_click():
    click = {"points": [{"customdata": ["Title", "Mar 2007", "reports", "d3:0"]}]}
    assert target_from_click("timeline", None, click) == {"doc": None, "passage": "d3:0"}
    assert target_from_click("timeline", None, {"points": []}) is None
    assert target_from_click("timeline", None, {"points": [{"customdata": "x"}]}) is None


def test_clicked_entity_ignores_new_marks():
    tid = {"type": "reader-mention", "entity": "qais", "key": "d1:0#1"}
    assert clicked_entity([{"prop_id": "x.n_clicks", "value": 1}], tid) == "qais"
    assert clicked_entity([{"prop_id": "x.n_clicks", "value": 0}], tid) is None
    assert clicked_entity([{"prop_id": "x.n_clicks", "value": None}], tid) is None
    assert clicked_entity([], tid) is None and clicked_entity([{"value": 1}], "timeline") is None

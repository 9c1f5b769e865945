"""Reader wiring helpers: which clicks open the reader, which clicks select."""

from dashboard.panels.excerpts.callbacks import entity_from_click
from dashboard.panels.reader.callbacks import target_from_click


def test_target_from_excerpt_title_click():
    click = {"doc": "d1", "passage": "d1:2", "nonce": 1.5}
    assert target_from_click("doc-click", click, None) == {"doc": "d1", "passage": "d1:2"}
    assert target_from_click("doc-click", None, None) is None  # the store before any click
    assert target_from_click("doc-click", {"doc": "d1"}, None) is None


def test_target_from_timeline_point_click():
    click = {"points": [{"customdata": ["Title", "Mar 2007", "reports", "d3:0"]}]}
    assert target_from_click("timeline", None, click) == {"doc": None, "passage": "d3:0"}
    assert target_from_click("timeline", None, {"points": []}) is None
    assert target_from_click("timeline", None, {"points": [{"customdata": "x"}]}) is None


def test_entity_from_click_needs_an_entity():
    assert entity_from_click({"entity": "qais", "nonce": 2}) == "qais"
    assert entity_from_click({"entity": "", "nonce": 2}) is None
    assert entity_from_click({"entity": 3}) is None
    assert entity_from_click(None) is None and entity_from_click("qais") is None

"""Filters panel logic: options and controls <-> state."""

from dashboard.panels.filters import logic
from dashboard.state import DEFAULT_STATE, normalize_state
from tests.analysis.tinydata import tiny_tables

DATA = tiny_tables()
BOUNDS = logic.year_bounds(DATA.passages)


def test_options_from_data():
    assert BOUNDS == (2003, 2007)
    orgs = logic.org_options(DATA.entities)
    assert [o["value"] for o in orgs][:2] == ["aah", "jam"]  # two members each, then by name
    assert orgs[0]["label"] == "Asa'ib Ahl al-Haq (2 members)"
    assert [o["value"] for o in logic.relation_options(DATA.relations)] == ["advised", "funded", "planned"]
    comms = logic.community_options(DATA.entities)
    assert sum(int(o["label"].rsplit("(", 1)[1].rstrip(")")) for o in comms) == 12
    assert "lonely" not in {o["value"] for o in logic.entity_options(DATA.entities)}


def test_round_trip_controls_state():
    state = normalize_state({"orgs": ["aah"], "hops": 1, "start": "2004", "end": "2006", "claims": ["reports"],
                             "min_weight": 2, "community": 1, "depth": 2, "path": {"source": "qais", "target": "iran"},
                             "selected": {"type": "node", "id": "qais"}})
    values = logic.controls_from_state(state, BOUNDS)
    assert values[2] == [2004, 2006] and values[1] == [1]
    assert logic.state_from_controls(state, values, BOUNDS) == state


def test_full_slider_means_no_period_and_finer_dates_survive():
    s = normalize_state({})
    values = list(logic.controls_from_state(s, BOUNDS))
    assert values[2] == [2003, 2007]
    assert logic.state_from_controls(s, tuple(values), BOUNDS) == DEFAULT_STATE
    values[2] = [2005, 2007]
    new = logic.state_from_controls(s, tuple(values), BOUNDS)
    assert (new["start"], new["end"]) == ("2005", None)
    fine = normalize_state({"start": "2005-03", "end": "2006-06-01"})
    again = logic.state_from_controls(fine, logic.controls_from_state(fine, BOUNDS), BOUNDS)
    assert (again["start"], again["end"]) == ("2005-03", "2006-06-01")


def test_changing_a_filter_resets_the_page():
    s = normalize_state({"page": 4})
    values = list(logic.controls_from_state(s, BOUNDS))
    values[0] = ["aah"]
    assert logic.state_from_controls(s, tuple(values), BOUNDS)["page"] == 1


def test_path_summary_text():
    paths = [[{"source": "a", "target": "b", "kinds": ["co-mention", "relation"], "relations": ["funded"],
               "n_passages": 2, "passage_ids": ["p1", "p2"]}]]
    out = logic.path_summary(paths, {"a": "Alpha", "b": "Beta"})
    assert out[0]["title"] == "Path 1: 1 hop"
    assert out[0]["hops"][0]["text"] == "Alpha → Beta: funded + co-mention, 2 passages"


def test_year_marks_are_round_and_few():
    assert logic.year_marks(2003, 2007) == {y: str(y) for y in range(2003, 2008)}
    marks = logic.year_marks(1974, 2024)
    assert list(marks) == [1980, 1990, 2000, 2010, 2020]
    assert len(logic.year_marks(2000, 2000)) == 1

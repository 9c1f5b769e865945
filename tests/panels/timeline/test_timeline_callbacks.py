"""The note under the timeline heading."""

from dashboard.panels.timeline.callbacks import timeline_note
from dashboard.panels.timeline.logic import timeline_frame


def test_note_names_period_undated_and_aggregation(tables, view):
    tables.passages.loc[tables.passages["passage_id"] == "d1:0", ["date_start", "date_end"]] = None
    t = timeline_frame(tables, view, None, "event", max_points=2)
    note = timeline_note(t, ("2006-01-01", "2007-12-31"))
    assert "event period 2006 – 2007" in note
    assert "1 undated passage not shown" in note
    assert "counted per lane and month" in note
    t = timeline_frame(tables, view, None, "event")
    assert timeline_note(t, (None, "2007-03-20")).startswith("event period until 20 Mar 2007")
    assert timeline_note(t, ("2004", None)).startswith("event period from 2004")
    assert timeline_note(t, ("2004-06-22", "2006-03-12")).startswith("event period 22 Jun 2004 – 12 Mar 2006")

"""Progress: timings always recorded; a bar only on a terminal (or when asked); the summary."""

import io

from dashboard.ingest.progress import Progress, format_summary


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_no_bar_when_not_a_terminal_but_timings_recorded():
    stream = io.StringIO()
    p = Progress(["a", "b"], stream=stream)
    with p.stage("a"):
        pass
    p.close()
    assert not p.enabled and stream.getvalue() == ""
    assert set(p.timings) == {"a"} and p.timings["a"] >= 0


def test_bar_on_a_terminal():
    stream = _Tty()
    p = Progress(["read", "link"], stream=stream)
    with p.stage("read"):
        bar = p.items(3, "documents")
        bar.update(3)
        bar.close()
    p.close()
    assert p.enabled and "read" in stream.getvalue()


def test_summary_names_every_count():
    text = format_summary(
        {"documents": 1, "passages": 2, "entities": 3, "entities_matched": 2, "mentions": 4,
         "links": 5, "relations": 6, "candidates": 7},
        2.0,
        "out",
    )
    assert "built out in 2.0 s" in text and "2 of 3 matched" in text and "candidates  7" in text

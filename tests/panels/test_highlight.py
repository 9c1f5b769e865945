"""Mention segmentation and URL safety."""

import pandas as pd
import pytest

from dashboard.panels.highlight import is_http_url, mention_spans, plain_label, segments


def _joined(segs):
    return "".join(s["text"] for s in segs)


def test_segments_split_plain_and_mentions_in_order():
    text = "Qais met Laith in Basra."
    segs = segments(text, [(9, 14, "laith"), (0, 4, "qais"), (18, 23, "basra")], emphasized=["laith"])
    assert [(s["text"], s["entity_id"], s["emphasized"]) for s in segs] == [
        ("Qais", "qais", False),
        (" met ", None, False),
        ("Laith", "laith", True),
        (" in ", None, False),
        ("Basra", "basra", False),
        (".", None, False),
    ]
    assert _joined(segs) == text


def test_overlapping_mentions_keep_the_longest_regardless_of_order():
    text = "Qais al-Khazali spoke."
    m = [(0, 4, "qais_short"), (0, 15, "qais"), (5, 15, "khazali")]
    for order in (m, m[::-1], [m[2], m[0], m[1]]):
        segs = segments(text, order)
        assert [(s["text"], s["entity_id"]) for s in segs] == [("Qais al-Khazali", "qais"), (" spoke.", None)]


def test_adjacent_mentions_stay_separate():
    segs = segments("AB", [(0, 1, "a"), (1, 2, "b")])
    assert [(s["text"], s["entity_id"]) for s in segs] == [("A", "a"), ("B", "b")]


def test_offsets_at_edges_and_out_of_range_are_clipped_or_dropped():
    text = "Basra"
    assert [(s["text"], s["entity_id"]) for s in segments(text, [(0, 5, "b")])] == [("Basra", "b")]
    assert [(s["text"], s["entity_id"]) for s in segments(text, [(2, 99, "b")])] == [("Ba", None), ("sra", "b")]
    # empty, inverted, negative-only and beyond-the-end spans are ignored; text survives intact
    segs = segments(text, [(3, 3, "x"), (4, 2, "y"), (-5, -1, "z"), (7, 9, "w"), (None, 2, "n")])
    assert segs == [{"text": "Basra", "entity_id": None, "emphasized": False}]


def test_hostile_text_stays_a_plain_string():
    text = "<script>alert(1)</script> Qais"
    segs = segments(text, [(26, 30, "qais")])
    assert segs[0]["text"] == "<script>alert(1)</script> "
    assert segs[0]["entity_id"] is None
    assert _joined(segs) == text


def test_segments_accept_a_mentions_frame_and_empty_inputs():
    frame = pd.DataFrame({"start": [0], "end": [4], "entity_id": ["qais"], "surface": ["Qais"]})
    assert segments("Qais.", frame)[0] == {"text": "Qais", "entity_id": "qais", "emphasized": False}
    assert segments("Qais.", frame.iloc[0:0]) == [{"text": "Qais.", "entity_id": None, "emphasized": False}]
    assert segments("", frame) == []
    assert segments(None, None) == []


def test_mention_spans_are_sorted_and_disjoint():
    spans = mention_spans([{"start": 5, "end": 8, "entity_id": "b"}, {"start": 0, "end": 6, "entity_id": "a"}], 10)
    assert spans == [(0, 6, "a")]


@pytest.mark.parametrize(
    "url,ok",
    [
        ("https://www.aei.org/x?y=1", True),
        ("http://example.org", True),
        ("HTTPS://EXAMPLE.ORG/a", True),
        ("  https://example.org  ", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        ("data:text/html,<script>", False),
        ("/relative/path", False),
        ("documents/d1.md", False),
        ("https://", False),
        ("http:///nohost", False),
        ("ftp://example.org", False),
        ("https://exa mple.org", False),
        ("https://example.org/\x00", False),
        ("", False),
        (None, False),
        (float("nan"), False),
    ],
)
def test_is_http_url(url, ok):
    assert is_http_url(url) is ok


def test_plain_label_flattens_and_truncates():
    assert plain_label("a\n  b") == "a b"
    assert plain_label(None) == ""
    assert plain_label("x" * 100, limit=10) == "x" * 9 + "…"

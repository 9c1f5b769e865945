import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image
from pypdf import PdfReader

from dashboard.export import timeline_figure as tf


def test_timeline_frame_counts_view_passages_per_month_and_claim(hand_data, hand_view):
    counts = tf.timeline_frame(hand_view, hand_data, "event")
    assert counts.to_dict("records") == [
        {"month": "2004-06-01", "claim_class": "analysis", "passages": 1},
        {"month": "2005-05-01", "claim_class": "reports", "passages": 1},
        {"month": "2006-01-01", "claim_class": "reports", "passages": 1},
        {"month": "2007-07-01", "claim_class": "official", "passages": 1},
    ]
    by_report = tf.timeline_frame(hand_view, hand_data, "published")
    assert by_report.groupby("month")["passages"].sum().to_dict() == {"2007-03-01": 2, "2007-04-01": 1, "2007-07-01": 1}


def test_timeline_figure_has_a_trace_per_claim_class_and_the_filters(hand_data, hand_view, hand_state):
    fig = tf.timeline_figure(hand_view, hand_data, hand_state)
    assert sorted(trace.name for trace in fig.data) == ["analysis", "official", "reports"]
    assert "Organizations: AAH, IRGC-QF · 2004–2007 · claims: reports" in fig.layout.title.text
    assert "see sources in the evidence appendix" in fig.layout.annotations[0].text


def test_missing_chromium_gives_a_clear_message(monkeypatch, hand_data, hand_view, hand_state):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.delenv("KHAZALI_CHROMIUM", raising=False)
    monkeypatch.setattr(tf, "_which", lambda name: None)
    with pytest.raises(tf.ChromiumNotFound, match="needs Chromium.*apt-get install chromium.*KHAZALI_CHROMIUM"):
        tf.render_plotly(tf.timeline_figure(hand_view, hand_data, hand_state), "png")


def test_configured_chromium_that_does_not_exist_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("KHAZALI_CHROMIUM", str(tmp_path / "nope"))
    with pytest.raises(tf.ChromiumNotFound, match="nope.*not an executable"):
        tf.find_chromium()


@pytest.mark.slow
def test_timeline_renders_png_svg_pdf_with_system_chromium(hand_data, hand_view, hand_state):
    try:
        tf.find_chromium()
    except tf.ChromiumNotFound as exc:
        pytest.skip(str(exc))
    fig = tf.timeline_figure(hand_view, hand_data, hand_state)
    png = Image.open(io.BytesIO(tf.render_plotly(fig, "png", 2)))
    assert png.size == (2 * tf.TIMELINE_SIZE_PX[0], 2 * tf.TIMELINE_SIZE_PX[1])
    assert Image.open(io.BytesIO(tf.render_plotly(fig, "png", 3))).size[0] == 3 * tf.TIMELINE_SIZE_PX[0]
    svg = ET.fromstring(tf.render_plotly(fig, "svg"))
    texts = " ".join("".join(el.itertext()) for el in svg.iter() if el.tag.endswith("text"))
    assert "passages over time" in texts and "claim class" in texts
    assert len(PdfReader(io.BytesIO(tf.render_plotly(fig, "pdf"))).pages) == 1

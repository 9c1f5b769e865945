import io
import xml.etree.ElementTree as ET

import pytest
from PIL import Image
from pypdf import PdfReader

from dashboard.export import timeline_figure as tf
from dashboard.export.figures import timeline_plotly
from tests.export.conftest import STATE, TITLE_FILTERS


def test_timeline_is_the_panels_figure_with_title_footer_and_export_size(hand_data, hand_view):
    from dashboard.panels.timeline import logic as timeline_logic

    from dashboard.analysis.view import make_view

    fig = timeline_plotly(hand_view, hand_data, STATE)
    # the panel draws the view without its period, the period as a band (render_timeline)
    period = (STATE["start"], STATE["end"])
    unbounded = make_view(hand_data, {**STATE, "start": None, "end": None})
    tdata = timeline_logic.timeline_frame(hand_data, unbounded, None, "event", period=period)
    panel = timeline_logic.timeline_figure(tdata, period)
    assert [t.name for t in fig.data] == [t.name for t in panel.data]  # same traces as on screen
    assert [list(t.x) for t in fig.data] == [list(t.x) for t in panel.data]
    assert len(fig.layout.shapes) == len(panel.layout.shapes) == 1  # the period band
    assert fig.layout.width == tf.TIMELINE_SIZE_PX[0] and fig.layout.height >= tf.TIMELINE_SIZE_PX[1]
    assert TITLE_FILTERS in fig.layout.title.text and "Test papers" in fig.layout.title.text
    assert any("see sources in the evidence appendix" in a.text for a in fig.layout.annotations)


def test_timeline_title_escapes_markup_in_names(hand_data):
    from dashboard.analysis.view import make_view

    state = dict(STATE, focus="odd")
    fig = timeline_plotly(make_view(hand_data, state), hand_data, state)
    assert "&lt;b&gt;bold&lt;/b&gt;" in fig.layout.title.text and "<b>bold</b>" not in fig.layout.title.text


def test_missing_chromium_gives_a_clear_message(monkeypatch, hand_data, hand_view, hand_state):
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.delenv("KHAZALI_CHROMIUM", raising=False)
    monkeypatch.setattr(tf, "_which", lambda name: None)
    with pytest.raises(tf.ChromiumNotFound, match="needs Chromium.*apt-get install chromium.*KHAZALI_CHROMIUM"):
        tf.render_plotly(timeline_plotly(hand_view, hand_data, hand_state), "png")


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
    fig = timeline_plotly(hand_view, hand_data, hand_state)
    png = Image.open(io.BytesIO(tf.render_plotly(fig, "png", 2)))
    assert png.size == (2 * fig.layout.width, 2 * fig.layout.height)
    assert Image.open(io.BytesIO(tf.render_plotly(fig, "png", 3))).size == (3 * fig.layout.width, 3 * fig.layout.height)
    svg = ET.fromstring(tf.render_plotly(fig, "svg"))
    texts = " ".join("".join(el.itertext()) for el in svg.iter() if el.tag.endswith("text"))
    assert "evidence over time" in texts and "Test papers" in texts
    assert len(PdfReader(io.BytesIO(tf.render_plotly(fig, "pdf"))).pages) == 1
    # one browser served all four renders (kept warm), and closing it lets the next render start a new one
    browser = tf._RENDERER._kaleido
    assert browser is not None
    tf.render_plotly(fig, "svg")
    assert tf._RENDERER._kaleido is browser
    tf.close_renderer()
    assert tf._RENDERER._kaleido is None

"""export_view: every format from one call, named and typed for download."""

import io
import zipfile

import pytest
from pptx import Presentation

from dashboard.analysis.view import make_view
from dashboard.export import formats
from dashboard.export.formats import FORMATS, export_view
from tests.export.conftest import ORG_STATE


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf", "gexf", "graphml", "csv", "evidence-csv"])
def test_each_format_has_its_extension_mime_and_magic(hand_data, fmt):
    view = make_view(hand_data, ORG_STATE)
    result = export_view(fmt, hand_data, view, ORG_STATE)
    assert result.filename.endswith("." + FORMATS[fmt].extension) and result.mime == FORMATS[fmt].mime
    magic = {"png": b"\x89PNG", "pdf": b"%PDF", "svg": b"<?xml", "gexf": b"<?xml", "graphml": b"<?xml",
             "csv": b"PK", "evidence-csv": b"source,"}[fmt]
    assert result.content.startswith(magic)


def test_filtered_view_title_names_the_organizations(hand_data):
    view = make_view(hand_data, ORG_STATE)
    svg = export_view("svg", hand_data, view, ORG_STATE).content.decode("utf-8")
    assert "Organizations: AAH, IRGC-QF · claims: reports" in svg
    nodes = zipfile.ZipFile(io.BytesIO(export_view("csv", hand_data, view, ORG_STATE).content)).read("nodes.csv")
    assert nodes.decode().count("\n") == 1 + len(view.entities) == 3


def test_deck_survives_a_failing_timeline(hand_data, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("browser crashed")

    monkeypatch.setattr(formats, "render_plotly", broken)
    view = make_view(hand_data, ORG_STATE)
    deck = Presentation(io.BytesIO(export_view("pptx", hand_data, view, ORG_STATE).content))
    texts = [shape.text_frame.text for shape in list(deck.slides)[2].shapes if shape.has_text_frame]
    assert any("Timeline not rendered (RuntimeError)" in t for t in texts)


def test_unknown_format_is_refused(hand_data):
    with pytest.raises(ValueError, match="unknown export format 'gif'"):
        export_view("gif", hand_data, make_view(hand_data, ORG_STATE), ORG_STATE)

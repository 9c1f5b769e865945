import io
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from dashboard.export.figures import graph_scene
from dashboard.export.graph_figure import GraphScene, LegendEntry, render_graph, scene_from_elements


@pytest.fixture(scope="module")
def scene(hand_data, hand_view):
    from tests.export.conftest import STATE

    return graph_scene(hand_view, hand_data, STATE)


def _svg_texts(svg: bytes) -> str:
    root = ET.fromstring(svg)
    return " ".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))


def test_png_scale_2_and_3_have_the_base_size_times_the_scale(scene):
    two = Image.open(io.BytesIO(render_graph(scene, "png", 2)))
    three = Image.open(io.BytesIO(render_graph(scene, "png", 3)))
    assert two.format == three.format == "PNG"
    assert two.size == (2400, 1500)
    assert three.size == (3600, 2250)
    assert three.size[0] / two.size[0] == pytest.approx(1.5)


def test_svg_parses_and_holds_labels_title_filters_and_footer_as_text(scene, hand_view):
    texts = _svg_texts(render_graph(scene, "svg"))
    for name in hand_view.entities["name"]:
        assert name in texts  # including "$...$" and "<b>" names, drawn literally
    assert "Test papers" in texts
    assert "Organizations: AAH, IRGC-QF · 2004–2007 · claims: reports" in texts
    assert "sample compiled from public reporting; see sources in the evidence appendix" in texts
    assert "showing 6 of 6 entities" in texts
    assert "community 0 (3)" in texts and "relation link" in texts  # legend


def test_pdf_has_one_page_with_the_title_text(scene):
    reader = PdfReader(io.BytesIO(render_graph(scene, "pdf")))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Test papers" in text and "Qais al-Khazali" in text


def test_scene_keeps_view_nodes_and_positions_on_screen_orientation(scene, hand_view):
    assert set(scene.nodes["id"]) == set(hand_view.entities["entity_id"])
    assert len(scene.edges) == len(hand_view.links)
    ents = hand_view.entities.set_index("entity_id")
    nodes = scene.nodes.set_index("id")
    # layout y grows upward, screen y downward: the higher entity is drawn nearer the top
    assert (ents.loc["qf", "y"] > ents.loc["aah", "y"]) == (nodes.loc["qf", "y"] < nodes.loc["aah", "y"])
    # sized by degree: the busiest entity is the largest
    assert nodes.loc[ents["degree"].idxmax(), "size"] == nodes["size"].max()


def test_scene_from_cytoscape_elements_reads_style_and_classes():
    elements = [
        {"data": {"id": "a", "label": "Alpha", "size": 40, "color": "#ff0000", "shape": "diamond"},
         "position": {"x": 10, "y": 20}},
        {"data": {"id": "b", "label": "Beta"}, "position": {"x": 100, "y": -5}, "classes": "person"},
        {"data": {"id": "a-b", "source": "a", "target": "b", "width": 3, "color": "#00ff00"}, "classes": "relation dashed"},
    ]
    scene = scene_from_elements(elements, [{"label": "kind", "color": "#000000", "kind": "edge", "dashed": True}],
                                title="T")
    assert scene.nodes.set_index("id").loc["a", ["x", "y", "size", "color", "shape"]].tolist() == [10, 20, 40, "#ff0000", "diamond"]
    assert scene.edges.iloc[0].to_dict() == {"source": "a", "target": "b", "width": 3.0, "color": "#00ff00", "dashed": True}
    assert scene.legend == [LegendEntry("kind", "#000000", "edge", "ellipse", True)]
    svg = render_graph(scene, "svg")
    assert "Alpha" in _svg_texts(svg) and "Beta" in _svg_texts(svg)


def test_empty_scene_still_renders_with_title():
    scene = GraphScene(pd.DataFrame(columns=["id", "x", "y"]), None, title="Nothing here")
    assert "Nothing here" in _svg_texts(render_graph(scene, "svg"))


def test_unknown_format_and_bad_scale_are_rejected(scene):
    with pytest.raises(ValueError, match="unknown graph figure format"):
        render_graph(scene, "gif")
    with pytest.raises(ValueError, match="scale"):
        render_graph(scene, "png", 50)


def test_label_budget_keeps_the_largest_nodes_and_says_so(scene):
    svg = render_graph(scene, "svg", max_labels=2)
    elements = ["".join(el.itertext()) for el in ET.fromstring(svg).iter() if el.tag.endswith("text")]
    largest = scene.nodes.sort_values("size", ascending=False, kind="mergesort")["label"].tolist()
    assert largest[0] in elements and largest[1] in elements
    assert not any(label in elements for label in largest[2:])
    texts = " ".join(elements)
    assert f"Labels shown for the 2 largest of {len(scene.nodes)} entities." in texts

import io
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from dashboard.export.figures import graph_scene
from dashboard.export.graph_figure import GraphScene, LegendEntry, render_graph
from dashboard.export.scene import drawing, scene_from_drawing
from tests.export.conftest import STATE, TITLE_FILTERS


@pytest.fixture(scope="module")
def scene(hand_data, hand_view):
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
    assert TITLE_FILTERS in texts
    assert "sample compiled from public reporting; see sources in the evidence appendix" in texts
    assert "community 0: " in texts and "typed relation (arrow: direction)" in texts  # the panel's legend
    assert "co-mention (same passage)" in texts and "organization" in texts


def test_pdf_has_one_page_with_the_title_text(scene):
    reader = PdfReader(io.BytesIO(render_graph(scene, "pdf")))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Test papers" in text and "Qais al-Khazali" in text


def test_scene_is_the_graph_panels_drawing(scene, hand_data, hand_view):
    drawn = drawing(hand_view, hand_data, STATE)
    nodes = [e for e in drawn["elements"] if "source" not in e["data"]]
    edges = [e for e in drawn["elements"] if "source" in e["data"]]
    assert len(scene.nodes) == len(nodes) == len(hand_view.entities)
    assert len(scene.edges) == len(edges)
    pairs = {frozenset(p) for p in zip(hand_view.links["source"], hand_view.links["target"])}
    assert len(edges) == len(pairs)  # a relation's line stands for its pair's co-mention too
    by_id = scene.nodes.set_index("id")
    for element in nodes:
        row = by_id.loc[element["data"]["id"]]
        assert (row["x"], row["y"]) == (element["position"]["x"], element["position"]["y"])
        assert (row["size"], row["color"], row["label"]) == (element["data"]["size"], element["data"]["color"],
                                                             element["data"]["label"])
    assert by_id.loc["aah", "shape"] == "round-rectangle" and by_id.loc["qais", "shape"] == "ellipse"
    relation = scene.edges[scene.edges["arrow"]]
    assert len(relation) == 1 and not relation["dashed"].iloc[0]  # relations: solid with an arrow
    assert scene.edges.loc[~scene.edges["arrow"], "dashed"].all()  # co-mentions: dashed


def test_node_cap_of_the_screen_applies_and_is_noted(hand_data, hand_view):
    scene = graph_scene(hand_view, hand_data, STATE, settings={"node_cap": 3, "max_elements": 1500})
    assert len(scene.nodes) == 3
    texts = _svg_texts(render_graph(scene, "svg"))
    assert "Showing the top 3 of 6 entities by degree" in texts


def test_scene_from_drawing_reads_top_class_and_kinds():
    elements = [
        {"data": {"id": "a", "label": "Alpha", "type": "place", "size": 40, "color": "#ff0000"},
         "position": {"x": 10, "y": 20}, "classes": "place top"},
        {"data": {"id": "b", "label": "Beta", "type": "event", "size": 20, "color": "#00ff00"},
         "position": {"x": 100, "y": -5}, "classes": "event"},
        {"data": {"id": "relation:a|b", "source": "a", "target": "b", "kind": "relation", "width": 3},
         "classes": "relation"},
    ]
    legend = {"colors": [{"color": "#ff0000", "label": "community 0: Alpha", "count": 1}],
              "shapes": [{"type": "place", "shape": "diamond", "color": "#009E73"}],
              "edges": [{"kind": "relation", "label": "typed relation", "color": "#B03A2E", "dashed": False}]}
    scene = scene_from_drawing(elements, legend, title="T")
    nodes = scene.nodes.set_index("id")
    assert nodes.loc["a", ["x", "y", "size", "color", "shape", "bold"]].tolist() == [10, 20, 40, "#ff0000", "diamond", True]
    assert nodes.loc["b", "shape"] == "star" and not nodes.loc["b", "bold"]
    assert nodes.loc["a", "label_size"] > nodes.loc["b", "label_size"]
    edge = scene.edges.iloc[0]
    assert (edge.source, edge.target, edge.width, edge.arrow, edge.dashed) == ("a", "b", 3.0, True, False)
    assert scene.legend == [LegendEntry("community 0: Alpha (1)", "#ff0000"), LegendEntry("place", "#DDDDDD", "node", "diamond"),
                            LegendEntry("typed relation", "#B03A2E", "edge", dashed=False)]
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
    largest = scene.nodes.sort_values(["priority", "size"], ascending=False, kind="mergesort")["label"].tolist()
    assert largest[0] in elements and largest[1] in elements
    assert not any(label in elements for label in largest[2:])
    texts = " ".join(elements)
    assert f"Labels shown for the 2 largest of {len(scene.nodes)} entities." in texts


def test_selected_node_is_highlighted_like_the_screen(hand_data, hand_view):
    state = dict(STATE, selected={"type": "node", "id": "basra"})
    scene = graph_scene(hand_view, hand_data, state)
    nodes = scene.nodes.set_index("id")
    assert nodes.loc["basra", ["border_color", "border_width", "opacity"]].tolist() == ["#111111", 5.0, 1.0]
    assert nodes.loc[["laith", "qais"], "opacity"].tolist() == [1.0, 1.0]  # its neighbours
    assert nodes.loc[["aah", "qf", "odd"], "opacity"].tolist() == [0.25, 0.25, 0.25]
    touching = (scene.edges["source"] == "basra") | (scene.edges["target"] == "basra")
    assert (scene.edges.loc[touching, "opacity"] == 1.0).all() and (scene.edges.loc[~touching, "opacity"] == 0.12).all()
    assert "Highlighted: Basra and its links." in " ".join(scene.notes)
    assert Image.open(io.BytesIO(render_graph(scene, "png"))).size == (2400, 1500)
    assert "Basra" in _svg_texts(render_graph(scene, "svg"))


def test_path_is_drawn_in_amber(hand_data, hand_view):
    scene = graph_scene(hand_view, hand_data, dict(STATE, path={"source": "basra", "target": "odd"}))
    on_path = scene.nodes[scene.nodes["border_color"] == "#F0A202"]["id"].tolist()
    assert sorted(on_path) == ["aah", "basra", "odd", "qais"]  # basra — qais — aah — odd
    assert (scene.edges["color"] == "#F0A202").sum() == 3

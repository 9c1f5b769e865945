import io
import zipfile

import pytest

from dashboard.export.formats import FORMATS
from dashboard.panels.export.logic import BUTTONS, MENU, build_download, success_message
from tests.export.conftest import STATE, make_data, make_view


class FakeCache:
    """Records the states it is asked for and returns the hand-built view."""

    def __init__(self, view):
        self.view = view
        self.states = []

    def get(self, state):
        self.states.append(state)
        return self.view


@pytest.fixture(scope="module")
def data():
    return make_data()


def test_every_menu_entry_is_an_export_format_with_a_unique_export_id():
    assert all(item.format in FORMATS for item in MENU)
    assert all(item.id.startswith("export-") for item in MENU)
    assert len(BUTTONS) == len(MENU)
    required = {"export-png", "export-svg", "export-pdf", "export-timeline-png", "export-gexf", "export-graphml",
                "export-csv", "export-evidence-csv", "export-pptx"}
    assert required <= set(BUTTONS)


def test_build_download_normalizes_untrusted_state_and_builds_in_memory(data):
    cache = FakeCache(make_view(data))
    hostile = dict(STATE, bogus="../../etc/passwd", min_weight="3", orgs=["aah", "<script>"])
    result = build_download("export-csv", data, cache, hostile)
    seen = cache.states[-1]
    assert "bogus" not in seen and seen["min_weight"] == 3 and "<script>" not in seen["orgs"]
    assert sorted(zipfile.ZipFile(io.BytesIO(result.content)).namelist()) == ["edges.csv", "nodes.csv"]
    assert result.filename.endswith(".zip") and "/" not in result.filename
    assert result.mime == "application/zip"


def test_png_3x_entry_gives_the_larger_image(data):
    from PIL import Image

    cache = FakeCache(make_view(data))
    two = build_download("export-png", data, cache, STATE)
    three = build_download("export-png-3x", data, cache, STATE)
    assert Image.open(io.BytesIO(three.content)).size[0] == 1.5 * Image.open(io.BytesIO(two.content)).size[0]
    assert "3x" in three.filename and "3x" not in two.filename


def test_unknown_button_is_refused(data):
    with pytest.raises(KeyError):
        build_download("export-../../x", data, FakeCache(make_view(data)), STATE)


def test_success_message_names_file_and_size(data):
    result = build_download("export-svg", data, FakeCache(make_view(data)), STATE)
    assert success_message(result).startswith(f"Exported {result.filename} (") and "KB" in success_message(result)


def test_layout_has_every_menu_entry_and_the_download(data):
    from dashboard.panels.export.layout import layout

    ids = set()

    def walk(component):
        if getattr(component, "id", None):
            ids.add(component.id)
        children = getattr(component, "children", None)
        for child in children if isinstance(children, list) else [children] if children is not None else []:
            if hasattr(child, "to_plotly_json"):
                walk(child)

    walk(layout(data))
    assert set(BUTTONS) <= ids and {"export-download", "export-status", "export-menu"} <= ids

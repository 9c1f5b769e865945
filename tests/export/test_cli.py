"""``python -m dashboard export`` on the pipeline's small fixture dataset."""

import xml.etree.ElementTree as ET

import networkx as nx
import pytest
from PIL import Image
from pptx import Presentation

from dashboard.__main__ import main
from dashboard.analysis.cache import ViewCache
from dashboard.state import normalize_state
from dashboard.tables import load_tables


@pytest.fixture(scope="module")
def small(built_small):
    return built_small, load_tables(built_small)


def _export(small, tmp_path, *args, name="out"):
    folder, _ = small
    out = tmp_path / name
    code = main(["export", "--data", str(folder), *args, "-o", str(out)])
    return code, out


def test_png_of_an_organization_view_at_two_and_three_times(small, tmp_path, capsys):
    code, out = _export(small, tmp_path, "--org", "aah", "--start", "2005-01-01", "--end", "2007-12-31",
                        "--claims", "reports", "analysis", "--format", "png", name="a.png")
    assert code == 0 and "wrote" in capsys.readouterr().out
    assert Image.open(out).size == (2400, 1500)
    code, out3 = _export(small, tmp_path, "--org", "aah", "--format", "png", "--scale", "3", name="b.png")
    assert code == 0 and Image.open(out3).size == (3600, 2250)


def test_gexf_has_the_nodes_and_links_of_the_apps_view(small, tmp_path):
    _, data = small
    code, out = _export(small, tmp_path, "--org", "aah", "--claims", "reports", "--format", "gexf", name="v.gexf")
    assert code == 0
    view = ViewCache(data, 1).get(normalize_state({"orgs": ["aah"], "claims": ["reports"]}))
    graph = nx.read_gexf(out)
    assert graph.number_of_nodes() == len(view.entities) > 0
    assert graph.number_of_edges() == len(view.links) > 0
    assert set(graph.nodes) == set(view.entities["entity_id"])


def test_svg_states_the_filters_with_names(small, tmp_path):
    code, out = _export(small, tmp_path, "--org", "aah", "irgc-qf", "--start", "2006-01-01", "--end",
                        "2007-12-31", "--claims", "reports", "--format", "svg", name="g.svg")
    assert code == 0
    texts = ["".join(el.itertext()) for el in ET.parse(out).getroot().iter() if el.tag.endswith("text")]
    assert "Organizations: Asa'ib Ahl al-Haq, IRGC Qods Force · 2006–2007 · claims: reports" in texts


def test_pptx_and_evidence_csv_cite_sources(small, tmp_path):
    code, out = _export(small, tmp_path, "--entity", "qais-al-khazali", "--format", "pptx", name="b.pptx")
    assert code == 0
    deck = Presentation(out)
    texts = "\n".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert "around Qais al-Khazali (1 step)" in texts
    assert "https://" in texts and "claim: " in texts
    code, out = _export(small, tmp_path, "--entity", "qais-al-khazali", "--format", "evidence-csv", name="e.csv")
    header = out.read_text(encoding="utf-8").splitlines()[0]
    assert code == 0 and header.startswith("source,source_name,target,target_name,kind,relation,claim_class")


@pytest.mark.parametrize("args, message", [
    (["--org", "no-such-org"], "--org: unknown entity id 'no-such-org'"),
    (["--org", "qais-al-khazali"], "'qais-al-khazali' is a person, not an organization"),
    (["--entity", "nobody"], "--entity: unknown entity id 'nobody'"),
    (["--start", "2007-02-30"], "--start: '2007-02-30' is not a date"),
    (["--start", "2008-01-01", "--end", "2007-01-01"], "2008-01-01 is after --end 2007-01-01"),
    (["--size-by", "height"], "--size-by: unknown measure 'height'"),
])
def test_bad_arguments_exit_2_with_one_line_and_no_file(small, tmp_path, capsys, args, message):
    code, out = _export(small, tmp_path, *args, "--format", "png", name="x.png")
    err = capsys.readouterr().err
    assert code == 2 and message in err and "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_unknown_format_and_missing_folders_exit_2(small, tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        _export(small, tmp_path, "--format", "gif")
    assert exc.value.code == 2
    code = main(["export", "--data", str(tmp_path / "nope"), "--format", "csv", "-o", str(tmp_path / "x.zip")])
    assert code == 2 and "no such dataset folder" in capsys.readouterr().err
    code, _ = _export(small, tmp_path, "--format", "csv", name="missing/x.zip")
    assert code == 2 and "existing folder" in capsys.readouterr().err


def test_timeline_without_chromium_exits_1_with_the_message(small, tmp_path, capsys, monkeypatch):
    from dashboard.export import timeline_figure as tf

    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.delenv("KHAZALI_CHROMIUM", raising=False)
    monkeypatch.setattr(tf, "_which", lambda name: None)
    code, out = _export(small, tmp_path, "--format", "timeline-png", name="t.png")
    assert code == 1 and "needs Chromium" in capsys.readouterr().err and not out.exists()

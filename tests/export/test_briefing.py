import io

import pytest
from pptx import Presentation

from dashboard.export.briefing import DeckImages, build_deck, evidence_pages
from dashboard.export.figures import graph_scene
from dashboard.export.graph_figure import render_graph
from tests.export.conftest import STATE, TITLE_FILTERS


def _texts(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return "\n".join(parts)


def _links(slide) -> list[str]:
    return [run.hyperlink.address for shape in slide.shapes if shape.has_text_frame
            for p in shape.text_frame.paragraphs for run in p.runs if run.hyperlink.address]


@pytest.fixture(scope="module")
def deck(hand_data, hand_view):
    png = render_graph(graph_scene(hand_view, hand_data, STATE), "png", 2)
    content = build_deck(hand_view, hand_data, STATE, DeckImages(graph_png=png, timeline_note="Timeline not rendered: test"))
    return Presentation(io.BytesIO(content))


def test_deck_has_title_graph_timeline_entities_and_evidence_slides(deck, hand_view):
    slides = list(deck.slides)
    # 4 fixed slides + one evidence slide per strongest link (all links have <= 4 passages)
    assert len(slides) == 4 + len(hand_view.links)
    title = _texts(slides[0])
    assert "Test papers" in title and TITLE_FILTERS in title
    assert "6 entities · 8 links · 4 passages" in title
    assert any(shape.shape_type == 13 for shape in slides[1].shapes)  # the graph picture
    assert "Timeline not rendered: test" in _texts(slides[2])
    table = _texts(slides[3])
    assert "Top entities by degree" in table and "Qais al-Khazali" in table


def test_evidence_appendix_cites_document_date_claim_and_url(deck):
    first = list(deck.slides)[4]
    text = _texts(first)
    assert "AAH — IRGC-QF (co-mention; weight 2" in text
    assert "TIR 1 · CENTCOM / AEI · published 2007-03-21 · events 2006-01-01 – 2006-12-31 · claim: reports" in text
    assert "https://example.org/tir1.pdf" in _links(first)
    assert "see sources in the evidence appendix" in text


def test_only_web_urls_become_hyperlinks(deck):
    all_text = "\n".join(_texts(s) for s in deck.slides)
    assert "javascript:alert(1)" in all_text  # shown as text
    assert all(link.startswith("https://") for s in deck.slides for link in _links(s))


def test_evidence_pages_are_bounded_and_report_what_was_left_out(hand_data, hand_view):
    pages, left_out = evidence_pages(hand_view, hand_data, n_links=3, max_slides=2)
    assert len(pages) == 2 and left_out == 1  # three links of one passage each, two slides
    pages, left_out = evidence_pages(hand_view, hand_data, n_links=100, max_slides=100)
    assert sum(len(p["rows"]) for p in pages) == len(hand_view.evidence) and left_out == 0


def test_deck_respects_the_slide_limit_setting(monkeypatch, hand_data, hand_view, hand_state):
    monkeypatch.setenv("KHAZALI_DECK_EVIDENCE_SLIDES", "2")
    deck = Presentation(io.BytesIO(build_deck(hand_view, hand_data, hand_state, DeckImages())))
    assert len(deck.slides) == 4 + 2
    assert "more passages of these links are not shown" in _texts(list(deck.slides)[-1])


def test_each_link_shows_distinct_documents_first_and_at_most_per_link(hand_data, hand_view):
    pages, left_out = evidence_pages(hand_view, hand_data, n_links=1, max_slides=10, per_link=1)
    # the strongest link (AAH—IRGC-QF co-mention) has two passages in two documents: the
    # interrogation-report passage comes first, the official statement is left out
    assert len(pages) == 1 and [r["passage_id"] for r in pages[0]["rows"]] == ["d1:0"] and left_out == 1
    pages, _ = evidence_pages(hand_view, hand_data, n_links=1, max_slides=10, per_link=8)
    assert [r["doc_id"] for r in pages[0]["rows"]] == ["d1", "d3"]


def test_pick_prefers_a_passage_from_every_document_before_a_second_from_one():
    import pandas as pd

    from dashboard.export.briefing import _pick

    rows = pd.DataFrame({
        "passage_id": ["a:0", "a:1", "a:2", "b:0", "c:0"],
        "doc_id": ["a", "a", "a", "b", "c"],
        "claim_class": ["reports", "reports", "reports", "analysis", "background"],
        "date_start": ["2005-01-01", "2004-01-01", "2006-01-01", "2005-01-01", "2003-01-01"],
    })
    assert _pick(rows, 4)["passage_id"].tolist() == ["a:1", "b:0", "c:0", "a:0"]

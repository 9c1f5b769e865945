"""Excerpt components: text stays text, only http(s) URLs are links, ids are unique."""

from dash import html

import json

from plotly.io.json import to_json_plotly

from dashboard.panels.excerpts.layout import (
    as_component,
    claim_badge,
    count_label,
    excerpt_card,
    excerpt_list,
    marked_text,
    source_link,
)
from dashboard.panels.excerpts.logic import passages_for_selection


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    if children is None:
        return
    for child in children if isinstance(children, list) else [children]:
        if isinstance(child, str):
            continue
        yield from _walk(child)


def _strings(component):
    out = []
    for c in _walk(component):
        children = getattr(c, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if isinstance(child, str):
                out.append(child)
    return out


def test_source_link_only_for_http():
    a = source_link("https://www.aei.org/x", True)
    assert isinstance(a, html.A) and a.href == "https://www.aei.org/x"
    assert a.target == "_blank" and a.rel == "noopener noreferrer"
    plain = source_link("javascript:alert(1)", False)
    assert isinstance(plain, html.Span) and not hasattr(plain, "href")
    assert source_link(None, False) is None


def test_marked_text_is_strings_and_marks_with_unique_ids():
    segs = [
        {"text": "<b>", "entity_id": None, "emphasized": False},
        {"text": "Qais", "entity_id": "qais", "emphasized": True},
        {"text": " and ", "entity_id": None, "emphasized": False},
        {"text": "Qais", "entity_id": "qais", "emphasized": True},
    ]
    out = marked_text(segs, {"qais": "Qais al-Khazali"})
    assert out[0] == "<b>" and out[2] == " and "
    marks = [o for o in out if isinstance(o, html.Mark)]
    assert [m.children for m in marks] == ["Qais", "Qais"]
    assert all(getattr(m, "data-click") == "entity" and getattr(m, "data-entity") == "qais"
               and "mention-selected" in m.className for m in marks)
    assert marks[0].title == "Qais al-Khazali"


def test_excerpt_card_renders_hostile_title_as_text(tables, view):
    items, _ = passages_for_selection(tables, view, {"type": "node", "id": "sadr"}, 1, 10)
    card = as_component(excerpt_card(items[0]))
    strings = _strings(card)
    assert "Analysis <img src=x onerror=alert(1)>" in strings
    assert any("<script>" in s for s in strings)
    assert not [c for c in _walk(card) if isinstance(c, (html.A, html.Img, html.Script))]
    assert "source: javascript:alert(1)" in strings
    title = next(c for c in _walk(card) if getattr(c, "className", "") and "excerpt-title" in c.className)
    assert (getattr(title, "data-click"), getattr(title, "data-doc"), getattr(title, "data-passage")) == \
        ("doc", "d2", "d2:1")


def test_claim_badge_has_text_and_colour():
    badge = claim_badge("reports", "interrogation reports")
    assert badge.children == "interrogation reports" and badge.style["backgroundColor"].startswith("#")
    odd = claim_badge('x" onmouseover="alert(1)', None)
    assert odd.children == "unclassified" and '"' not in odd.className


def test_count_label():
    assert count_label(1, "node", ["Qais"]) == "1 passage mentioning Qais"
    assert count_label(25, "edge", ["A", "B"], 3, 10) == "25 passages linking A and B · showing 21–25"
    assert count_label(4, "overview", []).startswith("4 passages in this view")


def test_cards_are_what_dash_components_would_send(tables, view):
    """The list is built as JSON nodes: each is a valid ``html`` component (known props only)
    and equals that component's own serialisation, so the browser gets the same elements."""
    for selected in ({"type": "node", "id": "qais"}, {"type": "edge", "source": "laith", "target": "qais"},
                     {"type": "node", "id": "sadr"}):
        items, _ = passages_for_selection(tables, view, selected, 1, 10)
        assert items
        body = excerpt_list(items, "a hint")
        sent = json.dumps(body)  # plain data: no component objects left
        assert json.loads(to_json_plotly(as_component(body))) == json.loads(sent)
    assert json.loads(to_json_plotly(as_component(excerpt_list([])))) == json.loads(json.dumps(excerpt_list([])))

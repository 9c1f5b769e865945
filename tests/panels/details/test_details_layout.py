"""Details components: clickable names carrying their entity, ranks in the text."""

import json

from dash import html
from plotly.io.json import to_json_plotly

from dashboard.panels.details import callbacks
from dashboard.panels.details.layout import entity_card
from dashboard.panels.excerpts.layout import as_component


def details_for_state(*args):
    """The card as component objects (the callback sends their JSON form)."""
    return as_component(callbacks.details_for_state(*args))


def _walk(c):
    yield c
    ch = getattr(c, "children", None)
    for x in ch if isinstance(ch, list) else [ch]:
        if x is not None and not isinstance(x, str):
            yield from _walk(x)


def _text(c):
    out = []
    for x in _walk(c):
        ch = getattr(x, "children", None)
        out += [s for s in (ch if isinstance(ch, list) else [ch]) if isinstance(s, str)]
    return " ".join(out)


def test_entity_card_lists_ranked_metrics_and_clickable_neighbours(tables, view):
    card = details_for_state(tables, view, {"type": "node", "id": "qais"})
    text = _text(card)
    assert "Qais al-Khazali" in text and "(#1 of" in text
    buttons = [c for c in _walk(card) if isinstance(c, html.Button)]
    # every name button selects its entity through the page's click handler (assets/khazali.js)
    assert all(getattr(b, "data-click") == "entity" for b in buttons)
    clicks = [(b.className.split()[-1], getattr(b, "data-entity")) for b in buttons]
    assert ("entity-affiliation", "aah") in clicks
    assert ("entity-neighbor", "laith") in clicks
    assert "<b>cleric</b>" in _text(details_for_state(tables, view, {"type": "node", "id": "sadr"}))


def test_duplicate_affiliations_link_once():
    d = {"name": "X", "type": "person", "aliases": [], "description": None, "in_view": True, "community": 1,
         "n_passages": 1, "n_documents": 1, "period": "2007", "metrics": [], "neighbors": [], "n_neighbors": 0,
         "affiliations": [{"name": "AAH", "entity_id": "aah"}, {"name": "AAH", "entity_id": "aah"}]}
    buttons = [c for c in _walk(as_component(entity_card(d))) if isinstance(c, html.Button)]
    assert len(buttons) == 1


def test_edge_card_and_empty_states(tables, view):
    text = _text(details_for_state(tables, view, {"type": "edge", "source": "laith", "target": "qais"}))
    assert "brother_of" in text and "2 passages in 2 documents" in text
    assert "Nothing selected" in _text(details_for_state(tables, view, None))
    assert "Nothing selected" in _text(details_for_state(tables, view, {"type": "node", "id": "nobody"}))


def test_cards_are_what_dash_components_would_send(tables, view):
    """Each card is valid ``html`` components (known props only) in their own JSON form."""
    for selected in ({"type": "node", "id": "qais"}, {"type": "node", "id": "sadr"}, None,
                     {"type": "edge", "source": "laith", "target": "qais"}, {"type": "node", "id": "nobody"}):
        card = callbacks.details_for_state(tables, view, selected)
        assert json.loads(to_json_plotly(as_component(card))) == json.loads(json.dumps(card))

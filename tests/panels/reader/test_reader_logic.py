"""The reader's document model."""

from dashboard.panels.reader.logic import document_view, resolve_target


def test_document_passages_in_order_with_all_mentions(tables):
    doc = document_view(tables, "d1", emphasized=["qais"], target="d1:1")
    assert [p["passage_id"] for p in doc["passages"]] == ["d1:0", "d1:1", "d1:2"]
    assert doc["title"] == "TIR one" and doc["url_is_http"] is True and doc["published_label"] == "Aug 2018"
    assert [p["is_target"] for p in doc["passages"]] == [False, True, False]
    first = doc["passages"][0]
    assert "".join(s["text"] for s in first["segments"]) == "Qais al-Khazali and Laith met in Basra."
    marked = [(s["text"], s["entity_id"], s["emphasized"]) for s in first["segments"] if s["entity_id"]]
    assert marked == [("Qais al-Khazali", "qais", True), ("Laith", "laith", False), ("Basra", "basra", False)]
    assert doc["entities"] == ["aah", "basra", "laith", "qais", "qf"]
    assert doc["passages"][2]["period"] == "undated"


def test_pdf_page_breaks(tables):
    doc = document_view(tables, "d3")
    assert doc["n_pages"] == 2
    assert [p["page_break"] for p in doc["passages"]] == [1, 2]
    assert document_view(tables, "d1")["passages"][0]["page_break"] is None


def test_hostile_metadata_is_kept_as_text_and_unsafe_urls_are_not_links(tables):
    doc = document_view(tables, "d2")
    assert doc["url_is_http"] is False
    assert doc["title"] == "Analysis <img src=x onerror=alert(1)>"
    assert doc["passages"][1]["segments"][0]["text"].startswith("<script>")


def test_unknown_document():
    from tests.panels.conftest import make_tables

    assert document_view(make_tables(), "nope") is None


def test_resolve_target(tables):
    assert resolve_target(tables, None, "d3:1") == ("d3", "d3:1")
    assert resolve_target(tables, "d1", "d3:1") == ("d3", "d3:1")
    assert resolve_target(tables, "d1", None) == ("d1", None)
    assert resolve_target(tables, "d1", "bogus") == ("d1", None)
    assert resolve_target(tables, "nope", "bogus") == (None, None)

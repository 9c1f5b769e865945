"""Hostile text in a real Chromium: payloads show as text, never run, never become links.

The corpus ``tests/fixtures/hostile_corpus`` carries XSS payloads in passages, entity names,
aliases, descriptions, document titles, publishers, the dataset title and URLs
(``<script>``, ``<img onerror>``, ``<svg onload>``, ``<iframe>``, ``javascript:`` and ``data:``
URLs, Markdown links to ``javascript:``), a 10,000-character token, an RTL override (U+202E)
and zero-width characters. It is built here; the build drops the non-http URLs, so the test
then writes ``javascript:``/``data:`` URLs straight into the built documents table to check
that the app itself never makes them links. Every page visited must leave
``window.__pwned`` undefined, show the payload text literally and carry only http(s) or
app-relative hrefs.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from tests.serving import click_until, serve

from dashboard.ingest.build import build
from dashboard.state import normalize_state, to_query
from dashboard.tables import load_tables, write_table
from dashboard.web import create_app

pytestmark = pytest.mark.browser

HOSTILE = Path(__file__).resolve().parents[1] / "fixtures" / "hostile_corpus"
SCRIPT = "<script>window.__pwned=1</script>"
EVIL_NAME = f"Evil {SCRIPT} Corp"

HREFS = """() => Array.from(document.querySelectorAll('[href], [src], [action], [formaction], [srcdoc]'))
  .map(e => [e.tagName, e.getAttribute('href') ?? e.getAttribute('src') ?? e.getAttribute('action')
             ?? e.getAttribute('formaction') ?? ('srcdoc:' + e.getAttribute('srcdoc'))])"""
INJECTED = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    for (const a of el.attributes) { if (/^on/i.test(a.name)) bad.push(el.tagName + ' ' + a.name); }
    if (el.tagName === 'SCRIPT' && el.textContent.includes('__pwned')) bad.push('script');
    if (el.tagName === 'IFRAME' || el.tagName === 'STYLE' && el.textContent.includes('display:none')) bad.push(el.tagName);
    if (el.tagName === 'IMG' && el.getAttribute('src') === 'x') bad.push('img src=x');
    if (el.tagName === 'B' && el.textContent === 'bold') bad.push('b from the description');
  }
  return bad; }"""


@pytest.fixture(scope="module")
def hostile_app(tmp_path_factory):
    out = tmp_path_factory.mktemp("hostile") / "built"
    result = build(HOSTILE, out, {"seed": 42})
    assert {w.field for w in result.warnings if w.field} >= {"url"}  # javascript:/data: urls were dropped
    docs = pd.read_parquet(out / "documents.parquet")
    docs.loc[docs["doc_id"] == "xss-article", "url"] = "javascript:window.__pwned=1"
    docs.loc[docs["doc_id"] == "data-url", "url"] = "data:text/html,<script>window.__pwned=1</script>"
    write_table(docs, "documents", out)
    data = load_tables(out)
    app = create_app(data)
    with serve(app.server) as url:
        yield url, data


def assert_safe(page, base: str) -> None:
    page.wait_for_timeout(300)  # let any injected handler (onerror, onload) fire
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    for tag, href in page.evaluate(HREFS):
        if href is None or tag in ("LINK", "SCRIPT") and href.startswith(("/", base)):
            continue
        low = href.strip().lower()
        assert not low.startswith("srcdoc:"), f"{tag} with srcdoc"
        assert low.startswith(("http://", "https://", "/", "#", "?")) or "://" not in low and ":" not in low, \
            f"{tag} points at {href!r}"
    assert page.evaluate(INJECTED) == []


def test_hostile_entity_details_and_excerpts_show_payloads_as_text(hostile_app, page):
    base, data = hostile_app
    state = normalize_state({"selected": {"type": "node", "id": "evil-corp"}})
    page.goto(f"{base}/?{to_query(state)}")
    page.wait_for_selector("#details .details-name")
    page.wait_for_selector("#excerpts .excerpt")
    assert page.inner_text("#details .details-name") == EVIL_NAME
    details = page.inner_text("#details")
    assert "javascript:window.__pwned=1" in details and "<b onmouseover" in details  # description as text
    assert '<img src=x onerror="window.__pwned=1">' in details  # alias as text
    excerpts = page.inner_text("#excerpts")
    assert SCRIPT in excerpts and "[this link](javascript:window.__pwned=1)" in excerpts
    assert "<script>window.__pwned=1</script> Hostile title" in excerpts  # document title
    assert_safe(page, base)
    assert page.page_errors == []


def test_reader_shows_hostile_document_as_text(hostile_app, page):
    base, data = hostile_app
    state = normalize_state({"selected": {"type": "node", "id": "evil-corp"}})
    page.goto(f"{base}/?{to_query(state)}")
    card = page.locator("#excerpts .excerpt", has_text="Hostile title").first
    card.wait_for()
    click_until(page, card.locator(".excerpt-title"), "#reader .modal-body .reader-passage")
    assert page.inner_text("#reader-title") == "<script>window.__pwned=1</script> Hostile title"
    body = page.inner_text("#reader")
    assert '<a href="javascript:window.__pwned=1">click</a>' in body
    assert "X" * 10_000 in body.replace("\n", "")  # the long token is all there
    assert_safe(page, base)
    assert page.page_errors == []


def test_rtl_and_zero_width_names_stay_as_written(hostile_app, page):
    base, data = hostile_app
    state = normalize_state({"selected": {"type": "node", "id": "abu-karim"}})
    page.goto(f"{base}/?{to_query(state)}")
    page.wait_for_selector("#details .details-name")
    assert page.inner_text("#details .details-name") == "Abu \u202eKarim"
    assert "\u200b" in page.inner_text("#details")  # zero-width alias kept, not stripped into another name
    assert_safe(page, base)


def test_edge_and_rankings_with_hostile_names(hostile_app, page):
    base, data = hostile_app
    state = normalize_state({"selected": {"type": "edge", "source": "abu-karim", "target": "evil-corp"}})
    page.goto(f"{base}/?{to_query(state)}")
    page.wait_for_selector("#details .details-edge")
    assert EVIL_NAME in page.inner_text("#details")
    page.wait_for_selector("#rankings td[data-dash-column=name]")
    names = page.locator("#rankings td[data-dash-column=name]").all_inner_texts()
    assert EVIL_NAME in names
    assert SCRIPT in page.inner_text("body")
    assert_safe(page, base)
    assert page.page_errors == []


def test_title_and_unlinked_urls(hostile_app, page):
    base, data = hostile_app
    page.goto(base)
    page.wait_for_selector("#stats")
    assert SCRIPT in page.title() or "Hostile" in page.title()
    assert_safe(page, base)
    # the documents whose urls are javascript:/data: are listed without a link; the https one is a link
    state = normalize_state({"selected": {"type": "node", "id": "basra"}})
    page.goto(f"{base}/?{to_query(state)}")
    page.wait_for_selector("#excerpts .excerpt")
    hrefs = [h for _, h in page.evaluate(HREFS) if h and "example.org" in h]
    assert any(h.startswith("https://example.org/report") for h in hrefs)
    assert_safe(page, base)

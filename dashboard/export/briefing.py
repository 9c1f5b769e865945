"""A briefing deck (PowerPoint, python-pptx) of the current view.

Slides: title (dataset, filters, date, counts) · graph figure · timeline figure ·
top entities (table) · evidence appendix: for the strongest links of the view, the
cited passages with document, dates, claim class and URL, across as many slides as
needed up to the ``deck_evidence_slides`` setting (the evidence CSV holds the rest).

Every text is set as plain text runs (never parsed as markup); only http(s) URLs
become hyperlinks.
"""

from __future__ import annotations

import datetime as _dt
import io
from dataclasses import dataclass
from typing import Mapping

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from dashboard.export.captions import ATTRIBUTION, describe_filters, entity_names, footer_text
from dashboard.export.data import evidence_frame
from dashboard.settings import resolve

__all__ = ["DeckImages", "build_deck", "evidence_pages", "top_entities", "PASSAGES_PER_SLIDE", "EXCERPT_CHARS"]

PASSAGES_PER_SLIDE = 4
EXCERPT_CHARS = 360
TOP_ENTITIES = 15
_W, _H = Inches(13.333), Inches(7.5)
_GREY = RGBColor(0x55, 0x55, 0x55)
_MEASURES = ("degree", "weighted_degree", "betweenness", "eigenvector", "pagerank")


@dataclass
class DeckImages:
    """Pictures for the deck; a missing picture is replaced by ``*_note`` on its slide."""

    graph_png: bytes | None = None
    timeline_png: bytes | None = None
    graph_note: str = ""
    timeline_note: str = ""


def _is_web_url(url) -> bool:
    return isinstance(url, str) and url.lower().startswith(("http://", "https://"))


def _text_box(slide, left, top, width, height, lines, size=14, color=None, bold_first=False):
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = str(line)
        run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color
        if bold_first and i == 0:
            run.font.bold = True
    return box


def _title(slide, text: str, size: int = 28) -> None:
    _text_box(slide, Inches(0.5), Inches(0.3), _W - Inches(1.0), Inches(0.8), [text], size=size, bold_first=True)


def _footer(slide, footer: str) -> None:
    _text_box(slide, Inches(0.5), _H - Inches(0.45), _W - Inches(1.0), Inches(0.35), [footer], size=9, color=_GREY)


def _picture(slide, png: bytes, top, max_w, max_h) -> None:
    from PIL import Image  # pillow is a python-pptx dependency

    with Image.open(io.BytesIO(png)) as image:
        w, h = image.size
    ratio = min(max_w / w, max_h / h)
    width, height = int(w * ratio), int(h * ratio)
    slide.shapes.add_picture(io.BytesIO(png), Emu(int((_W - width) / 2)), top, Emu(width), Emu(height))


def top_entities(view, size_by: str = "degree", n: int = TOP_ENTITIES) -> pd.DataFrame:
    """The ``n`` entities of the view ranked by ``size_by`` (then pagerank, then name)."""
    entities = view.entities.copy()
    measure = size_by if size_by in entities.columns else "degree"
    keys = [c for c in (measure, "pagerank") if c in entities.columns] + ["name"]
    ascending = [False] * (len(keys) - 1) + [True]
    return entities.sort_values(keys, ascending=ascending).head(n).reset_index(drop=True)


_CLAIM_ORDER = {"reports": 0, "official": 1, "analysis": 2, "background": 3}


def _pick(rows: pd.DataFrame, per_link: int) -> pd.DataFrame:
    """Up to ``per_link`` passages of one link, one per document first (most sources shown),
    then by claim class (reports, official, analysis, background) and event date."""
    rows = rows.drop_duplicates("passage_id").assign(
        _claim=rows["claim_class"].map(_CLAIM_ORDER).fillna(9))
    rows = rows.sort_values(["_claim", "date_start", "passage_id"], na_position="last", kind="mergesort")
    rows = rows.assign(_nth=rows.groupby("doc_id", dropna=False).cumcount())
    rows = rows.sort_values(["_nth", "_claim", "date_start", "passage_id"], na_position="last", kind="mergesort")
    return rows.head(per_link).drop(columns=["_claim", "_nth"])


def evidence_pages(view, data, n_links: int, max_slides: int, per_link: int = 8) -> tuple[list[dict], int]:
    """Group cited passages of the ``n_links`` strongest links into slide pages.

    Each link shows at most ``per_link`` passages, from as many documents as possible.

    Returns
    -------
    pages : list of dict
        ``{"link": "A — B (kind)", "rows": [evidence rows...]}``, at most ``max_slides``.
    left_out : int
        Passages of those links that did not fit.
    """
    frame = evidence_frame(view, data)
    if not len(frame):
        return [], 0
    strongest = view.links.sort_values(["weight", "n_documents", "source", "target"],
                                       ascending=[False, False, True, True]).head(n_links)
    names = entity_names(data)
    pages: list[dict] = []
    total = 0
    for link in strongest.itertuples(index=False):
        rows = frame[(frame["source"] == link.source) & (frame["target"] == link.target) & (frame["kind"] == link.kind)]
        total += rows["passage_id"].nunique()
        rows = _pick(rows, per_link)
        relations = list(link.relations) if link.relations is not None and len(link.relations) else []
        kind = ", ".join(relations) if relations else link.kind
        label = (f"{names.get(link.source, link.source)} — {names.get(link.target, link.target)} "
                 f"({kind}; weight {link.weight:g}, {link.n_passages} passages, {link.n_documents} documents)")
        records = rows.to_dict("records")
        for start in range(0, len(records), PASSAGES_PER_SLIDE):
            pages.append({"link": label, "rows": records[start:start + PASSAGES_PER_SLIDE],
                          "part": start // PASSAGES_PER_SLIDE + 1,
                          "parts": (len(records) + PASSAGES_PER_SLIDE - 1) // PASSAGES_PER_SLIDE})
    shown = pages[:max_slides]
    return shown, total - sum(len(p["rows"]) for p in shown)


def _excerpt(text) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1].rstrip() + "…"


def _citation(row: Mapping) -> str:
    parts = [str(row.get("doc_title") or row.get("doc_id"))]
    if row.get("publisher"):
        parts.append(str(row["publisher"]))
    if row.get("published"):
        parts.append(f"published {row['published']}")
    start, end = row.get("date_start"), row.get("date_end")
    if start or end:
        parts.append(f"events {start}" + (f" – {end}" if end and end != start else ""))
    parts.append(f"claim: {row.get('claim_class')}")
    return " · ".join(parts)


def _evidence_slide(prs, page: dict, footer: str) -> None:
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    suffix = f" ({page['part']}/{page['parts']})" if page["parts"] > 1 else ""
    _title(slide, "Evidence" + suffix, size=22)
    _text_box(slide, Inches(0.5), Inches(0.95), _W - Inches(1.0), Inches(0.5), [page["link"]], size=14, bold_first=True)
    box = slide.shapes.add_textbox(Inches(0.5), Inches(1.5), _W - Inches(1.0), _H - Inches(2.1))
    frame = box.text_frame
    frame.word_wrap = True
    first = True
    for row in page["rows"]:
        quote = frame.paragraphs[0] if first else frame.add_paragraph()
        first = False
        run = quote.add_run()
        run.text = f"“{_excerpt(row.get('passage_text'))}”"
        run.font.size = Pt(12)
        cite = frame.add_paragraph()
        run = cite.add_run()
        run.text = _citation(row)
        run.font.size = Pt(10)
        run.font.color.rgb = _GREY
        url = row.get("url")
        if url:
            cite.add_run().text = " · "
            link = cite.add_run()
            link.text = str(url)
            link.font.size = Pt(10)
            if _is_web_url(url):
                link.hyperlink.address = str(url)
        cite.space_after = Pt(8)
    _footer(slide, footer)


def build_deck(view, data, state: Mapping, images: DeckImages, exported: _dt.date | None = None) -> bytes:
    """Return the briefing deck as .pptx bytes.

    Parameters
    ----------
    view : View
    data : Tables
    state : mapping
        The view state (filters go on the title slide, ``size_by`` ranks the entities).
    images : DeckImages
        The graph and timeline PNGs (rendered by the caller, so they match the other exports).
    """
    exported = exported or _dt.date.today()
    names = entity_names(data)
    filters = describe_filters(state, names)
    footer = footer_text(data.title, exported)
    prs = Presentation()
    prs.slide_width, prs.slide_height = _W, _H
    blank = prs.slide_layouts[6]

    slide = prs.slides.add_slide(blank)
    _text_box(slide, Inches(0.8), Inches(2.0), _W - Inches(1.6), Inches(1.2), [data.title], size=40, bold_first=True)
    n_passages = len(set(view.passage_ids))
    _text_box(slide, Inches(0.8), Inches(3.3), _W - Inches(1.6), Inches(2.5), [
        f"Filters: {filters}",
        f"{len(view.entities)} entities · {len(view.links)} links · {n_passages} passages",
        f"Exported {exported.isoformat()}",
        *[str(n) for n in (getattr(view, "notes", None) or [])],
    ], size=18)
    _footer(slide, f"Data: {data.title} — {ATTRIBUTION}.")

    slide = prs.slides.add_slide(blank)
    _title(slide, "Network of the view")
    if images.graph_png:
        _picture(slide, images.graph_png, Inches(1.1), _W - Inches(1.0), _H - Inches(1.7))
    else:
        _text_box(slide, Inches(0.8), Inches(3), _W - Inches(1.6), Inches(1), [images.graph_note or "no graph"], size=18)
    _footer(slide, footer)

    slide = prs.slides.add_slide(blank)
    _title(slide, "Passages over time")
    if images.timeline_png:
        _picture(slide, images.timeline_png, Inches(1.1), _W - Inches(1.0), _H - Inches(1.7))
    else:
        _text_box(slide, Inches(0.8), Inches(3), _W - Inches(1.6), Inches(1),
                  [images.timeline_note or "no timeline"], size=18)
    _footer(slide, footer)

    slide = prs.slides.add_slide(blank)
    size_by = state.get("size_by") or "degree"
    top = top_entities(view, size_by)
    _title(slide, f"Top entities by {size_by.replace('_', ' ')}")
    columns = ["#", "name", "type"] + [m for m in _MEASURES if m in top.columns] + (["community"] if "community" in top.columns else [])
    rows = len(top) + 1
    table = slide.shapes.add_table(rows, len(columns), Inches(0.5), Inches(1.2), _W - Inches(1.0),
                                   Inches(0.3) * rows).table
    for j, column in enumerate(columns):
        table.cell(0, j).text = column.replace("_", " ")
    for i, row in enumerate(top.to_dict("records"), start=1):
        for j, column in enumerate(columns):
            value = i if column == "#" else row.get(column)
            if isinstance(value, float):
                value = f"{value:.3f}" if column != "weighted_degree" else f"{value:g}"
            table.cell(i, j).text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    for i in range(rows):
        for j in range(len(columns)):
            for paragraph in table.cell(i, j).text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(11)
    _footer(slide, footer)

    pages, left_out = evidence_pages(view, data, int(resolve("deck_links")), int(resolve("deck_evidence_slides")),
                                     int(resolve("deck_passages_per_link")))
    if not pages:
        slide = prs.slides.add_slide(blank)
        _title(slide, "Evidence")
        _text_box(slide, Inches(0.8), Inches(2), _W - Inches(1.6), Inches(1), ["No cited passages in this view."], size=18)
        _footer(slide, footer)
    for page in pages:
        _evidence_slide(prs, page, footer)
    if left_out:
        slide = prs.slides[len(prs.slides) - 1]
        _text_box(slide, Inches(0.5), _H - Inches(0.8), _W - Inches(1.0), Inches(0.35),
                  [f"{left_out} more passages of these links are not shown; export the evidence CSV for all of them."],
                  size=10, color=_GREY)
    buffer = io.BytesIO()
    prs.save(buffer)
    return buffer.getvalue()

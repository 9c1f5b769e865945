"""Read a PDF document: text layer page by page, paragraphs, metadata, OCR fallback.

Paragraphs are recovered from blank lines in the text layer or, when it has none, from
vertical gaps between lines: a gap clearly larger than the page's usual line spacing starts a
new paragraph. A line ending in ``-`` is joined to the next without a space. Passages do not
cross pages; each keeps its 1-based page number.

Metadata come from the PDF info dictionary (``/Title``; ``/Author`` as publisher) and are
overridden by a side file ``NAME.pdf.yml`` or ``NAME.yml`` with the front-matter keys.

A PDF without a text layer is reported with a warning naming it; when the ``tesseract``
program is on ``PATH`` the images of each page are OCR'd instead.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from dashboard.errors import ProblemLog
from dashboard.ingest.corpus import read_text
from dashboard.ingest.frontmatter import DocMeta, check_meta, parse_meta
from dashboard.ingest.passages import RawPassage, Tag

__all__ = ["PdfDocument", "read_pdf", "paragraphs_from_lines", "side_file"]

GAP_FACTOR = 1.4  # a line gap this many times the median spacing starts a paragraph


@dataclass
class PdfDocument:
    """What :func:`read_pdf` returns."""

    meta: DocMeta
    passages: list[RawPassage]
    n_pages: int
    ocr_pages: int = 0


def side_file(path: Path) -> Path | None:
    """Return the metadata side file of ``path`` (``NAME.pdf.yml`` first, then ``NAME.yml``)."""
    for candidate in (path.with_name(path.name + ".yml"), path.with_suffix(".yml")):
        if candidate.is_file():
            return candidate
    return None


def _join_lines(lines: list[str]) -> str:
    out = ""
    for line in lines:
        line = " ".join(line.split())
        if not line:
            continue
        if not out:
            out = line
        elif out.endswith("-") and not out.endswith(" -"):
            out += line
        else:
            out += " " + line
    return out


def paragraphs_from_lines(lines: list[tuple[float | None, str]]) -> list[str]:
    """Group text lines into paragraphs.

    Parameters
    ----------
    lines : list of (y, text)
        Lines top to bottom; ``y`` is the baseline height on the page (``None`` if unknown).
        An empty text is a blank line, which always ends a paragraph.

    Examples
    --------
    >>> paragraphs_from_lines([(700, "a"), (688, "b"), (660, "c"), (648, "d")])
    ['a b', 'c d']
    """
    ys = [y for y, t in lines if t.strip() and y is not None]
    gaps = [a - b for a, b in zip(ys, ys[1:]) if a - b > 0.5]
    typical = median(gaps) if gaps else None
    paragraphs: list[list[str]] = [[]]
    prev_y = None
    for y, text in lines:
        if not text.strip():
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        if (
            typical is not None
            and prev_y is not None
            and y is not None
            and paragraphs[-1]
            and (prev_y - y > typical * GAP_FACTOR or y > prev_y + typical)
        ):
            paragraphs.append([])
        paragraphs[-1].append(text)
        if y is not None:
            prev_y = y
    return [p for p in (_join_lines(par) for par in paragraphs) if p]


def _page_lines(page) -> list[tuple[float | None, str]]:
    """Extract ``(y, text)`` lines of a pypdf page with their baseline heights."""
    pieces: list[tuple[float | None, str]] = []

    def visit(text, cm, tm, font_dict, font_size):
        if not text:
            return
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        pieces.append((y, text))

    page.extract_text(visitor_text=visit)
    lines: list[tuple[float | None, str]] = []
    current, current_y = "", None
    for y, text in pieces:
        parts = text.split("\n")
        for i, part in enumerate(parts):
            if i > 0:
                lines.append((current_y, current))
                current, current_y = "", None
            if part:
                if current_y is None:
                    current_y = y
                current += part
    lines.append((current_y, current))
    return lines


def _ocr_page(page, exe: str) -> str:
    texts = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, image in enumerate(page.images):
            suffix = Path(image.name).suffix or ".png"
            img = Path(tmp) / f"img{i}{suffix}"
            img.write_bytes(image.data)
            run = subprocess.run([exe, str(img), "stdout"], capture_output=True, timeout=300, check=False)
            if run.returncode == 0:
                texts.append(run.stdout.decode("utf-8", errors="replace"))
    return "\n\n".join(texts)


def read_pdf(path: Path, log: ProblemLog) -> PdfDocument | None:
    """Read a PDF; ``None`` after logging an error when it is corrupt or encrypted."""
    import pypdf
    from pypdf.errors import PdfReadError

    name = str(path)
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = pypdf.PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            try:
                ok = reader.decrypt("")
            except Exception:  # pypdf raises several types for unsupported crypto
                ok = 0
            if not ok:
                log.error(name, "the PDF is encrypted (password protected); save an unprotected copy")
                return None
        pages = list(reader.pages)
        info = reader.metadata or {}
    except (PdfReadError, OSError, ValueError, KeyError, TypeError) as exc:
        log.error(name, f"cannot read the PDF ({type(exc).__name__}: {exc}); is it a complete, valid PDF?")
        return None
    meta = DocMeta()
    meta.title = _clean(info.get("/Title"))
    meta.publisher = _clean(info.get("/Author"))
    side = side_file(path)
    if side is not None:
        text = read_text(side, log)
        data = parse_meta(text, str(side), log, first_line=1) if text is not None else None
        if data:
            over = check_meta(data, str(side), log, text, first_line=1)
            for key in ("title", "publisher", "url", "published", "kind"):
                if getattr(over, key) is not None:
                    setattr(meta, key, getattr(over, key))
            if "claim_class" in data:
                meta.claim_class = over.claim_class
    passages: list[RawPassage] = []
    exe = shutil.which("tesseract")
    ocr_pages = 0
    empty_pages = 0
    for number, page in enumerate(pages, start=1):
        try:
            lines = _page_lines(page)
        except Exception as exc:  # a damaged content stream should not stop the build
            log.warn(name, f"page {number}: text layer unreadable ({type(exc).__name__}); page skipped")
            continue
        paras = paragraphs_from_lines(lines)
        if not paras:
            empty_pages += 1
            if exe:
                text = _ocr_page(page, exe)
                if text.strip():
                    ocr_pages += 1
                    blocks = [b for b in text.replace("\r", "").split("\n\n")]
                    paras = [p for p in (_join_lines(b.split("\n")) for b in blocks) if p]
        passages.extend(RawPassage(text=p, line=number, page=number, tag=Tag()) for p in paras)
    if pages and empty_pages == len(pages):
        if ocr_pages:
            log.warn(name, f"no text layer; {ocr_pages} page(s) read with OCR (tesseract), check the text")
        else:
            hint = "no text found by OCR either" if exe else "install tesseract for OCR, or add a text layer"
            log.warn(name, f"the PDF has no text layer; {hint}; it contributes no passages")
    elif empty_pages and not ocr_pages and not exe:
        log.warn(name, f"{empty_pages} of {len(pages)} page(s) have no text layer (install tesseract for OCR)")
    return PdfDocument(meta=meta, passages=passages, n_pages=len(pages), ocr_pages=ocr_pages)


def _clean(value) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split())
    return text or None

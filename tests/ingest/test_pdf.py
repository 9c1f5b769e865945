"""PDF documents: text layer by page, paragraphs from line gaps, metadata, no-text warning, OCR."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from dashboard.__main__ import main
from dashboard.errors import ProblemLog
from dashboard.ingest.pdf import paragraphs_from_lines, read_pdf
from dashboard.tables import load_tables

PAGES = [
    [
        ["Qais al-Khazali told his interrogators that he", "met Hajj Yusif in Tehran in 2005."],
        ["A second paragraph names Basra and the", "Qods Force, split over two lines."],
    ],
    [["On page two, Laith al-Khazali of AAH is named in 2007."]],
]


def make_pdf(path: Path, pages=PAGES, title="Interrogation summary", author="Test Publisher", image=False) -> Path:
    """Write a PDF with a real text layer (TrueType text) using matplotlib; optionally an image-only page."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.backends.backend_pdf import PdfPages

    with matplotlib.rc_context({"pdf.fonttype": 42}):
        with PdfPages(path, metadata={"Title": title, "Author": author}) as pdf:
            for paragraphs in pages:
                fig = plt.figure(figsize=(8.5, 11))
                if image:
                    ax = fig.add_axes([0.1, 0.1, 0.8, 0.8])
                    ax.imshow(np.arange(100).reshape(10, 10))
                    ax.axis("off")
                else:
                    y = 0.9
                    for para in paragraphs:
                        for line in para:
                            fig.text(0.1, y, line, fontsize=11)
                            y -= 0.02
                        y -= 0.03
                pdf.savefig(fig)
                plt.close(fig)
    return path


def test_paragraphs_from_line_gaps():
    lines = [(700, "first line of"), (686, "paragraph one"), (650, "second"), (636, "para-"), (622, "graph")]
    assert paragraphs_from_lines(lines) == ["first line of paragraph one", "second para-graph"]


def test_blank_lines_split_paragraphs_without_positions():
    assert paragraphs_from_lines([(None, "a"), (None, ""), (None, "b"), (None, "c")]) == ["a", "b c"]


def test_read_pdf_keeps_pages_and_paragraphs(tmp_path):
    log = ProblemLog()
    doc = read_pdf(make_pdf(tmp_path / "tir.pdf"), log)
    assert not log.problems
    assert doc.n_pages == 2
    texts = [(p.page, p.text) for p in doc.passages]
    assert texts == [
        (1, "Qais al-Khazali told his interrogators that he met Hajj Yusif in Tehran in 2005."),
        (1, "A second paragraph names Basra and the Qods Force, split over two lines."),
        (2, "On page two, Laith al-Khazali of AAH is named in 2007."),
    ]
    assert doc.meta.title == "Interrogation summary" and doc.meta.publisher == "Test Publisher"


def test_pdf_in_a_build_with_side_file(corpus_copy, tmp_path, capsys):
    make_pdf(corpus_copy / "documents" / "tir-summary.pdf")
    (corpus_copy / "documents" / "tir-summary.pdf.yml").write_text(
        "title: TIR summary (side file)\nurl: https://www.aei.org/khazali\npublished: 2018-08-30\nclaim_class: reports\n",
        encoding="utf-8",
    )
    with open(corpus_copy / "relations.csv", "a", encoding="utf-8") as fh:
        fh.write("laith-al-khazali,aah,member_of,tir-summary,3,\n")
    out = tmp_path / "out"
    assert main(["build", str(corpus_copy), "--out", str(out), "--no-progress", "-q"]) == 0
    t = load_tables(out)
    doc = t.documents.set_index("doc_id").loc["tir-summary"]
    assert doc.title == "TIR summary (side file)"  # side file overrides /Title
    assert doc.publisher == "Test Publisher"  # /Author kept where the side file is silent
    assert doc.n_pages == 2 and doc.published == "2018-08-30"
    p = t.passages[t.passages.doc_id == "tir-summary"]
    assert list(p.page) == [1, 1, 2] and list(p.seq) == [0, 1, 2]
    assert set(p.claim_class) == {"reports"}
    m = t.mentions[t.mentions.passage_id == "tir-summary:0"]
    assert {"qais-al-khazali", "hajj-yusif", "tehran"} <= set(m.entity_id)
    text = p.set_index("seq").loc[0, "text"]
    row = m[m.entity_id == "hajj-yusif"].iloc[0]
    assert text[row.start : row.end] == row.surface
    rel = t.relations[t.relations.passage_id == "tir-summary:2"]
    assert list(rel.relation) == ["member_of"]


def test_pdf_without_text_layer_is_a_warning_naming_it(corpus_copy, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))  # no tesseract
    make_pdf(corpus_copy / "documents" / "scan.pdf", pages=[[]], image=True)
    out = tmp_path / "out"
    code = main(["build", str(corpus_copy), "--out", str(out), "--no-progress", "-q"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert f"warning: {corpus_copy / 'documents' / 'scan.pdf'}: the PDF has no text layer" in err
    assert "tesseract" in err
    assert "scan" in set(load_tables(out).documents.doc_id)


@pytest.mark.skipif(os.name != "posix", reason="fake tesseract is a shell script")
def test_pdf_without_text_layer_is_read_by_ocr_when_tesseract_exists(corpus_copy, tmp_path, capsys, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "tesseract"
    fake.write_text("#!/bin/sh\nprintf 'Scanned page naming Qais al-Khazali\\nin Basra.\\n\\nSecond block.\\n'\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    make_pdf(corpus_copy / "documents" / "scan.pdf", pages=[[]], image=True)
    out = tmp_path / "out"
    assert main(["build", str(corpus_copy), "--out", str(out), "--no-progress", "-q"]) == 0
    err = capsys.readouterr().err
    assert "read with OCR" in err
    p = load_tables(out).passages
    assert list(p[p.doc_id == "scan"].text) == ["Scanned page naming Qais al-Khazali in Basra.", "Second block."]

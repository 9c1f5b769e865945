"""Malformed corpora through the real CLI in a child process: clear message, no traceback, output untouched.

Every case starts from the small valid base corpus (:func:`tests.hardening.kit.write_base_corpus`),
breaks one thing and runs ``python -m dashboard build SRC --out DST`` where ``DST`` already
holds a good build. An error must exit 2 with a line ``error: <file>[:<line>] [<field>]: ...``
and leave every byte of ``DST`` as it was; a warning-and-continue case must exit 0 with a
``warning:`` line naming the file, and write a dataset the app can load. No case may print
a Python traceback. Cases that overlap ``tests/ingest/test_validation.py`` (which runs the
CLI in-process) are kept here because this suite checks the process boundary and the
untouched output folder; most cases are new.

The 200 MB case's size is a parameter: ``KHAZALI_HARDENING_BIG_MB`` (default 200).
"""

from __future__ import annotations

import os
import random
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from dashboard.tables import load_tables
from tests.hardening.kit import hash_tree, run_real, write_base_corpus
from tests.pdfs import write_encrypted_pdf

ENT, REL, DOCS = "entities.csv", "relations.csv", "documents"
R1 = f"{DOCS}/report-one.md"
NOTES = f"{DOCS}/notes.txt"


# ----------------------------------------------------------------------------- mutations
def edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def run(c: Path) -> None:
        text = (c / rel).read_text(encoding="utf-8")
        assert old in text, f"base corpus changed: {old!r} not in {rel}"
        (c / rel).write_text(text.replace(old, new, 1), encoding="utf-8")

    return run


def append(rel: str, line: str) -> Callable[[Path], None]:
    def run(c: Path) -> None:
        with open(c / rel, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")

    return run


def write(rel: str, data: bytes | str) -> Callable[[Path], None]:
    def run(c: Path) -> None:
        path = c / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)

    return run


def replace_bytes(rel: str, old: bytes, new: bytes) -> Callable[[Path], None]:
    def run(c: Path) -> None:
        data = (c / rel).read_bytes()
        assert old in data
        (c / rel).write_bytes(data.replace(old, new, 1))

    return run


def encrypted_pdf(c: Path) -> None:
    write_encrypted_pdf(c / DOCS / "locked.pdf")


def alias_bomb(c: Path) -> None:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [{', '.join(['*' + prev] * 9)}]")
    (c / DOCS / "bomb.md").write_text("---\n" + "\n".join(lines) + "\ntitle: *i\n---\n\nQais al-Khazali.\n", "utf-8")


def symlink_outside(c: Path) -> None:
    secret = c.parent / "secret.txt"
    secret.write_text("Qais al-Khazali: a file outside the corpus that must not be read.\n", encoding="utf-8")
    (c / DOCS / "leak.txt").symlink_to(secret)


def documents_symlinked_outside(c: Path) -> None:
    elsewhere = c.parent / "elsewhere"
    shutil.move(c / DOCS, elsewhere)
    (c / DOCS).symlink_to(elsewhere, target_is_directory=True)


def fifo(c: Path) -> None:
    os.mkfifo(c / DOCS / "pipe.txt")


def bom_and_crlf(c: Path) -> None:
    for rel in (ENT, REL, R1, NOTES):
        text = (c / rel).read_text(encoding="utf-8")
        (c / rel).write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))


def one_mb_paragraph(c: Path) -> None:
    words = ("the report said a convoy moved north from the city at night while officers waited near the "
             "bridge and Qais al-Khazali talked about Basra in 2006").split()
    rng = random.Random(7)
    text = " ".join(rng.choice(words) for _ in range(190_000))[: 1 << 20]
    (c / DOCS / "long.txt").write_text(text + "\n", encoding="utf-8")


def binary_junk(c: Path) -> None:
    rng = random.Random(3)
    (c / DOCS / "junk.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(4096)))


def sparse_nul_file(c: Path) -> None:
    with open(c / DOCS / "sparse.txt", "wb") as fh:
        fh.truncate(3 << 20)


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Callable[[Path], None]
    level: str  # "error": exit 2, output untouched; "warning": exit 0 with the warning; "ok": exit 0
    file: str | None  # relative to the corpus; the message must start with it
    where: str = ""  # ":<line>" and/or " [<field>]" right after the file
    words: str = ""  # part of the message
    args: tuple = ()


CASES = [
    # entities.csv
    Case("ent-missing-column", edit(ENT, "entity_id,name,type,", "entity_id,name,kind,"), "error", ENT, ":1",
         "missing column(s) type"),
    Case("ent-duplicate-id", append(ENT, "basra,Basra again,place,,,"), "error", ENT, ":6 [entity_id]",
         "duplicate entity_id 'basra' (first defined on line 5)"),
    Case("ent-html-in-id", append(ENT, "<script>x</script>,X,person,,,"), "error", ENT, ":6 [entity_id]",
         "may only use letters"),
    Case("ent-dangling-affiliation", edit(ENT, "Qais Khazali,aah,", "Qais Khazali,aah;badr,"), "error", ENT,
         ":2 [affiliations]", "affiliation 'badr'"),
    Case("ent-unknown-type", edit(ENT, "basra,Basra,place", "basra,Basra,city"), "error", ENT, ":5 [type]",
         "unknown type 'city'"),
    Case("ent-empty-file", write(ENT, b""), "error", ENT, ":1", "the file is empty"),
    Case("ent-unclosed-quote", append(ENT, 'x,"Unclosed name,person,,,'), "error", ENT, "", "not a valid CSV file"),
    Case("ent-nul-byte", replace_bytes(ENT, b"Basra,place", b"Bas\x00ra,place"), "error", ENT, ":5", "NUL bytes"),
    Case("ent-latin1", replace_bytes(ENT, b"Southern", b"S\xf6uthern"), "error", ENT, ":5", "not UTF-8"),
    Case("ent-extra-column", edit(ENT, "description\n", "description,rank\n"), "warning", ENT, ":1",
         "unknown column(s) rank ignored"),
    Case("alias-collision", edit(ENT, "Hajji Yusif,,", "Hajji Yusif;AAH,,"), "warning", ENT, "", "claimed by"),
    # relations.csv
    Case("rel-dangling-entity", append(REL, "qais-al-khazali,nobody,knows,report-one,1,"), "error", REL,
         ":4 [target]", "'nobody' is not an entity_id"),
    Case("rel-dangling-document", append(REL, "qais-al-khazali,aah,leads,no-such-doc,1,"), "error", REL,
         ":4 [doc_id]", "'no-such-doc' is not a document"),
    Case("rel-passage-out-of-range", append(REL, "qais-al-khazali,aah,leads,report-one,9,"), "error", REL,
         ":4 [passage]", "passage 9 does not exist"),
    Case("rel-passage-zero", append(REL, "qais-al-khazali,aah,leads,report-one,0,"), "error", REL, ":4 [passage]",
         "must be a passage number"),
    Case("rel-passage-fraction", append(REL, "qais-al-khazali,aah,leads,report-one,1.5,"), "error", REL,
         ":4 [passage]", "must be a passage number"),
    Case("rel-missing-column", edit(REL, "source,target,relation,", "source,target,"), "error", REL, ":1",
         "missing column(s) relation"),
    Case("rel-unknown-claim", append(REL, "qais-al-khazali,aah,leads,report-one,1,rumour"), "error", REL,
         ":4 [claim_class]", "unknown claim_class 'rumour'"),
    # passage tags and front matter
    Case("tag-impossible-date", edit(R1, "<!-- date: 2003-06;", "<!-- date: 2007-02-30;"), "error", R1,
         ":12 [date]", "passage date '2007-02-30' is not valid"),
    Case("tag-reversed-range", edit(R1, "<!-- date: 2005..2006 -->", "<!-- date: 2006..2005 -->"), "error", R1,
         ":15 [date]", "passage date '2006..2005'"),
    Case("tag-unknown-claim", edit(R1, "claim: reports -->", "claim: gossip -->"), "error", R1, ":12 [claim]",
         "unknown claim 'gossip'"),
    Case("fm-bad-yaml", edit(R1, "kind: article", "kind: [article"), "error", R1, ":7",
         "front matter is not valid YAML"),
    Case("fm-not-a-mapping", write(f"{DOCS}/listy.md", "---\n- a\n- b\n---\n\nQais al-Khazali.\n"), "error",
         f"{DOCS}/listy.md", ":2", "front matter must be 'key: value' lines"),
    Case("fm-python-tag", write(f"{DOCS}/evil.md", "---\ntitle: !!python/object/apply:os.system ['echo pwned']\n"
                                "---\n\nQais al-Khazali.\n"), "error", f"{DOCS}/evil.md", ":2", "not valid YAML"),
    Case("fm-alias-bomb", alias_bomb, "error", f"{DOCS}/bomb.md", ":", "aliases (*"),
    Case("fm-unknown-claim-class", edit(R1, "claim_class: reports", "claim_class: rumour"), "error", R1,
         ":7 [claim_class]", "unknown claim_class 'rumour'"),
    Case("fm-javascript-url", edit(R1, "url: https://example.org/report-one", "url: javascript:alert(1)"),
         "warning", R1, ":4 [url]", "is not an http(s) address"),
    Case("fm-data-url", edit(R1, "url: https://example.org/report-one", "url: data:text/html,<b>x</b>"),
         "warning", R1, ":4 [url]", "is not an http(s) address"),
    Case("fm-unknown-key", edit(R1, "kind: article", "kind: article\nauthor: Someone"), "warning", R1,
         ":7 [author]", "unknown key 'author'"),
    Case("dataset-yml-not-yaml", write("dataset.yml", "title: [unclosed\n"), "error", "dataset.yml", ":2",
         "not valid YAML"),
    # document bytes
    Case("doc-undecodable-bytes", replace_bytes(R1, b"Basra", b"Basr\xe0"), "error", R1, ":18", "not UTF-8"),
    Case("doc-utf16", write(f"{DOCS}/wide.txt", "Qais al-Khazali in Basra.\n".encode("utf-16")), "error",
         f"{DOCS}/wide.txt", ":1", "not UTF-8"),
    Case("doc-binary-junk-txt", binary_junk, "error", f"{DOCS}/junk.txt", ":1", "not UTF-8"),
    Case("doc-nul-filled-txt", sparse_nul_file, "error", f"{DOCS}/sparse.txt", ":1", "NUL bytes"),
    Case("doc-over-size-limit", one_mb_paragraph, "error", f"{DOCS}/long.txt", "", "1.0 MB is larger than the 0.5 MB limit",
         ("--max-text-mb", "0.5")),
    Case("doc-colon-in-name", write(f"{DOCS}/a:b.md", "Qais al-Khazali.\n"), "error", f"{DOCS}/a:b.md", "",
         "may not contain ':'"),
    Case("doc-duplicate-stem", write(f"{DOCS}/notes.md", "Qais al-Khazali.\n"), "error", NOTES, "",
         "stems must be unique"),
    Case("doc-front-matter-only", write(f"{DOCS}/empty.md", "---\ntitle: Nothing\n---\n"), "warning",
         f"{DOCS}/empty.md", "", "no passages"),
    Case("bom-and-crlf", bom_and_crlf, "ok", None),
    pytest.param(Case("one-mb-single-paragraph", one_mb_paragraph, "ok", None), marks=pytest.mark.slow),
    # PDFs
    Case("pdf-corrupt", write(f"{DOCS}/broken.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nnot a pdf"), "error",
         f"{DOCS}/broken.pdf", "", "cannot read the PDF"),
    Case("pdf-html-named-pdf", write(f"{DOCS}/page.pdf", b"<html><body>not a pdf</body></html>"), "error",
         f"{DOCS}/page.pdf", "", "PDF"),
    Case("pdf-encrypted", encrypted_pdf, "error", f"{DOCS}/locked.pdf", "", "encrypted"),
    # folders and special files
    Case("no-documents-folder", lambda c: shutil.rmtree(c / DOCS), "error", DOCS, "", "no documents folder"),
    Case("empty-documents-folder", lambda c: [p.unlink() for p in (c / DOCS).iterdir()], "error", DOCS, "",
         "no documents"),
    Case("documents-is-a-file", lambda c: (shutil.rmtree(c / DOCS), (c / DOCS).write_text("x")), "error", DOCS, "",
         "no documents folder"),
    Case("entities-missing", lambda c: (c / ENT).unlink(), "error", ENT, "", "missing; every corpus needs"),
    Case("empty-sub-folder", lambda c: (c / DOCS / "drafts").mkdir(), "warning", f"{DOCS}/drafts", "",
         "sub-folders of documents/ are not read"),
    Case("symlink-outside-corpus", symlink_outside, "warning", f"{DOCS}/leak.txt", "", "outside the corpus folder"),
    Case("documents-symlinked-outside", documents_symlinked_outside, "error", DOCS, "", "no documents"),
    Case("fifo-in-documents", fifo, "warning", f"{DOCS}/pipe.txt", "", "not a regular file"),
]


def _id(case) -> str:
    return case.values[0].id if hasattr(case, "values") else case.id


@pytest.mark.parametrize("case", CASES, ids=[_id(c) for c in CASES])
def test_bad_corpus(case, zygote, tmp_path, prebuilt):
    corpus = write_base_corpus(tmp_path / "corpus")
    case.mutate(corpus)
    before = hash_tree(prebuilt)
    result = zygote.run(["build", str(corpus), "--out", str(prebuilt), "--no-progress", *case.args], timeout=120)
    assert not result.timed_out, f"build hung:\n{result.output}"
    assert "Traceback" not in result.output, result.output
    if case.level == "error":
        assert result.returncode == 2, result.output
        assert hash_tree(prebuilt) == before, "a failed build changed the existing output folder"
        assert result.stderr.strip().splitlines()[-1].startswith("build: stopped")
    else:
        assert result.returncode == 0, result.output
        data = load_tables(prebuilt)
        assert len(data.passages) > 0
    if case.level == "ok":
        assert "error:" not in result.stderr
        return
    prefix = f"{case.level}: {corpus / case.file}{case.where}"
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith(prefix)]
    assert lines, f"no line starting {prefix!r}:\n{result.stderr}"
    assert any(case.words in ln for ln in lines), f"no {case.words!r} in {lines}"


def test_there_are_at_least_25_cases():
    assert len(CASES) >= 25
    assert len({_id(c) for c in CASES}) == len(CASES)


def test_src_that_is_a_file(zygote, tmp_path, prebuilt):
    src = tmp_path / "corpus.zip"
    src.write_bytes(b"PK\x03\x04")
    before = hash_tree(prebuilt)
    result = zygote.run(["build", str(src), "--out", str(prebuilt), "--no-progress"])
    assert result.returncode == 2 and "Traceback" not in result.output
    assert f"error: {src}: is a file, not a folder" in result.stderr
    assert hash_tree(prebuilt) == before


def test_symlinked_file_is_not_read(zygote, tmp_path, prebuilt):
    corpus = write_base_corpus(tmp_path / "corpus")
    symlink_outside(corpus)
    assert zygote.run(["build", str(corpus), "--out", str(prebuilt), "--no-progress"]).returncode == 0
    assert "leak" not in set(load_tables(prebuilt).documents.doc_id)


def test_real_interpreter_reports_like_the_zygote(tmp_path, prebuilt):
    """One case through a fresh ``python -m dashboard`` proves the zygote changes nothing that matters."""
    corpus = write_base_corpus(tmp_path / "corpus")
    alias_bomb(corpus)
    before = hash_tree(prebuilt)
    result = run_real(["build", str(corpus), "--out", str(prebuilt), "--no-progress"], timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.output
    assert any(ln.startswith(f"error: {corpus / DOCS / 'bomb.md'}:") and "aliases (*" in ln
               for ln in result.stderr.splitlines()), result.stderr
    assert hash_tree(prebuilt) == before


BIG_MB = int(os.environ.get("KHAZALI_HARDENING_BIG_MB", "200"))
RSS_LIMIT = 1536 << 20


@pytest.mark.slow
@pytest.mark.parametrize("limit_mb", [None, BIG_MB + 50], ids=["refused-by-size", "read-then-refused"])
def test_huge_text_file_keeps_memory_bounded(tmp_path, prebuilt, limit_mb, capsys):
    """A sparse BIG_MB file (NUL bytes): refused by size before reading, or read and refused as binary.

    Runs a fresh interpreter so the peak RSS is the build's own.
    """
    corpus = write_base_corpus(tmp_path / "corpus")
    with open(corpus / DOCS / "huge.txt", "wb") as fh:
        fh.truncate(BIG_MB << 20)
    before = hash_tree(prebuilt)
    args = ["build", str(corpus), "--out", str(prebuilt), "--no-progress"]
    if limit_mb:
        args += ["--max-text-mb", str(limit_mb)]
    result = run_real(args, timeout=180)
    assert result.returncode == 2 and "Traceback" not in result.output, result.output
    expected = "NUL bytes" if limit_mb else "MB limit"
    assert any(ln.startswith(f"error: {corpus / DOCS / 'huge.txt'}") and expected in ln
               for ln in result.stderr.splitlines()), result.stderr
    with capsys.disabled():
        print(f"\n{BIG_MB} MB file, max_text_mb={limit_mb or 'default'}: exit {result.returncode}, "
              f"peak RSS {result.peak_rss >> 20} MB, {result.seconds:.1f} s")
    assert result.peak_rss < RSS_LIMIT, f"peak RSS {result.peak_rss >> 20} MB"
    assert hash_tree(prebuilt) == before

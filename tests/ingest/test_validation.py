"""Bad input: every problem is one line naming file, line/row and field; exit 2; no traceback.

Each case mutates a copy of the fixture corpus, runs the CLI and checks the message.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.__main__ import main
from tests.pdfs import text_pdf, write_encrypted_pdf


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, line: str) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")


def _encrypted_pdf(path: Path) -> None:
    write_encrypted_pdf(path)


ENT, REL, DOCS = "entities.csv", "relations.csv", "documents"
LWJ = f"{DOCS}/lwj-2018-08.md"

# (id, mutate(corpus), file named in the message, "line [field]" part or None, words of the message)
CASES = [
    ("entities-missing-column",
     lambda c: _edit(c / ENT, "entity_id,name,type,", "entity_id,name,kind,"),
     ENT, ":1", "missing column(s) type"),
    ("entities-duplicate-id",
     lambda c: _append(c / ENT, "basra,Basra again,place,,,"),
     ENT, ":20 [entity_id]", "duplicate entity_id 'basra' (first defined on line 15)"),
    ("entities-unknown-type",
     lambda c: _edit(c / ENT, "tehran,Tehran,place", "tehran,Tehran,city"),
     ENT, ":17 [type]", "unknown type 'city'"),
    ("entities-bad-id",
     lambda c: _append(c / ENT, "bad id,Someone,person,,,"),
     ENT, ":20 [entity_id]", "may only use letters"),
    ("entities-unknown-affiliation",
     lambda c: _edit(c / ENT, "Hajji Yusif,irgc-qf", "Hajji Yusif,irgc"),
     ENT, ":6 [affiliations]", "affiliation 'irgc'"),
    ("entities-empty",
     lambda c: (c / ENT).write_text("entity_id,name,type,aliases,affiliations,description\n", encoding="utf-8"),
     ENT, None, "no entities"),
    ("entities-missing-file",
     lambda c: (c / ENT).unlink(),
     ENT, None, "missing; every corpus needs an entities.csv"),
    ("entities-not-utf8",
     lambda c: (c / ENT).write_bytes((c / ENT).read_bytes().replace(b"Tehran,place", b"T\xe9hran,place")),
     ENT, ":17", "re-save the file as UTF-8"),
    ("relations-missing-column",
     lambda c: _edit(c / REL, "source,target,relation,", "source,target,type,"),
     REL, ":1", "missing column(s) relation"),
    ("relations-unknown-entity",
     lambda c: _append(c / REL, "qais-al-khazali,nobody,knows,lwj-2018-08,1,"),
     REL, ":8 [target]", "'nobody' is not an entity_id"),
    ("relations-unknown-document",
     lambda c: _append(c / REL, "qais-al-khazali,aah,leads,no-such-doc,1,"),
     REL, ":8 [doc_id]", "'no-such-doc' is not a document"),
    ("relations-passage-out-of-range",
     lambda c: _append(c / REL, "qais-al-khazali,aah,leads,lwj-2018-08,9,"),
     REL, ":8 [passage]", "passage 9 does not exist: 'lwj-2018-08' has 4 passage(s)"),
    ("relations-passage-not-a-number",
     lambda c: _append(c / REL, "qais-al-khazali,aah,leads,lwj-2018-08,first,"),
     REL, ":8 [passage]", "must be a passage number"),
    ("relations-passage-lacks-an-end",
     lambda c: _append(c / REL, "qais-al-khazali,peter-moore,met,lwj-2018-08,1,"),
     REL, ":8 [passage]", "does not mention 'peter-moore'"),
    ("relations-bad-type",
     lambda c: _append(c / REL, "qais-al-khazali,aah,Leads Group,lwj-2018-08,1,"),
     REL, ":8 [relation]", "must be snake_case"),
    ("relations-bad-claim",
     lambda c: _append(c / REL, "qais-al-khazali,aah,leads,lwj-2018-08,1,rumour"),
     REL, ":8 [claim_class]", "unknown claim_class 'rumour'"),
    ("front-matter-yaml-error",
     lambda c: _edit(c / LWJ, "kind: article", "kind: [article"),
     LWJ, ":7", "front matter is not valid YAML"),
    ("front-matter-unclosed",
     lambda c: _edit(c / LWJ, "claim_class: reports\n---\n", "claim_class: reports\n"),
     LWJ, ":1", "never closed"),
    ("front-matter-unknown-claim",
     lambda c: _edit(c / LWJ, "claim_class: reports", "claim_class: rumour"),
     LWJ, ":7 [claim_class]", "unknown claim_class 'rumour'"),
    ("front-matter-bad-published",
     lambda c: _edit(c / LWJ, "published: 2018-08-30", "published: 2018-02-30"),
     LWJ, ":5 [published]", "published '2018-02-30' is not a date"),
    ("tag-impossible-date",
     lambda c: _edit(c / LWJ, "<!-- date: 2003-06;", "<!-- date: 2003-13;"),
     LWJ, ":12 [date]", "passage date '2003-13' is not valid"),
    ("tag-reversed-range",
     lambda c: _edit(c / LWJ, "<!-- date: 2005..2006 -->", "<!-- date: 2006..2005 -->"),
     LWJ, ":16 [date]", "passage date '2006..2005'"),
    ("tag-unknown-claim",
     lambda c: _edit(c / LWJ, "claim: reports -->", "claim: gossip -->"),
     LWJ, ":12 [claim]", "unknown claim 'gossip'"),
    ("document-not-utf8",
     lambda c: (c / LWJ).write_bytes((c / LWJ).read_bytes().replace(b"Basra", b"Basr\xe0")),
     LWJ, ":20", "not UTF-8"),
    ("pdf-corrupt",
     lambda c: (c / DOCS / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\nthis is not a pdf"),
     f"{DOCS}/broken.pdf", None, "cannot read the PDF"),
    ("pdf-encrypted",
     lambda c: _encrypted_pdf(c / DOCS / "locked.pdf"),
     f"{DOCS}/locked.pdf", None, "encrypted"),
    ("pdf-truncated",
     lambda c: (c / DOCS / "cut.pdf").write_bytes(text_pdf()[:200]),
     f"{DOCS}/cut.pdf", None, "PDF"),
    ("no-documents",
     lambda c: [p.unlink() for p in (c / DOCS).iterdir()],
     DOCS, None, "no documents"),
    ("no-documents-folder",
     lambda c: shutil.rmtree(c / DOCS),
     DOCS, None, "no documents folder"),
    ("duplicate-doc-stem",
     lambda c: shutil.copy(c / LWJ, c / DOCS / "lwj-2018-08.txt"),
     f"{DOCS}/lwj-2018-08.txt", None, "stems must be unique"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_reported_with_place_and_exit_2(case, corpus_copy, tmp_path, capsys):
    _, mutate, file, where, words = case
    mutate(corpus_copy)
    out = tmp_path / "out"
    code = main(["build", str(corpus_copy), "--out", str(out), "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2, err
    assert "Traceback" not in err
    expected = f"{corpus_copy / file}{where or ''}"
    lines = [ln for ln in err.splitlines() if ln.startswith("error: ") and words in ln]
    assert lines, f"no error line with {words!r}:\n{err}"
    assert any(ln.startswith(f"error: {expected}") for ln in lines), f"expected place {expected!r}:\n{err}"
    assert err.strip().splitlines()[-1].startswith("build: stopped")
    assert not out.exists()


def test_all_problems_are_reported_at_once(corpus_copy, tmp_path, capsys):
    _edit(corpus_copy / ENT, "tehran,Tehran,place", "tehran,Tehran,city")
    _append(corpus_copy / REL, "qais-al-khazali,nobody,knows,lwj-2018-08,1,")
    _edit(corpus_copy / LWJ, "claim_class: reports", "claim_class: rumour")
    assert main(["build", str(corpus_copy), "--out", str(tmp_path / "o"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert "[type]" in err and "[target]" in err and "[claim_class]" in err
    assert "3 error(s)" in err


def test_missing_src_is_an_error(tmp_path, capsys):
    assert main(["build", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert f"error: {tmp_path / 'nowhere'}: no such folder" in err
    assert "Traceback" not in err


def test_alias_claimed_by_two_entities_is_a_warning_naming_both(corpus_copy, tmp_path, capsys):
    _edit(corpus_copy / ENT, "Hajji Yusif,irgc-qf", "Hajji Yusif;Shahlai,irgc-qf")
    assert main(["build", str(corpus_copy), "--out", str(tmp_path / "o"), "--no-progress"]) == 0
    err = capsys.readouterr().err
    line = next(ln for ln in err.splitlines() if "claimed by" in ln)
    assert line.startswith(f"warning: {corpus_copy / ENT}")
    assert "abdul-reza-shahlai" in line and "hajj-yusif" in line and "'shahlai'" in line.lower()


def test_non_http_url_is_a_warning_and_dropped(corpus_copy, tmp_path, capsys):
    _edit(corpus_copy / LWJ, "url: https://www.longwarjournal.org", "url: javascript://www.longwarjournal.org")
    out = tmp_path / "o"
    assert main(["build", str(corpus_copy), "--out", str(out), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert f"warning: {corpus_copy / LWJ}:4 [url]" in err
    from dashboard.tables import load_tables

    docs = load_tables(out).documents.set_index("doc_id")
    assert docs.loc["lwj-2018-08", "url"] is None or docs.loc["lwj-2018-08", "url"] != docs.loc["lwj-2018-08", "url"]


def test_bom_and_crlf_are_accepted(corpus_copy, tmp_path, capsys):
    for path in [corpus_copy / ENT, corpus_copy / REL, corpus_copy / LWJ]:
        text = path.read_text(encoding="utf-8")
        path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    out = tmp_path / "o"
    assert main(["build", str(corpus_copy), "--out", str(out), "--no-progress"]) == 0
    from dashboard.tables import load_tables

    t = load_tables(out)
    assert "qais-al-khazali" in set(t.entities.entity_id)
    assert t.documents.set_index("doc_id").loc["lwj-2018-08", "publisher"] == "FDD's Long War Journal"
    assert len(t.relations) == 6


def test_unknown_front_matter_key_and_extra_file_are_warnings(corpus_copy, tmp_path, capsys):
    _edit(corpus_copy / LWJ, "kind: article", "kind: article\nauthor: Someone")
    (corpus_copy / DOCS / "notes.docx").write_bytes(b"PK")
    assert main(["build", str(corpus_copy), "--out", str(tmp_path / "o"), "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert f"warning: {corpus_copy / LWJ}:7 [author]" in err
    assert f"warning: {corpus_copy / DOCS / 'notes.docx'}: ignored" in err


def test_bad_setting_value_is_an_input_error(small_corpus, tmp_path, capsys, monkeypatch):
    assert main(["build", str(small_corpus), "--out", str(tmp_path / "o"), "--seed", "abc"]) == 2
    assert "error: --seed: not a valid value for setting 'seed'" in capsys.readouterr().err
    monkeypatch.setenv("KHAZALI_BETWEENNESS_SAMPLES", "many")
    assert main(["build", str(small_corpus), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "error: KHAZALI_BETWEENNESS_SAMPLES" in err and "Traceback" not in err


def test_csv_row_with_a_stray_comma_names_its_line(corpus_copy, tmp_path, capsys):
    _append(corpus_copy / ENT, "abu-deraa,Abu Deraa,person,Abu Diraa,jam,Militia commander, Sadr City")
    assert main(["build", str(corpus_copy), "--out", str(tmp_path / "o"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    assert f"error: {corpus_copy / ENT}:20: 7 fields but the header has 6" in err


def test_yaml_aliases_are_refused_not_expanded(corpus_copy, tmp_path, capsys):
    """A 'billion laughs' front matter is an error at the first alias, not a hang."""
    laughs = "".join(
        f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}" if i else "lol"] * 9) + "]\n" for i in range(9)
    )
    (corpus_copy / DOCS / "laughs.md").write_text(f"---\n{laughs}title: *l8\n---\n\nText.\n", encoding="utf-8")
    (corpus_copy / "dataset.yml").write_text("title: &t X\ndescription: *t\n", encoding="utf-8")
    assert main(["build", str(corpus_copy), "--out", str(tmp_path / "o"), "--no-progress"]) == 2
    err = capsys.readouterr().err
    import re

    assert re.search(re.escape(f"error: {corpus_copy / DOCS / 'laughs.md'}:") + r"\d+: front matter is not valid YAML: aliases", err)
    assert f"error: {corpus_copy / 'dataset.yml'}:1: not valid YAML (aliases" in err

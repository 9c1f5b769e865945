"""Splitting bodies into passages, tags, front matter and CSV row numbers (pure functions)."""

import pandas as pd

from dashboard.errors import ProblemLog
from dashboard.ingest.corpus import ENTITY_COLUMNS, decode_text, read_csv, split_list
from dashboard.ingest.frontmatter import check_meta, parse_meta, split_front_matter
from dashboard.ingest.passages import split_passages


def test_blocks_headings_and_line_joins():
    body = "# Title\n\nfirst line\n  second   line\n\n\n## Sub\nafter heading\n"
    log = ProblemLog()
    ps = split_passages(body, "x.md", log, first_line=1)
    assert [p.text for p in ps] == ["first line second line", "after heading"]
    assert [p.line for p in ps] == [3, 8]
    assert not log.problems


def test_tag_on_its_own_block_applies_to_the_next_passage():
    body = "<!-- date: 2007-03-20; claim: official -->\n\nCaptured in Basra.\n\nUntagged 2005."
    ps = split_passages(body, "x.md", ProblemLog())
    assert len(ps) == 2
    assert ps[0].tag.date.start == "2007-03-20" and ps[0].tag.claim == "official"
    assert ps[1].tag.date is None and ps[1].tag.claim is None


def test_tag_removed_from_text_and_none_date():
    ps = split_passages("<!-- date: none -->Text in 2004.", "x.md", ProblemLog())
    assert ps[0].text == "Text in 2004." and ps[0].tag.no_date and ps[0].tag.date is None


def test_bad_tags_are_reported_with_line_and_field():
    log = ProblemLog()
    split_passages("intro\n\n<!-- date: 2007-02-30; claim: rumour; mood: sad -->\nText", "x.md", log, first_line=10)
    msgs = [str(p) for p in log.problems]
    assert any(m.startswith("error: x.md:12 [date]") for m in msgs)
    assert any(m.startswith("error: x.md:12 [claim]") for m in msgs)
    assert any(m.startswith("warning: x.md:12 [tag]") and "mood" in m for m in msgs)


def test_front_matter_split_and_checks():
    text = "---\ntitle: T\npublished: 2018-08\nurl: ftp://x\nclaim_class: official\n---\nBody"
    log = ProblemLog()
    yaml_text, body, line = split_front_matter(text, "d.md", log)
    assert body == "Body" and line == 7
    meta = check_meta(parse_meta(yaml_text, "d.md", log), "d.md", log, yaml_text)
    assert (meta.title, meta.published, meta.url, meta.claim_class) == ("T", "2018-08-01", None, "official")
    assert [str(p) for p in log.problems] == [
        "warning: d.md:4 [url]: url 'ftp://x' is not an http(s) address; it is left out"
    ]


def test_no_front_matter_means_whole_text_is_body():
    assert split_front_matter("Just text", "d.md", ProblemLog()) == (None, "Just text", 1)


def test_decode_rejects_non_utf8_naming_the_line():
    log = ProblemLog()
    assert decode_text(b"ok\nok\nbad \xff\n", "f.txt", log) is None
    assert str(log.problems[0]).startswith("error: f.txt:3: not UTF-8")


def test_csv_rows_keep_the_line_numbers_a_user_sees(tmp_path):
    path = tmp_path / "entities.csv"
    path.write_text("entity_id,name,type\na,A,person\n\nb,B,place\n", encoding="utf-8")
    df = read_csv(path, ENTITY_COLUMNS, ProblemLog())
    assert list(df.entity_id) == ["a", "b"] and list(df.src_line) == [2, 4]
    assert list(df.aliases) == ["", ""]  # optional columns added empty


def test_split_list():
    assert split_list("a;  b ;;a") == ["a", "b"]
    assert split_list("") == []
    assert isinstance(pd.Series([split_list("x")]).iloc[0], list)

"""Header logic: counts line and About text."""

from dashboard.panels.header.logic import ABOUT_SECTIONS, stats_text


def test_stats_text_visible_over_total():
    text = stats_text({"entities": 3, "links": 2, "passages": 6, "documents": 2},
                      {"entities": 1200, "links": 27, "passages": 7, "documents": 2})
    assert text == "3/1,200 entities · 2/27 links · 6/7 passages · 2/2 documents"


def test_about_says_sample_and_explains_claims():
    text = " ".join(p for _, ps in ABOUT_SECTIONS for p in ps)
    assert "SAMPLE" in text and "not the reports" in text
    for claim in ("reports", "analysis", "official", "background"):
        assert f"{claim} —" in text
    assert "python -m dashboard build" in text
    assert "<" not in text  # plain text only


def test_source_summary_counts_publishers():
    import pandas as pd

    from dashboard.panels.header.logic import source_summary

    docs = pd.DataFrame({"publisher": ["FDD", "AEI", "FDD", None, "<b>x</b>"]})
    lines = source_summary(docs)
    assert lines[0] == "FDD — 2 documents"
    assert "unknown publisher — 1 document" in lines and "<b>x</b> — 1 document" in lines  # text, shown as text
    assert source_summary(docs, limit=1)[-1] == "… and 3 more publishers (3 documents)"
    assert source_summary(docs.iloc[:0]) == []

"""Candidate names: name-like spans no entity claimed, and their corpus summary."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.ingest.candidates import find_candidates, is_mostly_caps, summarize_candidates
from dashboard.ingest.linker import Linker, Mention


def surfaces(text: str, mentions: list[Mention] | None = None) -> list[str]:
    return [s for _, _, s in find_candidates(text, mentions or [])]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The detainee said Nouri al-Maliki met him.", ["Nouri al-Maliki"]),
        ("According to Prime Minister Nouri al-Maliki, nothing.", ["Nouri al-Maliki"]),
        ("General Qasem Soleimani's orders", ["Qasem Soleimani"]),
        ("They joined the League of the Righteous in 2006.", ["League of the Righteous"]),
        ("Iranian-backed Special Groups fought.", ["Special Groups"]),
        ("A letter from al-Maliki arrived.", ["al-Maliki"]),
        ("A letter from Abu Dura arrived.", ["Abu Dura"]),
        ("Hajji Hamid brought money.", ["Hajji Hamid"]),
        ("Detainee stated that ABU DERAA met him.", ["ABU DERAA"]),
        ("He named MUSTAFA to them.", ["MUSTAFA"]),
        ("DETAINEE STATED THAT ABU DERAA MET WITH SHEIKH ANSARI IN BAGHDAD.", ["ABU DERAA", "SHEIKH ANSARI"]),
        ("DETAINEE STATED THAT HE MET HAMID AL-LAMI IN BAGHDAD.", ["HAMID AL-LAMI"]),
        ("The meeting was in March. Later he left.", []),
        ("He said that nothing happened.", []),
        ("In 2007 the detainee went home.", []),
        ("Khazali as Sadr aide", []),  # lone surnames, English "as"
    ],
)
def test_find_candidates(text, expected):
    assert surfaces(text) == expected


def test_candidates_skip_linked_mentions():
    ents = pd.DataFrame([("P01", "Qais al-Khazali", "person", [])], columns=["entity_id", "name", "type", "aliases"])
    text = "Sheikh Qais al-Khazali met Nouri al-Maliki."
    mentions = Linker(ents).link(text)
    assert [m.surface for m in mentions] == ["Qais al-Khazali"]
    assert surfaces(text, mentions) == ["Nouri al-Maliki"]


def test_candidate_offsets():
    text = "x  Nouri al-Maliki\nand  ABU DERAA."
    for start, end, surface in find_candidates(text, []):
        assert text[start:end] == surface


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("AaBbLlMmKk -'’\n.,ʿ") + ["al-", "Abu ", "The ", "QAIS ", "Sadr "]), max_size=25))
def test_find_candidates_never_raises_and_offsets_hold(parts):
    text = "".join(parts)
    for start, end, surface in find_candidates(text, []):
        assert text[start:end] == surface and start < end


def test_is_mostly_caps():
    assert is_mostly_caps("DETAINEE STATED THAT HE MET QAIS IN BAGHDAD")
    assert not is_mostly_caps("Detainee stated that he met QAIS AL-KHAZALI in Baghdad")
    assert not is_mostly_caps("AAH")


def test_summarize_candidates_counts_and_orders():
    rows = [
        ("Nouri al-Maliki", "d1:0", "…Nouri al-Maliki said…"),
        ("Nouri al-Maliki", "d1:0", "…again Nouri al-Maliki…"),
        ("NOURI AL-MALIKI", "d2:3", "…NOURI AL-MALIKI STATED…"),
        ("Abu Dura", "d2:4", "…Abu Dura…"),
        ("Abu Deraa", "d3:1", "…Abu Deraa…"),
        ("Hamid al-Lami", "d3:2", "…Hamid al-Lami…"),
        ("Abu Deraa", "d3:5", "…Abu Deraa again…"),
    ]
    df = summarize_candidates(rows)
    assert list(df.columns) == ["candidate", "count", "n_passages", "example_passage_id", "example"]
    assert df.to_dict("records") == [
        {"candidate": "Nouri al-Maliki", "count": 3, "n_passages": 2, "example_passage_id": "d1:0", "example": "…Nouri al-Maliki said…"},
        {"candidate": "Abu Deraa", "count": 2, "n_passages": 2, "example_passage_id": "d3:1", "example": "…Abu Deraa…"},
        {"candidate": "Abu Dura", "count": 1, "n_passages": 1, "example_passage_id": "d2:4", "example": "…Abu Dura…"},
        {"candidate": "Hamid al-Lami", "count": 1, "n_passages": 1, "example_passage_id": "d3:2", "example": "…Hamid al-Lami…"},
    ]


def test_summarize_candidates_empty():
    df = summarize_candidates([(None, "d1:0", "x"), ("  ", "d1:0", "x")])
    assert list(df.columns) == ["candidate", "count", "n_passages", "example_passage_id", "example"]
    assert df.empty

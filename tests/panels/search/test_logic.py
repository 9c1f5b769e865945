"""Fuzzy search over names and aliases."""

from dashboard.panels.search.logic import SearchIndex
from tests.analysis.tinydata import tiny_tables

INDEX = SearchIndex(tiny_tables().entities)


def values(q):
    return [o["value"] for o in INDEX.search(q)]


def test_alias_and_typo_find_the_entity():
    assert values("Qayis")[0] == "qais"
    assert values("League of the Righteous")[0] == "aah"
    assert values("Suleimani")[0] == "soleimani"
    assert values("Moqtada al Sadr")[0] == "muqtada"
    assert values("daqdq")[0] == "daqduq"


def test_matching_alias_is_shown_and_one_option_per_entity():
    opts = INDEX.search("Khazali")
    assert len({o["value"] for o in opts}) == len(opts)
    assert {"qais", "laith"} <= {o["value"] for o in opts}
    assert INDEX.search("Hamid Majid")[0]["label"] == "Ali Musa Daqduq — “Hamid Majid” (person)"


def test_empty_and_nonsense_queries():
    assert INDEX.search("") == [] and INDEX.search("   ") == []
    assert INDEX.search("zzzzqqqxx") == []
    assert INDEX.option("qais") == {"label": "Qais al-Khazali (person)", "value": "qais"}
    assert INDEX.option("missing") is None


def test_options_keep_the_chosen_entity_when_the_query_no_longer_matches_it():
    assert INDEX.options("") == [] and INDEX.options(None, "qais") == []
    found = [o["value"] for o in INDEX.options("Suleimani", "daqduq")]
    assert found[0] == "soleimani" and found[-1] == "daqduq" and found.count("daqduq") == 1
    assert [o["value"] for o in INDEX.options("Suleimani", "soleimani")] == values("Suleimani")
    assert [o["value"] for o in INDEX.options("x" * 500)] == values("x" * 100)  # long queries are cut

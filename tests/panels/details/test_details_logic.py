"""The details of a selected entity or link."""

import pandas as pd

from dashboard.panels.details.logic import edge_details, entity_details, neighbors, resolve_affiliations
from tests.panels.conftest import make_view


def test_entity_profile_fields(tables, view):
    d = entity_details(tables, view, "qais")
    assert d["name"] == "Qais al-Khazali" and d["type"] == "person"
    assert d["aliases"] == ["Qayis al-Khazali", "Qais"]
    assert d["affiliations"] == [{"name": "Asa'ib Ahl al-Haq", "entity_id": "aah"}]
    assert d["description"] == "Leader of AAH."
    assert d["in_view"] is True and d["scope"] == "view"


def test_metric_ranks_are_within_the_view(tables, view):
    d = entity_details(tables, view, "qais")
    n = len(view.entities)
    for m in d["metrics"]:
        values = view.entities[m["key"]]
        mine = float(view.entities.loc[view.entities["entity_id"] == "qais", m["key"]].iloc[0])
        assert m["of"] == n
        assert m["rank"] == 1 + int((values > mine).sum())
        assert m["value"] == mine
    assert d["community"] == int(view.entities.loc[view.entities["entity_id"] == "qais", "community"].iloc[0])


def test_ranks_change_with_the_view(tables):
    small = make_view(tables, passage_ids=["d1:0", "d3:0"])  # qais, laith, basra
    d = entity_details(tables, small, "qais")
    assert {m["key"]: m["of"] for m in d["metrics"]}["degree"] == 3


def test_entity_outside_the_view_is_ranked_in_the_dataset(tables):
    small = make_view(tables, passage_ids=["d2:0"])
    d = entity_details(tables, small, "basra")
    assert d["in_view"] is False and d["scope"] == "dataset"
    assert d["metrics"][0]["of"] == len(tables.entities)
    assert d["neighbors"] == [] and d["n_neighbors"] == 0


def test_unknown_entity_gives_none(tables, view):
    assert entity_details(tables, view, "nobody") is None
    assert edge_details(tables, view, "qais", "nobody") is None


def test_neighbors_ranked_by_evidence(tables, view):
    nb = neighbors(tables, view, "qais")
    weights = list(nb["weight"])
    assert weights == sorted(weights, reverse=True)
    laith = nb[nb["entity_id"] == "laith"].iloc[0]
    # co-mention in d1:0 + brother_of relation in d3:1
    assert laith["n_passages"] == 2
    assert laith["kinds"] == ["co-mention", "relation"] and laith["relations"] == ["brother_of"]
    assert laith["weight"] == 2.0
    assert set(nb["entity_id"]) == {"laith", "basra", "aah", "qf", "sadr"}


def test_affiliations_resolve_ids_then_names_then_aliases(tables):
    got = resolve_affiliations(tables, ["aah", "asa'ib ahl al-haq", "IRGC-QF", "Nobody Known", "Khazali"])
    assert [g["entity_id"] for g in got] == ["aah", "aah", "qf", None, None]
    assert [g["name"] for g in got] == ["Asa'ib Ahl al-Haq", "Asa'ib Ahl al-Haq", "Quds Force", "Nobody Known",
                                         "Khazali"]


def test_ambiguous_affiliation_names_are_not_linked(tables):
    tables.entities.loc[tables.entities["entity_id"] == "basra", "aliases"] = pd.Series([["Twin"]], index=[4])
    tables.entities.loc[tables.entities["entity_id"] == "sadr", "aliases"] = pd.Series([["Twin"]], index=[5])
    assert resolve_affiliations(tables, ["twin"]) == [{"name": "twin", "entity_id": None}]


def test_edge_details(tables, view):
    d = edge_details(tables, view, "laith", "qais")
    assert [e["name"] for e in d["ends"]] == ["Laith al-Khazali", "Qais al-Khazali"]
    assert d["kinds"] == ["co-mention", "relation"]
    assert d["relations"] == [
        {"relation": "brother_of", "source": "laith", "target": "qais", "source_name": "Laith al-Khazali",
         "target_name": "Qais al-Khazali", "n_passages": 1}
    ]
    assert d["n_passages"] == 2 and d["n_documents"] == 2
    assert d["first"] == "2007-03-01" and d["last"] == "2007-03-31"
    assert d["claims"] == {"reports": 1, "official": 1}
    assert edge_details(tables, view, "qais", "laith")["n_passages"] == 2


def test_edge_outside_the_view(tables):
    small = make_view(tables, passage_ids=["d2:0"])
    d = edge_details(tables, small, "laith", "qais")
    assert d["in_view"] is False and d["n_passages"] == 0 and d["period"] == "undated"

import datetime as dt

from dashboard.export.captions import describe_filters, describe_period, export_filename, footer_text


def test_describe_filters_names_orgs_period_and_claims():
    state = {"orgs": ["aah", "qf"], "start": "2004-01-01", "end": "2007-12-31", "claims": ["reports"]}
    text = describe_filters(state, {"aah": "AAH", "qf": "IRGC-QF"})
    assert text == "Organizations: AAH, IRGC-QF · 2004–2007 · claims: reports"


def test_describe_filters_without_filters_says_everything():
    assert describe_filters({"orgs": [], "min_weight": 1, "community": None}) == "All entities and links"


def test_describe_filters_lists_every_active_filter_and_falls_back_to_ids():
    state = {"orgs": ["x1"], "hops": 2, "focus": "p9", "depth": 2, "types": ["person"], "kinds": ["relation"],
             "relations": ["trained"], "min_weight": 3, "community": 4, "start": "2006-03-01", "end": None,
             "path": {"source": "a", "target": "c"}}
    text = describe_filters(state, {"p9": "Laith"})
    for part in ["Organization: x1 (+2 hops)", "around Laith (2 steps)", "paths a → c", "from 2006-03-01",
                 "types: person", "links: relation", "relations: trained", "link weight ≥ 3", "community 4"]:
        assert part in text


def test_describe_period_variants():
    assert describe_period("2005-01-01", "2005-12-31") == "2005"
    assert describe_period("2005-02-01", "2005-12-31") == "2005-02-01 – 2005-12-31"
    assert describe_period(None, "2007-03-20") == "until 2007-03-20"
    assert describe_period(None, None) == ""


def test_footer_carries_attribution_and_date():
    text = footer_text("Khazali papers", dt.date(2026, 1, 2))
    assert "Khazali papers" in text and "see sources in the evidence appendix" in text and "2026-01-02" in text


def test_filename_cannot_carry_a_path():
    name = export_filename("../../etc/passwd", "graph", "png", dt.date(2026, 1, 2))
    assert "/" not in name and ".." not in name and name.endswith("-graph-2026-01-02.png")

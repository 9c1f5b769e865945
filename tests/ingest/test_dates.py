"""Partial dates and dates in passage text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.ingest.dates import DateRange, extract_dates, parse_partial


# ---------------------------------------------------------------- parse_partial
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2007", DateRange("2007-01-01", "2007-12-31", "year")),
        ("2007-03", DateRange("2007-03-01", "2007-03-31", "month")),
        ("2008-02", DateRange("2008-02-01", "2008-02-29", "month")),
        ("2007-02", DateRange("2007-02-01", "2007-02-28", "month")),
        ("2007-03-20", DateRange("2007-03-20", "2007-03-20", "day")),
        (" 2007-03-20 ", DateRange("2007-03-20", "2007-03-20", "day")),
        ("2004..2006", DateRange("2004-01-01", "2006-12-31", "year")),
        ("2007-01..2007-05-15", DateRange("2007-01-01", "2007-05-15", "month")),
        ("2007-03-20..2007-03-20", DateRange("2007-03-20", "2007-03-20", "day")),
        ("2007-03-20..2009", DateRange("2007-03-20", "2009-12-31", "year")),
    ],
)
def test_parse_partial(value, expected):
    assert parse_partial(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2007-13", "month 13 is not 1-12"),
        ("2007-00", "month 0 is not 1-12"),
        ("2007-02-31", "February 2007 has 28 days"),
        ("2007-02-29", "February 2007 has 28 days"),
        ("2007-04-31", "April 2007 has 30 days"),
        ("2006..2004", "reversed"),
        ("2007-05..2007-03-01", "reversed"),
        ("March 2007", "expected YYYY"),
        ("07", "expected YYYY"),
        ("", "expected YYYY"),
        ("2004..", "START..END"),
        ("2004..2005..2006", "START..END"),
        ("0000", "out of range"),
    ],
)
def test_parse_partial_rejects_with_clear_message(value, message):
    with pytest.raises(ValueError, match=message) as info:
        parse_partial(value)
    assert repr(value.strip()) in str(info.value)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1, 1, 1)))
def test_parse_partial_round_trips_valid_days(day):
    iso = day.isoformat()
    assert parse_partial(iso) == DateRange(iso, iso, "day")
    month = parse_partial(iso[:7])
    year = parse_partial(iso[:4])
    assert month.start <= iso <= month.end and year.start <= iso <= year.end


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=dt.date(1000, 1, 1)), st.dates(min_value=dt.date(1000, 1, 1)))
def test_parse_partial_ranges_are_ordered_or_rejected(a, b):
    value = f"{a.isoformat()}..{b.isoformat()}"
    if a <= b:
        r = parse_partial(value)
        assert r.start <= r.end and (r.start, r.end) == (a.isoformat(), b.isoformat())
    else:
        with pytest.raises(ValueError, match="reversed"):
            parse_partial(value)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=25))
def test_parse_partial_only_raises_value_error(value):
    try:
        r = parse_partial(value)
    except ValueError:
        return
    assert r.start <= r.end


# ---------------------------------------------------------------- extract_dates
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Captured on 20 March 2007 in Basra.", ("2007-03-20", "2007-03-20", "day")),
        ("Captured on March 20, 2007 in Basra.", ("2007-03-20", "2007-03-20", "day")),
        ("Captured on March 20th, 2007.", ("2007-03-20", "2007-03-20", "day")),
        ("Captured on the 20th of March 2007.", ("2007-03-20", "2007-03-20", "day")),
        ("Captured 2007-03-20.", ("2007-03-20", "2007-03-20", "day")),
        ("DTG 20MAR07 report", ("2007-03-20", "2007-03-20", "day")),
        ("ON 20 MAR 2007 DETAINEE", ("2007-03-20", "2007-03-20", "day")),
        ("ON 3 Jan. 2020", ("2020-01-03", "2020-01-03", "day")),
        ("In March 2007 he was held.", ("2007-03-01", "2007-03-31", "month")),
        ("dated 20/03/2007", ("2007-03-20", "2007-03-20", "day")),
        ("dated 03/20/2007", ("2007-03-20", "2007-03-20", "day")),
        ("dated 20.03.2007", ("2007-03-20", "2007-03-20", "day")),
        ("dated 03/04/2007", ("2007-03-04", "2007-04-03", "month")),  # 3 April or 4 March
        ("dated 03/2007", ("2007-03-01", "2007-03-31", "month")),
        ("In Sept. 2006 he was held.", ("2006-09-01", "2006-09-30", "month")),
        ("In mid-2005 they reconciled.", ("2005-01-01", "2005-12-31", "year")),
        ("In the first half of 2005.", ("2005-01-01", "2005-06-30", "month")),
        ("He travelled in 2003.", ("2003-01-01", "2003-12-31", "year")),
        ("between 2004 and 2006", ("2004-01-01", "2006-12-31", "year")),
        ("from 2004 to 2006", ("2004-01-01", "2006-12-31", "year")),
        ("during 2004–2006", ("2004-01-01", "2006-12-31", "year")),
        ("during 2004-2006", ("2004-01-01", "2006-12-31", "year")),
        ("during 2004-06", ("2004-01-01", "2006-12-31", "year")),
        ("in 2007-03 (ISO month)", ("2007-03-01", "2007-03-31", "month")),
        ("on 20-22 March 2007", ("2007-03-20", "2007-03-22", "day")),
        ("March–May 2007", ("2007-03-01", "2007-05-31", "month")),
        ("in the 1990s", ("1990-01-01", "1999-12-31", "year")),
        ("in the 1980's", ("1980-01-01", "1989-12-31", "year")),
        # several dates: the enclosing interval, at the coarsest precision
        ("Held from 20 March 2007 until 5 January 2010.", ("2007-03-20", "2010-01-05", "day")),
        ("In 2003, and on 20 March 2007.", ("2003-01-01", "2007-03-20", "year")),
        ("March 2007 and then 20 March 2007", ("2007-03-01", "2007-03-31", "month")),
        # counts and labels next to real dates
        ("Unit 3800 trained 150 fighters in 2006.", ("2006-01-01", "2006-12-31", "year")),
        ("In 2007 about 2000 fighters met at 1930 hours.", ("2007-01-01", "2007-12-31", "year")),
    ],
)
def test_extract_dates(text, expected):
    assert extract_dates(text) == DateRange(*expected)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Unit 3800 and Department 2800",
        "150 fighters",
        "2000 fighters and 2,000 rockets",
        "at 1930 hours",
        "$2005 in cash",
        "route 2010",
        "a 1850 map and a 2150 forecast",  # outside 1990-2029
        "31 February 2007",  # impossible: ignored, not half-read as 2007
        "2007-13-01",
        "31/31/2007",
        "13/2007",
        "version 2.2007",
        "they may 2007x",
    ],
)
def test_extract_dates_finds_nothing(text):
    assert extract_dates(text) is None


def test_impossible_date_is_ignored_next_to_a_valid_one():
    assert extract_dates("31 February 2007, then 2 July 2007") == DateRange("2007-07-02", "2007-07-02", "day")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 -–/.,:'sMarchJANFEBmidbetweenandofthe")) | st.characters(), max_size=60))
def test_extract_dates_never_raises(text):
    r = extract_dates(text)
    if r is not None:
        assert r.start <= r.end
        assert r.precision in {"day", "month", "year"}
        dt.date.fromisoformat(r.start), dt.date.fromisoformat(r.end)


def test_month_names_matched_case_insensitively_by_unicode_rules_do_not_crash():
    # re.IGNORECASE lets the long s "ſ" match "s": the month must still be found by name
    assert extract_dates("ſept 2007") == DateRange("2007-09-01", "2007-09-30", "month")
    assert extract_dates("AUGUſT 5, 2007") == DateRange("2007-08-05", "2007-08-05", "day")


@pytest.mark.parametrize(
    "text",
    ["no digits at all, in March", "Report 12/2006 filed", "the 1990s and mid-2005", "first half of 2005",
     "2007-03-20 and 2007-04", "between 2004 and 2006", "20-22 March 2007", "March-May 2007"],
)
def test_quick_rule_filters_keep_every_date(text, monkeypatch):
    """The digit/month/hint pre-checks only skip rules that could not match."""
    from dashboard.ingest import dates

    fast = extract_dates(text)
    monkeypatch.setattr(dates, "_DIGIT", __import__("re").compile(r""))
    monkeypatch.setattr(dates, "_ANY_MONTH", __import__("re").compile(r""))
    monkeypatch.setattr(dates, "_HINTS", [None] * len(dates._RULES))
    assert fast == extract_dates(text)

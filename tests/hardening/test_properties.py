"""Property tests complementing tests/ingest (which covers idempotence and never-raises):
invisible characters, date extraction on planted dates, mutated curated dates, and the
interval over many dates in one long passage.
"""

from __future__ import annotations

import calendar
import datetime as dt
import unicodedata

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from dashboard.ingest.dates import DateRange, extract_dates, parse_partial
from dashboard.ingest.normalize import fold, variant_key

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u202c", "\u00ad"]
NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ '-", min_size=1, max_size=30)


@settings(max_examples=200, deadline=None)
@given(NAMES, st.lists(st.tuples(st.integers(0, 30), st.sampled_from(INVISIBLE)), max_size=5))
def test_invisible_characters_never_change_a_name_key(name, inserts):
    """Zero-width joiners, BOMs, soft hyphens and bidi overrides pasted into a name still match it."""
    marked = name
    for pos, ch in inserts:
        pos = min(pos, len(marked))
        marked = marked[:pos] + ch + marked[pos:]
    assert fold(marked) == fold(name)
    assert variant_key(marked) == variant_key(name)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_fold_leaves_no_marks_format_characters_or_case(text):
    key = fold(text)
    assert not any(unicodedata.category(c) in ("Mn", "Mc", "Me", "Cf") for c in key)
    assert key.casefold() == key


# plain words only: "mid", "late", "h" (hours) and the like legitimately change what a year means
WORDS = ["the", "report", "said", "that", "it", "was", "then", "and", "again", "so"]
NOISE = st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(NOISE, NOISE, st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2029, 12, 31)),
       st.sampled_from(["{d} {M} {y}", "{M} {d}, {y}", "{M} {y}", "{y}", "on {d} {Mon} {y}"]))
def test_a_planted_date_is_found_exactly(before, after, day, form):
    text = f"{before} " + form.format(d=day.day, M=calendar.month_name[day.month], Mon=calendar.month_abbr[day.month],
                                      y=day.year) + f" {after}"
    assume(not any(w in text.lower().split() for w in ("may", "mar")))
    found = extract_dates(text)
    assert found is not None, text
    if "{d}" in form:
        assert (found.start, found.end, found.precision) == (day.isoformat(), day.isoformat(), "day")
    elif "{M}" in form:
        assert found.start == day.replace(day=1).isoformat() and found.precision == "month"
        assert found.end == day.replace(day=calendar.monthrange(day.year, day.month)[1]).isoformat()
    else:
        assert (found.start, found.end, found.precision) == (f"{day.year}-01-01", f"{day.year}-12-31", "year")


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(1990, 2029), min_size=1, max_size=400), NOISE)
def test_many_years_in_one_passage_give_the_enclosing_interval(years, filler):
    """The span bookkeeping of extract_dates (bisect over taken spans) keeps every year."""
    text = f" {filler.strip() or 'and'} ".join(f"in {y}" for y in years)
    found = extract_dates(text)
    assert found == DateRange(f"{min(years)}-01-01", f"{max(years)}-12-31", "year")


VALID = st.one_of(
    st.dates(min_value=dt.date(1000, 1, 1)).map(dt.date.isoformat),
    st.dates(min_value=dt.date(1000, 1, 1)).map(lambda d: d.isoformat()[:7]),
    st.integers(1000, 9999).map(str),
)


@settings(max_examples=300, deadline=None)
@given(VALID, st.integers(0, 12), st.sampled_from(["delete", "insert", "replace"]),
       st.sampled_from(list("0123456789-./ x\u0660\uff10")))
def test_mutated_curated_dates_are_parsed_or_refused_cleanly(value, pos, op, ch):
    pos = min(pos, len(value))
    if op == "delete":
        mutated = value[:pos] + value[pos + 1:]
    elif op == "insert":
        mutated = value[:pos] + ch + value[pos:]
    else:
        mutated = value[:pos] + ch + value[pos + 1:]
    try:
        r = parse_partial(mutated)
    except ValueError as exc:
        assert str(exc)  # a message the build can show
        return
    assert r.start <= r.end
    dt.date.fromisoformat(r.start), dt.date.fromisoformat(r.end)

"""Partial dates and the dates written in passage text, as ISO intervals.

A date can be a year, a month or a day, and a passage can name a period; every
date here is therefore an interval :class:`DateRange` of ISO ``YYYY-MM-DD`` strings
with a ``precision`` saying how exact its coarsest part was.

* :func:`parse_partial` reads a curated value (``2007``, ``2007-03``,
  ``2007-03-20``, ``2004..2006``) and raises :class:`ValueError` with a clear message
  when it is malformed, impossible or reversed.
* :func:`extract_dates` finds the dates written in free text (``20 March 2007``,
  ``March 20, 2007``, ``20MAR07``, ``March 2007``, ``2004–2006``, ``between 2004
  and 2006``, ``the 1990s``, bare years 1990-2029) and returns the interval that
  encloses all of them, or ``None``. Impossible dates in text are ignored.

Examples
--------
>>> parse_partial("2007-03")
DateRange(start='2007-03-01', end='2007-03-31', precision='month')
>>> extract_dates("Captured in Basra on 20 March 2007 with Unit 3800 papers.")
DateRange(start='2007-03-20', end='2007-03-20', precision='day')
"""

from __future__ import annotations

import bisect
import calendar
import re
from dataclasses import dataclass
from typing import Callable

__all__ = ["DateRange", "parse_partial", "extract_dates", "BARE_YEAR_MIN", "BARE_YEAR_MAX"]

#: Bare four-digit numbers are read as years only inside this range.
BARE_YEAR_MIN = 1990
BARE_YEAR_MAX = 2029

_PRECISION_RANK = {"day": 0, "month": 1, "year": 2}


@dataclass(frozen=True)
class DateRange:
    """A closed interval of days.

    Attributes
    ----------
    start, end : str
        ISO dates ``YYYY-MM-DD``, ``start <= end``.
    precision : {"day", "month", "year"}
        The coarsest precision of the parts the interval was built from.
    """

    start: str
    end: str
    precision: str


def _coarsest(*precisions: str) -> str:
    return max(precisions, key=_PRECISION_RANK.__getitem__)


def _iso(year: int, month: int, day: int) -> str:
    return f"{year:04d}-{month:02d}-{day:02d}"


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _make(year: int, month: int | None = None, day: int | None = None) -> DateRange:
    """Interval of a year, month or day; raises ValueError naming what is impossible."""
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} is out of range 1-9999")
    if month is None:
        return DateRange(_iso(year, 1, 1), _iso(year, 12, 31), "year")
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not 1-12")
    last = _last_day(year, month)
    if day is None:
        return DateRange(_iso(year, month, 1), _iso(year, month, last), "month")
    if not 1 <= day <= last:
        name = calendar.month_name[month]
        raise ValueError(f"day {day} does not exist: {name} {year} has {last} days")
    return DateRange(_iso(year, month, day), _iso(year, month, day), "day")


_PARTIAL = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


def _parse_one(part: str, whole: str) -> DateRange:
    m = _PARTIAL.fullmatch(part.strip())
    if not m:
        raise ValueError(
            f"{whole!r} is not a date: expected YYYY, YYYY-MM, YYYY-MM-DD or a range START..END"
        )
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        return _make(year, month, day)
    except ValueError as exc:
        raise ValueError(f"{whole!r} is not a valid date: {exc}") from None


def _span(first: DateRange, last: DateRange, whole: str) -> DateRange:
    if last.end < first.start:
        raise ValueError(f"{whole!r} is reversed: it ends ({last.end}) before it starts ({first.start})")
    return DateRange(first.start, last.end, _coarsest(first.precision, last.precision))


def parse_partial(value: str) -> DateRange:
    """Parse a curated partial date or range into a :class:`DateRange`.

    Parameters
    ----------
    value : str
        ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, or two of these joined by ``..``
        (``2004..2006``, ``2007-01..2007-05-15``).

    Returns
    -------
    DateRange
        ``start`` is the first day of the first part, ``end`` the last day of the
        last part, ``precision`` the coarsest of the parts.

    Raises
    ------
    ValueError
        If the value is malformed, names an impossible date (month 13, 31
        February) or a range that ends before it starts; the message quotes it.

    Examples
    --------
    >>> parse_partial("2004..2006")
    DateRange(start='2004-01-01', end='2006-12-31', precision='year')
    >>> parse_partial("2007-02-29")
    Traceback (most recent call last):
    ...
    ValueError: '2007-02-29' is not a valid date: day 29 does not exist: February 2007 has 28 days
    """
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date: expected text such as 2007-03-20")
    whole = value.strip()
    if ".." in whole:
        parts = whole.split("..")
        if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
            raise ValueError(f"{whole!r} is not a range: expected START..END, e.g. 2004..2006")
        return _span(_parse_one(parts[0], whole), _parse_one(parts[1], whole), whole)
    return _parse_one(whole, whole)


# --------------------------------------------------------------------------- text

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Sept|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_MONTH_G = rf"(?P<month>{_MONTH})\.?"
_YEAR4 = r"(?P<year>\d{4})"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_DASH = r"\s*(?:-|–|—|to|through|until)\s*"
_B = r"(?<![\w./-])"  # start boundary: not glued to a word, a decimal or an ISO part
_E = r"(?![\w/]|[.,-]\d)"  # end boundary

#: Words after a bare number that show it is a count, a time or a label, not a year.
_NOT_YEAR_AFTER = re.compile(
    r"\s*(?:%|percent|hours?|hrs?\b|h\b|z\b|local\b|zulu\b|[a-z]*men\b|fighters|members|militants|people|"
    r"persons|soldiers|troops|rounds|rockets|mortars|weapons|rifles|dollars|usd|euros|tomans|dinars|"
    r"rials|km|kilomet|met(?:er|re)s|miles|kg|cars|vehicles|families|students|followers|recruits|"
    r"trainees|volunteers|casualties|dead|killed|victims|attacks|operations|cells|series|block|"
    r"kilograms|pounds|tons|feet|yards|units|copies|pages)",
    re.IGNORECASE,
)
#: Words before a bare number that show it is a label or an amount.
_NOT_YEAR_BEFORE = re.compile(
    r"(?:unit|no\.?|number|nr\.?|#|route|highway|camp|brigade|battalion|regiment|company|team|cell|"
    r"room|box|page|pp?\.?|file|serial|code|channel|flight|department|dept\.?|squad|platoon|"
    r"section|building|house|street|st\.?|apartment|apt\.?|phone|tel\.?|\$|us\$|usd|iqd)\s*$",
    re.IGNORECASE,
)

_Handler = Callable[["re.Match[str]"], "DateRange | None"]


def _month_no(name: str) -> int:
    return _MONTHS[name.casefold().rstrip(".")]


def _year2(text: str) -> int:
    value = int(text)
    if len(text) == 4:
        return value
    return 2000 + value if value <= 29 else 1900 + value


def _h_iso_day(m: re.Match[str]) -> DateRange:
    return _make(int(m["year"]), int(m["m"]), int(m["day"]))


def _h_numeric_dmy(m: re.Match[str]) -> DateRange | None:
    """``20/03/2007``, ``03/20/2007``, ``20.03.2007``: day-first or month-first, whichever exists."""
    a, b, year = int(m["a"]), int(m["b"]), int(m["year"])
    readings = []
    for day, month in ((a, b), (b, a)):
        try:
            readings.append(_make(year, month, day))
        except ValueError:
            pass
    if not readings:
        raise ValueError(f"{m[0]!r} is no date")
    if len(readings) == 1 or readings[0] == readings[1]:
        return readings[0]
    # 03/04/2007: 3 April or 4 March; say only what both readings share
    first, last = sorted(readings, key=lambda r: r.start)
    return DateRange(first.start, last.end, "month")


def _h_numeric_my(m: re.Match[str]) -> DateRange:
    return _make(int(m["year"]), int(m["m"]))


def _h_day_month_year(m: re.Match[str]) -> DateRange:
    return _make(_year2(m["year"]), _month_no(m["month"]), int(m["day"]))


def _h_day_range(m: re.Match[str]) -> DateRange:
    year, month = int(m["year"]), _month_no(m["month"])
    first, last = _make(year, month, int(m["d1"])), _make(year, month, int(m["day"]))
    return _span(first, last, m[0])


def _h_month_range(m: re.Match[str]) -> DateRange:
    year = int(m["year"])
    return _span(_make(year, _month_no(m["m1"])), _make(year, _month_no(m["month"])), m[0])


def _h_month_year(m: re.Match[str]) -> DateRange | None:
    if m["month"] == "may" or m["month"] == "mar":  # the verb "may", the verb "mar"
        return None
    return _make(int(m["year"]), _month_no(m["month"]))


def _h_half(m: re.Match[str]) -> DateRange:
    year = int(m["year"])
    if m["half"].lower() in ("first", "1st"):
        return _span(_make(year, 1), _make(year, 6), m[0])
    return _span(_make(year, 7), _make(year, 12), m[0])


def _h_year_range(m: re.Match[str]) -> DateRange | None:
    first = int(m["y1"])
    second = m["y2"]
    last = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
    if not (BARE_YEAR_MIN <= first <= BARE_YEAR_MAX and BARE_YEAR_MIN <= last <= BARE_YEAR_MAX):
        return None
    if len(second) == 2 and last < first:
        # "2007-03" is a month (ISO), not a reversed range
        return _make(first, int(second)) if 1 <= int(second) <= 12 else None
    return _span(_make(first), _make(last), m[0])


def _h_decade(m: re.Match[str]) -> DateRange | None:
    start = int(m["decade"])
    if not 1900 <= start <= BARE_YEAR_MAX:
        return None
    return _span(_make(start), _make(start + 9), m[0])


def _h_iso_month(m: re.Match[str]) -> DateRange:
    return _make(int(m["year"]), int(m["m"]))


def _h_qualified_year(m: re.Match[str]) -> DateRange | None:
    year = int(m["year"])
    return _make(year) if 1900 <= year <= BARE_YEAR_MAX else None


def _h_bare_year(m: re.Match[str]) -> DateRange | None:
    year = int(m["year"])
    if not BARE_YEAR_MIN <= year <= BARE_YEAR_MAX:
        return None
    text = m.string
    if _NOT_YEAR_AFTER.match(text, m.end()):
        return None
    if _NOT_YEAR_BEFORE.search(text[max(0, m.start() - 24) : m.start()]):
        return None
    return _make(year)


# Tried in order; a later pattern never reads text an earlier one has matched, so
# the year inside "20 March 2007" is not read again as a bare year.
_RULES: list[tuple[re.Pattern[str], _Handler]] = [
    (re.compile(rf"{_B}{_YEAR4}[-/.](?P<m>\d{{1,2}})[-/.]{_DAY}{_E}"), _h_iso_day),
    (re.compile(rf"{_B}(?P<a>\d{{1,2}})(?P<sep>[/.])(?P<b>\d{{1,2}})(?P=sep){_YEAR4}{_E}"), _h_numeric_dmy),
    (re.compile(rf"{_B}(?P<m>\d{{1,2}})/{_YEAR4}{_E}"), _h_numeric_my),
    (re.compile(rf"{_B}(?P<d1>\d{{1,2}}){_DASH}{_DAY}\s+(?:of\s+)?{_MONTH_G},?\s+{_YEAR4}{_E}", re.I), _h_day_range),
    (re.compile(rf"{_B}{_DAY}\s*(?:of\s+)?{_MONTH_G},?\s*(?P<year>\d{{4}}|\d{{2}}){_E}", re.I), _h_day_month_year),
    (re.compile(rf"{_B}{_MONTH_G}\s+{_DAY},?\s+{_YEAR4}{_E}", re.I), _h_day_month_year),
    (re.compile(rf"{_B}(?P<m1>{_MONTH})\.?{_DASH}{_MONTH_G},?\s+{_YEAR4}{_E}", re.I), _h_month_range),
    (re.compile(rf"{_B}(?P<half>first|1st|second|2nd)\s+half\s+of\s+{_YEAR4}{_E}", re.I), _h_half),
    (re.compile(rf"{_B}{_MONTH_G},?\s+(?:of\s+)?{_YEAR4}{_E}", re.I), _h_month_year),
    (re.compile(rf"{_B}(?:between\s+|from\s+)?(?P<y1>\d{{4}})(?:\s*(?:-|–|—|/)\s*|\s+(?:and|to|through|until)\s+)(?P<y2>\d{{4}}|\d{{2}}){_E}", re.I), _h_year_range),
    (re.compile(rf"{_B}(?:mid|early|late|end\s+of|start\s+of)[-–\s]+{_YEAR4}{_E}", re.I), _h_qualified_year),
    (re.compile(rf"{_B}(?P<decade>\d{{3}}0)[’']?s{_E}"), _h_decade),
    (re.compile(rf"{_B}{_YEAR4}-(?P<m>\d{{2}}){_E}"), _h_iso_month),
    (re.compile(rf"(?<![\w.,/$£€-]){_YEAR4}(?![\w/]|[.,]\d|-\d)"), _h_bare_year),
]  # fmt: skip


# Every rule needs a digit, and some a month name: a text without them skips those
# rules (half the passages of a corpus have no digit at all). Other rules need a
# telltale piece (a hint) that a quick search finds or rules out.
_DIGIT = re.compile(r"\d")
_ANY_MONTH = re.compile(_MONTH, re.I)
_NEEDS_MONTH = [_MONTH in pattern.pattern for pattern, _ in _RULES]
_HINTS: list[re.Pattern[str] | None] = [
    re.compile(r"\d[-/.]\d"),  # 2007-03-20
    re.compile(r"\d[/.]\d"),  # 20/03/2007
    re.compile(r"\d/\d"),  # 03/2007
    None, None, None, None,  # month rules
    re.compile(r"half", re.I),  # first half of 2005
    None, None,  # March 2007; year ranges
    re.compile(r"mid|early|late|end|start", re.I),  # mid-2005
    re.compile(r"0[’']?s", re.I),  # 1990s
    re.compile(r"\d-\d"),  # 2007-03
    None,  # bare years
]


def _find_all(text: str) -> list[DateRange]:
    # Taken spans never overlap, so kept sorted by start their ends are sorted too and only
    # the span starting just before ``end`` can overlap a match (a scan of every taken
    # span made a long passage quadratic).
    starts: list[int] = []
    ends: list[int] = []
    found: list[DateRange] = []

    def take(start: int, end: int) -> None:
        i = bisect.bisect_left(starts, start)
        starts.insert(i, start)
        ends.insert(i, end)

    if _DIGIT.search(text) is None:
        return found
    has_month = _ANY_MONTH.search(text) is not None
    for (pattern, handler), needs_month, hint in zip(_RULES, _NEEDS_MONTH, _HINTS, strict=True):
        if (needs_month and not has_month) or (hint is not None and hint.search(text) is None):
            continue
        for m in pattern.finditer(text):
            start, end = m.span()
            i = bisect.bisect_left(starts, end)
            if i > 0 and ends[i - 1] > start:
                continue
            try:
                value = handler(m)
            except ValueError:
                take(start, end)  # impossible date in running text: ignore it
                continue
            if value is not None:
                take(start, end)
                found.append(value)
    return found


def extract_dates(text: str) -> DateRange | None:
    """Return the interval enclosing every date written in ``text``, or ``None``.

    Recognised: ``20 March 2007``, ``March 20, 2007``, ``2007-03-20``, ``20MAR07``,
    ``20/03/2007`` (day or month first, whichever is possible; both possible gives
    the span of the two readings at month precision), ``03/2007``,
    ``20 MAR 2007``, ``March 2007``, ``March-May 2007``, ``20-22 March 2007``,
    ``first half of 2005``, year ranges (``between 2004 and 2006``, ``2004–2006``,
    ``2004-06``), decades (``the 1990s``) and bare years from 1990 to 2029
    (``mid-2005`` gives 2005). A four-digit number that labels or counts something
    (``Unit 2800``, ``2000 fighters``, ``1930 hours``) is not a year. Impossible
    dates (``31 February 2007``) are skipped.

    Parameters
    ----------
    text : str
        Free text.

    Returns
    -------
    DateRange or None
        ``start`` is the earliest day, ``end`` the latest, ``precision`` the coarsest
        precision among the dates found.

    Examples
    --------
    >>> extract_dates("He met them between 2004 and 2006, and again in March 2007.")
    DateRange(start='2004-01-01', end='2007-03-31', precision='year')
    >>> extract_dates("No dates here; 150 fighters of Unit 3800.") is None
    True
    """
    if not isinstance(text, str) or not text:
        return None
    found = _find_all(text)
    if not found:
        return None
    return DateRange(
        min(r.start for r in found),
        max(r.end for r in found),
        _coarsest(*(r.precision for r in found)),
    )


"""Name-like spans that no gazetteer entity claimed: the analyst's to-review list.

:func:`find_candidates` scans a passage for what looks like a name — a run of
capitalised words (``Nouri al-Maliki``, ``League of the Righteous``), an ALL-CAPS
name as interrogation reports write them (``ABU DURA``), an ``al-``/``Abu``/``Hajj``
form — and keeps those that overlap no linked mention. :func:`summarize_candidates`
turns the rows collected over a corpus into the ``candidates.csv`` table, most
frequent first, so the gazetteer can grow where the corpus needs it.

:func:`name_spans` is the shared scanner; the linker uses it to pick the spans it
tries fuzzy matching on.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

import pandas as pd
from spacy.lang.en.stop_words import STOP_WORDS

from dashboard.ingest.normalize import fold

if TYPE_CHECKING:  # pragma: no cover
    from dashboard.ingest.linker import Mention

__all__ = [
    "SpanSet",
    "NameSpan",
    "name_spans",
    "find_candidates",
    "summarize_candidates",
    "ARTICLES",
    "TITLES",
    "is_mostly_caps",
]

class SpanSet:
    """Character spans that answer "does ``[start, end)`` overlap any of them?" in O(log n).

    A linear scan per query made linking quadratic in the number of mentions of a passage
    (a 1 MB paragraph took minutes).

    Examples
    --------
    >>> spans = SpanSet([(10, 20), (0, 3)])
    >>> spans.overlaps(2, 5), spans.overlaps(3, 10), spans.overlaps(19, 30)
    (True, False, True)
    """

    def __init__(self, spans: Iterable[tuple[int, int]]):
        pairs = sorted(spans)
        self._starts = [s for s, _ in pairs]
        self._max_end: list[int] = []
        top = -1
        for _, e in pairs:
            top = max(top, e)
            self._max_end.append(top)

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self._starts, end)  # spans with s < end
        return k > 0 and self._max_end[k - 1] > start


#: Arabic article forms (``al-``, ``el-``, ``ul-`` and the assimilated ``ad-``, ``ash-``, ...).
ARTICLES = frozenset({"al", "el", "ul", "il", "ad", "ar", "as", "ash", "at", "az", "an", "adh", "ath", "dh"})
_SPACE_ARTICLES = frozenset({"al", "el", "ul"})  # also written with a space: "al Khazali"
#: Lowercase words that may sit inside a name: "bin", "Asa'ib Ahl al-Haq", "League of the Righteous".
_CONNECTORS = frozenset({"bin", "ibn", "bint", "bani", "abu", "abd", "umm", "of", "the", "al", "el", "ul"})
#: Honorifics, ranks, roles and demonyms that precede a name without being part of it.
TITLES = frozenset(
    """sheikh shaykh shaikh sheik sayyid sayyed sayid seyed sayed mullah imam ayatollah grand hojatoleslam
    dr mr mrs ms sir general gen brigadier brig colonel col lieutenant lt major maj captain capt sergeant sgt
    commander cmdr president minister prime deputy detainee detainees leader chief cleric emir amir
    secretary spokesman ambassador governor king prince judge brother father son mother
    iraqi iranian lebanese syrian american british us shia shiite shi'a sunni persian arab kurdish
    according however although after before during while when where since until then also
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday""".split()
)
#: ALL-CAPS words of report boilerplate that are not names.
_CAPS_NOISE = frozenset(
    """detainee detainees tir subject nfi unk unknown comment note notes source report reports date
    summary secret noforn rel usa fvey confidential unclassified classified derived declassify
    the and of in on at to for with from by was were is are has had that this""".split()
)
_NAME_PREFIXES = frozenset({"abu", "umm", "hajj", "hajji", "haji", "sheikh", "shaykh", "sayyid", "abd", "bin", "ibn"})

_WORD = re.compile(r"[^\W\d_][\w'’ʿʾʼ`]*")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$", re.IGNORECASE)
_GAP_OK = re.compile(r"[ \t]*(?:[-‐‑][ \t]*)?|[ \t]*\r?\n?[ \t]*")
_MARKS = "ʿʾʼ'’`"


_fold_word = lru_cache(maxsize=100_000)(fold)


@dataclass(frozen=True)
class NameSpan:
    """A run of name-like words: character offsets, how many capitalised words it has."""

    start: int
    end: int
    n_caps: int
    n_words: int


@dataclass(slots=True)
class _Word:
    start: int
    end: int
    text: str
    low: str
    cap: bool
    upper: bool
    possessive: bool


#: What a matched word says, by its text: ``(text, folded, cap, upper, possessive, may
#: be inside a name)``, or ``None`` for marks only. Words repeat, so each is worked out once.
_WORD_INFO: dict[str, tuple[str, str, bool, bool, bool, bool] | None] = {}
_WORD_INFO_MAX = 200_000


def _word_info(raw: str) -> tuple[str, str, bool, bool, bool, bool] | None:
    info = _WORD_INFO.get(raw, False)
    if info is not False:
        return info
    word = raw
    possessive = False
    pm = _POSSESSIVE.search(word)
    if pm and pm.start() > 0:
        word = word[: pm.start()]
        possessive = True
    core = word.lstrip(_MARKS)
    if not core:
        info = None
    else:
        low = _fold_word(word)
        cap = core[0].isupper()
        info = (word, low, cap, word.isupper() and len(core) > 1, possessive, cap or low in _CONNECTORS or low in ARTICLES)
    if len(_WORD_INFO) < _WORD_INFO_MAX:
        _WORD_INFO[raw] = info
    return info


def _words(text: str, inside_only: bool = False) -> list[_Word]:
    """The words of ``text``; with ``inside_only``, only those that may sit inside a name
    (capitalised, connectors, articles): a skipped word still breaks a run, since the gap
    across it is no joining gap (:func:`_joined`)."""
    out: list[_Word] = []
    append, known, word = out.append, _WORD_INFO.get, _Word
    for m in _WORD.finditer(text):
        info = known(m.group(), False)
        if info is False:
            info = _word_info(m.group())
        if info is None or (inside_only and not info[5]):
            continue
        start = m.start()
        raw = info[0]
        append(word(start, start + len(raw), raw, info[1], info[2], info[3], info[4]))
    return out


_ANY_WORD = re.compile(r"[^\W\d_]{2,}")
_CAPS_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_a-z]{2,}(?![^\W\d_])")


def is_mostly_caps(text: str) -> bool:
    """True when most words of ``text`` are ALL-CAPS, so capitals say nothing about names."""
    n_words = len(_ANY_WORD.findall(text))
    if n_words < 4:
        return False
    n_caps = sum(1 for w in _CAPS_WORD.findall(text) if w.isupper())
    return n_caps >= 0.6 * n_words


def _joined(text: str, left: _Word, right: _Word) -> bool:
    gap = text[left.end : right.start]
    return not left.possessive and len(gap) <= 3 and _GAP_OK.fullmatch(gap) is not None


def _not_a_first_word(w: _Word) -> bool:
    if w.low in _SPACE_ARTICLES:
        return False  # "al-Maliki" keeps its article
    if not w.cap or w.low in TITLES:
        return True  # a connector ("of", "bin") or a title ("Sheikh", "Prime Minister")
    return w.low in STOP_WORDS and not w.upper  # "The", "According"; "US" may be a name


def _not_a_last_word(w: _Word) -> bool:
    return not w.cap or w.low in TITLES


def _trim(run: list[_Word]) -> list[_Word]:
    """Strip a run of what surrounds a name without being part of it."""
    while run and _not_a_first_word(run[0]):
        run = run[1:]
    while len(run) > 1 and _not_a_last_word(run[-1]):
        run = run[:-1]
    # a leading article must be followed by a capitalised word
    while run and run[0].low in _SPACE_ARTICLES and (len(run) == 1 or not run[1].cap):
        run = run[1:]
    if len(run) == 1 and _not_a_last_word(run[0]):
        return []
    return run


def name_spans(text: str) -> list[NameSpan]:
    """Find runs of name-like words in ``text``.

    A run is a sequence of capitalised words joined by spaces or hyphens, with
    lowercase connectors (``al``, ``bin``, ``of the``) allowed inside; a leading
    ``al-``/``el-`` is kept; leading sentence words, titles and month names are
    trimmed; a possessive ends the run (the ``'s`` is not part of it). In a passage
    written mostly in capitals only ``Abu``/``Umm``/``Hajj``/``Sheikh`` + name and
    ``X al-Y`` forms count, since capitals mark every word there.

    Parameters
    ----------
    text : str
        A passage.

    Returns
    -------
    list of NameSpan
        In text order, non-overlapping.
    """
    if is_mostly_caps(text):
        return _caps_spans(text, _words(text))
    words = _words(text, inside_only=True)
    if not words:
        return []
    runs: list[list[_Word]] = []
    current: list[_Word] = []
    for w in words:
        inside = w.cap or w.low in _CONNECTORS or w.low in ARTICLES
        if current and inside and _joined(text, current[-1], w):
            # short articles (ad-, ash-, ...) only count when hyphenated
            if not w.cap and w.low in ARTICLES and w.low not in _SPACE_ARTICLES and "-" not in text[current[-1].end : w.start]:
                runs.append(current)
                current = []
                continue
            current.append(w)
            continue
        if current:
            runs.append(current)
        current = [w] if inside else []
    if current:
        runs.append(current)
    spans = []
    for run in runs:
        run = _trim(run)
        if not run:
            continue
        n_caps = sum(1 for w in run if w.cap)
        spans.append(NameSpan(run[0].start, run[-1].end, n_caps, len(run)))
    return spans


def _caps_spans(text: str, words: list[_Word]) -> list[NameSpan]:
    spans: list[NameSpan] = []
    i = 0
    n = len(words)
    while i < n:
        w = words[i]
        j = None
        if w.low in _NAME_PREFIXES and i + 1 < n and _joined(text, w, words[i + 1]):
            j = i + 2
        elif w.low in ARTICLES and i + 1 < n and "-" in text[w.end : words[i + 1].start] and _joined(text, w, words[i + 1]):
            j = i + 2
            if i > 0 and _joined(text, words[i - 1], w) and words[i - 1].low not in STOP_WORDS and words[i - 1].low not in _CAPS_NOISE and words[i - 1].low not in TITLES:
                i -= 1
        if j is None:
            i += 1
            continue
        # absorb a following "AL-X"
        while j + 1 < n and words[j].low in ARTICLES and _joined(text, words[j - 1], words[j]) and _joined(text, words[j], words[j + 1]):
            j += 2
        if spans and spans[-1].end > words[i].start:
            i = j
            continue
        run = words[i:j]
        spans.append(NameSpan(run[0].start, run[-1].end, sum(1 for x in run if x.cap), len(run)))
        i = j
    return spans


def find_candidates(text: str, mentions: list[Mention]) -> list[tuple[int, int, str]]:
    """Return name-like spans of ``text`` that overlap none of ``mentions``.

    Parameters
    ----------
    text : str
        The passage.
    mentions : list of Mention
        What the linker found; a span touching any of them is not a candidate.

    Returns
    -------
    list of (start, end, surface)
        ``text[start:end] == surface``; multiword capitalised names, ``al-X`` forms
        and (outside all-caps passages) ALL-CAPS single words of 3+ letters.
    """
    taken = SpanSet((m.start, m.end) for m in mentions)

    def free(start: int, end: int) -> bool:
        return not taken.overlaps(start, end)

    out: list[tuple[int, int, str]] = []
    for span in name_spans(text):
        surface = text[span.start : span.end]
        keep = span.n_caps >= 2 or (span.n_words >= 2 and span.n_caps >= 1)
        if not keep and span.n_words == 1 and surface.isupper() and len(surface) >= 3:
            keep = fold(surface) not in _CAPS_NOISE and fold(surface) not in TITLES
        if keep and free(span.start, span.end):
            out.append((span.start, span.end, surface))
    return out


def summarize_candidates(rows: Iterable[tuple[str, str, str]]) -> pd.DataFrame:
    """Count candidate names over a corpus.

    Parameters
    ----------
    rows : iterable of (surface, passage_id, context)
        One row per occurrence; spellings that fold to the same key
        (:func:`~dashboard.ingest.normalize.fold`) are one candidate, shown in its
        most frequent spelling.

    Returns
    -------
    pandas.DataFrame
        Columns ``candidate, count, n_passages, example_passage_id, example``;
        sorted by ``count`` descending, then ``candidate``. The example is the
        first occurrence seen.
    """
    columns = ["candidate", "count", "n_passages", "example_passage_id", "example"]
    groups: dict[str, dict] = {}
    for surface, passage_id, context in rows:
        if not isinstance(surface, str):
            continue
        key = fold(surface)
        if not key:
            continue
        g = groups.get(key)
        if g is None:
            g = groups[key] = {"spellings": {}, "count": 0, "passages": set(), "example": (passage_id, context)}
        g["spellings"][surface] = g["spellings"].get(surface, 0) + 1
        g["count"] += 1
        g["passages"].add(passage_id)
    records = []
    for g in groups.values():
        spelling = min(g["spellings"].items(), key=lambda kv: (-kv[1], kv[0]))[0]
        records.append((spelling, g["count"], len(g["passages"]), g["example"][0], g["example"][1]))
    df = pd.DataFrame.from_records(records, columns=columns)
    if df.empty:
        return df.astype({"count": "int64", "n_passages": "int64"})
    return df.sort_values(["count", "candidate"], ascending=[False, True], kind="mergesort").reset_index(drop=True)

"""Find gazetteer entities in passage text, through the spellings of transliteration.

How a passage is linked
-----------------------
1. The text is tokenised by spaCy's blank English tokenizer after hyphens and
   whitespace (line breaks, tabs, no-break spaces) become single spaces; the
   offsets found are mapped back, so ``text[start:end] == surface`` in the original
   text. Every token's lexeme carries, as its ``NORM``, the
   :func:`~dashboard.ingest.normalize.variant_key` of its text: computed once per
   distinct word, when spaCy first sees it, not once per token.
2. One :class:`spacy.matcher.PhraseMatcher` on ``NORM`` finds every span whose
   variant keys equal those of a name form: each name and alias as written, the
   same without its articles (``Qais Khazali``) and with ``Abd al-``/``Abdul``
   swapped, and for people the *partial* forms — the last name (``Daqduq``) and
   the kunya (``Abu Mahdi``).
3. Each span is decided by the full name: entities whose form folds to exactly the
   span's text (:func:`~dashboard.ingest.normalize.fold`, articles ``al``/``el``
   alike) win; otherwise entities that share the variant key *and* a close spelling
   (:data:`VARIANT_MIN_RATIO`), with no English function word where the name has
   another word, and first and last words capitalised where the name's are
   ("in Bab" is not "Ain Baya"). Forms written in the gazetteer beat forms the linker
   derived. One entity links; several make the span ambiguous, and it links to none
   but still blocks shorter matches inside it. Partial forms link only when no
   other entity has that word anywhere in its names, the word is capitalised, not a
   common word, and not part of a longer name in the text (``Sadr City``,
   ``Baqir al-Sadr``). A lone lowercase word never links; an acronym (``JAM``)
   links only in capitals.
4. Longest span first, then left to right, non-overlapping.
5. Capitalised multiword spans left over that keep at least one word of some name
   are compared with rapidfuzz (ratio of folded spellings) to the multiword name
   forms; the best entity links (``method="fuzzy"``) if it scores at least
   ``fuzzy_threshold`` and beats the next entity by :data:`FUZZY_MARGIN`.

Decisions, fuzzy look-ups and word keys are cached per linker, so a corpus that
repeats its names gets faster as it goes (``bench/bench_linking.py``).

Examples
--------
>>> import pandas as pd
>>> ents = pd.DataFrame({"entity_id": ["P01", "P05"], "name": ["Qais al-Khazali", "Ali Musa Daqduq"],
...                      "type": ["person", "person"], "aliases": [["Qayis al-Khazali"], []]})
>>> linker = Linker(ents)
>>> [(m.entity_id, m.surface) for m in linker.link("QAYS AL-KHAZAALI met Daqduq's team.")]
[('P01', 'QAYS AL-KHAZAALI'), ('P05', 'Daqduq')]
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from operator import itemgetter
from typing import Iterable

import pandas as pd
import spacy
from rapidfuzz import fuzz, process
from spacy.attrs import (
    IDX,
    IS_ASCII,
    IS_BRACKET,
    IS_CURRENCY,
    IS_LEFT_PUNCT,
    IS_QUOTE,
    IS_RIGHT_PUNCT,
    IS_STOP,
    LENGTH,
    LIKE_EMAIL,
    LIKE_NUM,
    LIKE_URL,
    NORM,
    ORTH,
    PREFIX,
    SHAPE,
    SUFFIX,
)
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.util import compile_suffix_regex

from dashboard.ingest.candidates import ARTICLES, TITLES, is_mostly_caps, name_spans
from dashboard.ingest.normalize import HYPHENS, fold, variant_key

__all__ = ["Mention", "Linker", "COMMON_WORDS", "FUZZY_MARGIN", "VARIANT_MIN_RATIO"]

#: A span that matches a name form only through its variant key must still score
#: this much (rapidfuzz ratio of the folded spellings, q read as k): transliterations
#: of one name do ("Qayis"/"Qais" 89, "Shaybani"/"Sheibani" 75), look-alike skeletons
#: of different words do not ("Guardian"/"Gordon" 57, "TIME"/"Tamimi" 60).
VARIANT_MIN_RATIO = 70.0
#: A fuzzy winner must beat the best other entity by at least this many points.
FUZZY_MARGIN = 4.0
#: Shortest folded span (characters) fuzzy matching is tried on.
_FUZZY_MIN_CHARS = 8
#: Most decisions and fuzzy look-ups remembered per linker.
_CACHE_MAX = 200_000
#: Longest span (words) fuzzy matching is tried on.
_FUZZY_MAX_WORDS = 6

#: Words that never link as a lone name, even if one entity's surname: English
#: stop words and everyday words that double as Arabic names.
COMMON_WORDS = frozenset(STOP_WORDS) | frozenset(
    """said hope may will mark rose grant faith hadi ali amir emir imam sheikh general city army
    party group groups force forces brigade brigades council office movement front league
    street bridge hall hill mosque university ministry district province court""".split()
)
#: Short English function words ("in", "by", "the", "was"): in a span that matches a name
#: only through its variant key, such a word where the name has another is the English word.
#: (Number words and content words such as "Nine" or "Last" can be a name's own words.)
_FUNCTION_WORDS = frozenset(w for w in STOP_WORDS if len(w) <= 3 and w.isalpha()) - frozenset(
    "one two six ten few top see say put get may".split()
)
#: Variant keys of words too common in names to anchor a fuzzy match (abu, bin, ibn, umm, abd, ...).
_ANCHOR_STOP = frozenset(variant_key(w) for w in "abu bin ibn bint umm abd of the sheikh hajj sayyid".split())
_ABDUL = frozenset({"abdul", "abdel", "abdal", "abdol", "abdoul"})
_KUNYA_PREFIXES = frozenset({"abu", "umm", "abo"})
_CANON_ARTICLE = {"el": "al", "ul": "al", "il": "al"}
_HYPHEN_TO_SPACE = {ord(c): " " for c in HYPHENS}
#: Hyphens and every whitespace character become a plain space (one for one).
_TO_SPACE = {**_HYPHEN_TO_SPACE, **{c: " " for c in range(0x3001) if chr(c).isspace()}}
_SPACE_RUN = re.compile(r" {2,}")
#: Apostrophe-like marks the tokenizer splits off a word: ``'`` ``’`` ``‘`` `````.
_SPLIT_MARKS = "'’‘`"
#: A full stop after a mark and a letter ("SHI'A.") is a full stop, not part of an abbreviation.
_MARK_LETTER_DOT = r"(?<=['’‘`ʿʾʼ][^\W\d_])\."
#: Such a mark not between two letters: at a word's edge ("Dir' al-Shi'a", "al-'Adl") or a quote.
_EDGE_MARK = re.compile(rf"[{_SPLIT_MARKS}](?![^\W\d_])|(?<![^\W\d_])[{_SPLIT_MARKS}]")


def _prepare(text: str) -> tuple[str, list[int], list[int]]:
    """The text the matcher reads, and how to map its offsets back to ``text``.

    Hyphens and whitespace (line breaks, tabs, no-break spaces) become spaces and runs
    of spaces collapse to one, so ``Qais al -\n Khazali`` reads ``Qais al Khazali``.
    An apostrophe-like mark at a word's edge (``Dir' al-Shi'a``, ``al-'Adl``, a quote)
    becomes a space too: the tokenizer would make it a token of its own, which breaks
    a name in two ("Dir", "'", "al") while the gazetteer's form has no such token.
    Marks inside a word (``Shi'a``, ``Khazali's``) stay.
    Returns ``(prepared, breaks, shifts)``: from prepared offset ``breaks[i]`` on, the
    original offset is larger by ``shifts[i]``.
    """
    flat = text.translate(_TO_SPACE)
    if "'" in flat or "’" in flat or "‘" in flat or "`" in flat:
        flat = _EDGE_MARK.sub(" ", flat)
    if "  " not in flat:
        return flat, [], []
    parts: list[str] = []
    breaks: list[int] = []
    shifts: list[int] = []
    last = removed = 0
    for m in _SPACE_RUN.finditer(flat):
        parts.append(flat[last : m.start() + 1])
        removed += m.end() - m.start() - 1
        breaks.append(m.start() + 1 - (removed - (m.end() - m.start() - 1)))
        shifts.append(removed)
        last = m.end()
    parts.append(flat[last:])
    return "".join(parts), breaks, shifts


def _restore(text: str, found: list[_Found], breaks: list[int], shifts: list[int]) -> list[Mention]:
    """Mentions found in the prepared text, re-expressed in offsets of ``text``."""
    out = []
    for start, end, entity_id, method, score in found:
        if breaks:
            i = bisect.bisect_right(breaks, start) - 1
            start += shifts[i] if i >= 0 else 0
            j = bisect.bisect_right(breaks, end - 1) - 1
            end += shifts[j] if j >= 0 else 0
        out.append(Mention(entity_id, start, end, text[start:end], method, score))
    return out
_UPPER = "".join(
    chr(c) for c in [*range(0x41, 0x250), *range(0x1E00, 0x1F00)] if chr(c).isupper() and chr(c).isalpha()
)
_NAME_CHAR = r"[\w'’ʿʾʼ]"
_CAP_WORD = rf"[ʿʾ'’]?[{_UPPER}]{_NAME_CHAR}*"
_LINK_WORD = r"(?:al|el|ul|bin|ibn|bint|abu|abd|umm|of|the)"
_JOIN = r"(?:[ \t]*[-‐‑][ \t]*|[ \t]+)"
#: Two or more capitalised words, possibly joined by hyphens and lowercase connectors.
#: (The pattern starts with the capital and looks behind it: much faster to scan.)
_CAP_RUN = re.compile(rf"[{_UPPER}](?<![^\W_ʿʾ].){_NAME_CHAR}*(?:{_JOIN}(?:{_LINK_WORD}{_JOIN})*{_CAP_WORD})+")
_RUN_WORD = re.compile(r"[^\s\-‐‑]+")
_UNUSED_LEX_ATTRS = (SHAPE, LIKE_NUM, LIKE_URL, LIKE_EMAIL, IS_ASCII, IS_STOP, PREFIX, SUFFIX, IS_CURRENCY, IS_BRACKET, IS_QUOTE, IS_LEFT_PUNCT, IS_RIGHT_PUNCT)
_ORG_TYPES = frozenset({"organization", "organisation", "org", "place", "location", "loc", "gpe", "event"})


@dataclass(frozen=True)
class Mention:
    """One linked mention.

    Attributes
    ----------
    entity_id : str
    start, end : int
        Character offsets into the original text; ``text[start:end] == surface``.
    surface : str
        The text as written.
    method : {"exact", "fuzzy"}
        ``exact``: the span's words match a name form of the entity (after folding
        case, diacritics, articles and transliteration variants); ``fuzzy``: a
        near-miss spelling scored by rapidfuzz.
    score : float
        100 for exact matches, the rapidfuzz score for fuzzy ones.
    """

    entity_id: str
    start: int
    end: int
    surface: str
    method: str
    score: float


@dataclass
class _Form:
    entity_id: str
    exact: str  # folded words, articles canonical
    partial: bool  # surname or kunya, not a whole name
    acronym: bool
    derived: bool  # made by the linker (article dropped), not written in the gazetteer
    distinctive: bool = True  # for partial forms: links on its own
    # whether the first / last word is written capitalised (in every alias giving this form)
    caps: tuple[bool, bool] = (False, False)


_SORT_KEY = itemgetter(0, 1, 2)
#: A mention before it becomes a :class:`Mention`: (start, end, entity_id, method, score).
_Found = tuple[int, int, str, str, float]


def _lex_norm(text: str) -> str:
    key = variant_key(text)
    return key if key else text


def _exact_word(word: str) -> str:
    f = fold(word)
    return _CANON_ARTICLE.get(f, f)


def _owners(forms: Iterable[_Form]) -> set[str]:
    """Entities of the forms, those written in the gazetteer before derived ones.

    If one entity lists "Qais Khazali" and another is "Qais al-Khazali", the text
    "Qais Khazali" is the first one's: a written alias beats an article-less form.
    """
    forms = list(forms)
    written = {f.entity_id for f in forms if not f.derived}
    return written or {f.entity_id for f in forms}


def _variant_close(a: str, b: str) -> bool:
    """Whether two folded spellings are close enough to be one name's transliterations."""
    return fuzz.ratio(a.replace("q", "k"), b.replace("q", "k")) >= VARIANT_MIN_RATIO


def _capitalised(word: str) -> bool:
    """Whether the first letter of ``word`` is a capital (``'Ali`` and ``ALI`` are)."""
    for c in word:
        if c.isalpha():
            return c.isupper()
    return False


def _variant_ok(words: list[str], exact: str, form: _Form) -> bool:
    """Whether a span that shares only the variant key with ``form`` may be that name.

    The variant key is lossy, so English words can share it with a name ("in Bab" and
    "Ain Baya", "by Tahir" and "Bab Tahrir", both ``an b`` / ``b thr``). A span links
    through it only if its spelling is close (:func:`_variant_close`), it holds no English
    short English function word the form does not have at that place ("IN BAB" in a
    report in capitals; :data:`_FUNCTION_WORDS`),
    and its first and last words are capitalised where the form's are: a name does not
    start at a lowercase word unless its form does (``al-Sadr``).
    """
    if not _variant_close(exact, form.exact):
        return False
    span_words = exact.split(" ")
    form_words = form.exact.split(" ")
    if len(span_words) == len(form_words):
        for s, f in zip(span_words, form_words):
            if s != f and s in _FUNCTION_WORDS:
                return False
    if form.caps[0] and not _capitalised(words[0]):
        return False
    if form.caps[1] and not _capitalised(words[-1]):
        return False
    return True


def _split_aliases(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [a.strip() for a in value.split(";") if a.strip()]
    if isinstance(value, (list, tuple)) or hasattr(value, "tolist"):
        return [str(a).strip() for a in list(value) if a is not None and str(a).strip()]
    try:
        if pd.isna(value):
            return []
    except (TypeError, ValueError):
        pass
    return [str(a).strip() for a in value if a is not None and str(a).strip()]


def _is_acronym(alias: str) -> bool:
    core = alias.replace(".", "").replace("-", "").replace(" ", "")
    return core.isupper() and core.isalpha() and len(core) <= 5 and " " not in alias.strip()


@dataclass
class _Gazetteer:
    forms: dict[tuple[str, ...], list[_Form]] = field(default_factory=lambda: defaultdict(list))
    patterns: dict[tuple[str, ...], list[str]] = field(default_factory=dict)
    word_owners: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    org_words: set[str] = field(default_factory=set)
    conflicts: dict[str, dict[str, set[str]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(set)))
    fuzzy: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


class Linker:
    """Link gazetteer entities in text.

    Parameters
    ----------
    entities : pandas.DataFrame
        Columns ``entity_id``, ``name``, ``type`` and ``aliases`` (a list of
        strings or one ``;``-separated string).
    fuzzy_threshold : int, default 92
        rapidfuzz ratio (0-100) a near-miss spelling needs; see the
        ``fuzzy_threshold`` setting.

    Attributes
    ----------
    alias_conflicts : list of (str, list of str)
        Names or aliases (as written) that more than one entity claims, with the
        entity ids; such a name links to none of them.
    """

    def __init__(self, entities: pd.DataFrame, fuzzy_threshold: int = 92):
        self.fuzzy_threshold = float(fuzzy_threshold)
        self.nlp = spacy.blank("en")
        vocab = self.nlp.vocab
        vocab.lex_attr_getters[NORM] = _lex_norm
        for attr in _UNUSED_LEX_ATTRS:  # computed for every new word, never read here
            vocab.lex_attr_getters.pop(attr, None)
        for lex in list(vocab):
            lex.norm_ = _lex_norm(lex.orth_)
        self._tokenizer = self.nlp.tokenizer
        # English special cases (contractions, "U.S.", "Mar.") cost time and only
        # change how such words split, the same way in names and in text
        self._tokenizer.rules = {}
        # "SHI'A." kept its full stop: spaCy splits "." off a capital only after another
        # capital, and the mark stands between them
        self._tokenizer.suffix_search = compile_suffix_regex([*self.nlp.Defaults.suffixes, _MARK_LETTER_DOT]).search
        self._exact_cache: dict[str, str] = {}
        self._norm_cache: dict[str, str] = {}
        self._fuzzy_cache: dict[str, tuple[str, float] | None] = {}
        self._decisions: dict[tuple[int, ...], tuple[str | None, str]] = {}
        self._run_cache: dict[str, list[tuple[int, int, str]]] = {}
        gaz = _Gazetteer()
        for row in entities.itertuples(index=False):
            eid = str(row.entity_id)
            etype = getattr(row, "type", "")
            etype = "" if not isinstance(etype, str) else etype.strip().lower()
            name = getattr(row, "name", None)
            names = ([name] if isinstance(name, str) else []) + _split_aliases(getattr(row, "aliases", None))
            seen: set[str] = set()
            for alias in names:
                if alias.strip() and alias not in seen:
                    seen.add(alias)
                    self._add_alias(gaz, eid, etype, alias)
        self._finish(gaz)

    # ------------------------------------------------------------------ build
    def _words(self, text: str) -> list[str]:
        doc = self._tokenizer(_prepare(text)[0])
        return [t.text for t in doc if not t.is_space and not t.is_punct]

    def _add_alias(self, gaz: _Gazetteer, eid: str, etype: str, alias: str) -> None:
        words = self._words(alias)
        if not words:
            return
        acronym = _is_acronym(alias)
        exact = " ".join(self._exact(w) for w in words)
        gaz.conflicts[exact][alias].add(eid)
        is_org = etype in _ORG_TYPES
        for w in words:
            key = self._norm(w)
            gaz.word_owners[key].add(eid)
            if is_org:
                gaz.org_words.add(key)
        variants = []
        for base in self._abd_forms(words):
            # article-less forms: every subset of the articles may be dropped
            article_at = [i for i, w in enumerate(base[:-1]) if self._exact(w) == "al"]
            for r in range(len(article_at) + 1):
                for drop in combinations(article_at[:4], r):
                    variants.append([w for i, w in enumerate(base) if i not in drop])
        for n, form_words in enumerate(variants):
            # "al-Sadr" without its article is a lone surname, decided like one
            partial = len(form_words) == 1 and len(words) > 1 and etype == "person"
            self._add_form(gaz, eid, form_words, partial=partial, acronym=acronym and len(words) == 1, derived=n > 0)
            if len(form_words) >= 2 and not acronym:
                gaz.fuzzy[" ".join(self._exact(w) for w in form_words)].add(eid)
        if etype == "person" and len(words) > 1:
            stripped = [w for w in words if self._exact(w) not in ARTICLES]
            if stripped:
                self._add_form(gaz, eid, [stripped[-1]], partial=True, acronym=False, derived=True)
            if self._exact(words[0]) in _KUNYA_PREFIXES and len(words) > 2:
                self._add_form(gaz, eid, words[:2], partial=True, acronym=False, derived=True)

    def _abd_forms(self, words: list[str]) -> list[list[str]]:
        """The words, plus the other way of writing "Abd al-X" / "Abdul X" (Abdel, Abdal)."""
        forms = [words]
        for i, w in enumerate(words[:-1]):
            low = self._exact(w)
            if low == "abd" and i + 2 < len(words) and self._exact(words[i + 1]) == "al":
                forms.append(words[:i] + ["Abdul"] + words[i + 2 :])
            elif low in _ABDUL:
                forms.append(words[:i] + ["Abd", "al"] + words[i + 1 :])
        return forms

    def _add_form(
        self, gaz: _Gazetteer, eid: str, words: list[str], *, partial: bool, acronym: bool, derived: bool
    ) -> None:
        norms = tuple(self._norm(w) for w in words)
        exact = " ".join(self._exact(w) for w in words)
        caps = (_capitalised(words[0]), _capitalised(words[-1]))
        for f in gaz.forms[norms]:
            if f.entity_id == eid and f.exact == exact and f.partial == partial:
                f.derived = f.derived and derived
                f.caps = (f.caps[0] and caps[0], f.caps[1] and caps[1])
                return
        gaz.forms[norms].append(_Form(eid, exact, partial, acronym, derived, caps=caps))
        gaz.patterns.setdefault(norms, words)

    def _finish(self, gaz: _Gazetteer) -> None:
        self.alias_conflicts: list[tuple[str, list[str]]] = []
        for by_alias in gaz.conflicts.values():
            owners = set().union(*by_alias.values())
            if len(owners) > 1:
                for alias in sorted(by_alias):
                    self.alias_conflicts.append((alias, sorted(owners)))
        self.alias_conflicts.sort()
        # a partial form links only if it is distinctive
        self._forms: dict[tuple[int, ...], list[_Form]] = {}
        for norms, forms in gaz.forms.items():
            owners = {g.entity_id for g in forms}
            for f in forms:
                if f.partial:
                    f.distinctive = len(owners) == 1
                    if len(norms) == 1:
                        key = norms[0]
                        if gaz.word_owners.get(key, set()) != {f.entity_id} or key in gaz.org_words:
                            f.distinctive = False
                        if f.exact in COMMON_WORDS or len(f.exact) < 3:
                            f.distinctive = False
            self._forms[tuple(self.nlp.vocab.strings.add(n) for n in norms)] = forms
        self._matcher = PhraseMatcher(self.nlp.vocab, attr="NORM")
        docs = [Doc(self.nlp.vocab, words=words) for words in gaz.patterns.values()]
        if docs:
            self._matcher.add("NAME", docs)
        self._name_words = frozenset(gaz.word_owners)
        self._anchors = frozenset(
            k for k in gaz.word_owners if k not in ARTICLES and k not in _ANCHOR_STOP and not k.isdigit()
        )
        # fuzzy choices: multiword forms of exactly one entity, blocked by first
        # letter and sorted by length so a look-up scores only plausible choices
        by_initial: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for key, owners in gaz.fuzzy.items():
            if len(owners) == 1 and len(key) >= _FUZZY_MIN_CHARS:
                by_initial[key[0]].append((key, next(iter(owners))))
        self._fuzzy_index: dict[str, tuple[list[str], list[str], list[int]]] = {}
        for initial, pairs in by_initial.items():
            pairs.sort(key=lambda kv: (len(kv[0]), kv[0]))
            self._fuzzy_index[initial] = ([k for k, _ in pairs], [e for _, e in pairs], [len(k) for k, _ in pairs])

    # ------------------------------------------------------------------ link
    def _norm(self, word: str) -> str:
        """The matcher's key of a word: its lexeme's NORM, computed once per word."""
        value = self._norm_cache.get(word)
        if value is None:
            value = self.nlp.vocab[word].norm_
            if len(self._norm_cache) < _CACHE_MAX:
                self._norm_cache[word] = value
        return value

    def _exact(self, word: str) -> str:
        value = self._exact_cache.get(word)
        if value is None:
            value = self._exact_cache[word] = _exact_word(word)
        return value

    def link(self, text: str) -> list[Mention]:
        """Return the mentions in ``text``: sorted by start, non-overlapping.

        Parameters
        ----------
        text : str
            A passage.

        Returns
        -------
        list of Mention
            Offsets index the original ``text``.
        """
        if not isinstance(text, str) or not text:
            return []
        prepared, breaks, shifts = _prepare(text)
        return _restore(text, self._link_doc(prepared, self._tokenizer(prepared)), breaks, shifts)

    def link_many(self, texts: Iterable[str], batch_size: int = 256) -> list[list[Mention]]:
        """Link many passages; same result as ``[link(t) for t in texts]``, faster.

        Parameters
        ----------
        texts : iterable of str
        batch_size : int, default 256
            Passages tokenised per batch.

        Returns
        -------
        list of list of Mention
        """
        texts = [t if isinstance(t, str) else "" for t in texts]  # None, NaN: no text
        prepared = [_prepare(t) for t in texts]
        docs = self._tokenizer.pipe((p[0] for p in prepared), batch_size=batch_size)
        return [
            _restore(text, self._link_doc(p, doc), breaks, shifts) if text else []
            for text, (p, breaks, shifts), doc in zip(texts, prepared, docs)
        ]

    def _link_doc(self, text: str, doc: Doc) -> list[_Found]:
        """Mentions in a prepared text (see :func:`_prepare`), in its offsets, sorted."""
        matches = self._matcher(doc)
        if not matches:
            return self._fuzzy(text, bytearray(len(text)))
        rows = doc.to_array([ORTH, NORM, IDX, LENGTH]).tolist()
        # (kind rank, -length, first, last, entity, kind): longest first, then leftmost;
        # "skip" spans (matched, not linkable) only keep fuzzy matching away and
        # never block a real match
        candidates: list[tuple[int, int, int, int, str | None, str]] = []
        caps_text: bool | None = None
        decisions = self._decisions
        for _, first, last in matches:
            if last - first == 1:
                orths = (rows[first][0],)
            else:
                orths = tuple([r[0] for r in rows[first:last]])
            decision = decisions.get(orths)
            if decision is None:
                decision = self._decide(orths, tuple([r[1] for r in rows[first:last]]))
                if len(decisions) < _CACHE_MAX:
                    decisions[orths] = decision
            entity_id, kind = decision
            if kind == "none":
                continue
            if kind == "partial":
                if caps_text is None and doc[first].is_upper:
                    caps_text = is_mostly_caps(text)
                if not self._partial_ok(doc, first, last, bool(caps_text)):
                    kind = "skip"
                    entity_id = None
            candidates.append((kind == "skip", first - last, first, last, entity_id, kind))
        candidates.sort(key=_SORT_KEY)
        taken = bytearray(len(doc))
        mentions = []
        blocked = bytearray(len(text))
        for _, _, first, last, entity_id, kind in candidates:
            if taken.find(1, first, last) != -1:
                continue
            if kind != "skip":
                taken[first:last] = b"\x01" * (last - first)
            if kind == "partial" and first > 0 and not taken[first - 1]:
                # "al-Muhandis": the article belongs to the surname as written
                prev = doc[first - 1]
                if self._exact(prev.text) in ARTICLES and rows[first - 1][2] + rows[first - 1][3] + 1 >= rows[first][2]:
                    first -= 1
            start = rows[first][2]
            end = rows[last - 1][2] + rows[last - 1][3]
            blocked[start:end] = b"\x01" * (end - start)
            if entity_id is not None:
                mentions.append((start, end, entity_id, "exact", 100.0))
        mentions.extend(self._fuzzy(text, blocked))
        mentions.sort()
        return mentions

    def _decide(self, orths: tuple[int, ...], norms: tuple[int, ...]) -> tuple[str | None, str]:
        """Decide a matched span from its words alone.

        Returns (entity or None, kind): ``exact`` links (or, without an entity,
        blocks as ambiguous); ``partial`` links if the context allows; ``skip``
        links nothing but keeps fuzzy matching off; ``none`` is ignored.
        """
        forms = self._forms.get(norms)
        if not forms:
            return None, "none"
        strings = self.nlp.vocab.strings
        words = [strings[o] for o in orths]
        exact = " ".join(self._exact(w) for w in words)
        alpha = [w for w in words if w.isalpha()]
        upper = all(w.isupper() for w in alpha)
        capitalised = all(w[:1].isupper() for w in alpha if self._exact(w) not in ARTICLES)
        # a form that shares only the variant key must also look like the span:
        # "Guardian" and "Gordon", "TIME" and "Tamimi", "in Bab" and "Ain Baya" share
        # a skeleton, not a name
        forms = [f for f in forms if f.exact == exact or _variant_ok(words, exact, f)]
        full = [f for f in forms if not f.partial and (not f.acronym or (upper and f.exact == exact))]
        if len(words) == 1 and not capitalised:
            full = []  # a lone lowercase word is a word ("hit"), not the town Hit
        hits = _owners(f for f in full if f.exact == exact)
        if not hits:
            if len(words) == 1 and exact in COMMON_WORDS:
                full = []
            hits = _owners(full)
        if hits:
            return (hits.pop(), "exact") if len(hits) == 1 else (None, "exact")
        partial = [f for f in forms if f.partial]
        if not partial or not capitalised:
            return None, "none"
        if all(f.distinctive for f in partial) and len({f.entity_id for f in partial}) == 1:
            return partial[0].entity_id, "partial"
        return None, "skip"  # a surname several people share: links to none, and not fuzzily

    def _partial_ok(self, doc: Doc, first: int, last: int, caps_text: bool) -> bool:
        """A lone surname or kunya must not be part of a longer name in the text."""
        i = first - 1
        if i >= 0 and fold(doc[i].text) in ARTICLES:
            i -= 1
        if i >= 0 and doc[i].whitespace_ and self._neighbour_name(doc[i], caps_text):
            return False
        j = last
        if j < len(doc) and doc[last - 1].whitespace_:
            if fold(doc[j].text) in ARTICLES and j + 1 < len(doc):
                return not self._neighbour_name(doc[j + 1], caps_text)
            return not self._neighbour_name(doc[j], caps_text)
        return True

    def _neighbour_name(self, token, caps_text: bool) -> bool:
        if not token.is_alpha:
            return False
        low = fold(token.text)
        if low in STOP_WORDS or low in TITLES:
            return False
        if caps_text:
            return token.norm_ in self._name_words
        return token.is_title or token.is_upper

    # ------------------------------------------------------------------ fuzzy
    def _fuzzy(self, text: str, blocked: bytearray) -> list[_Found]:
        """Fuzzy mentions in capitalised runs; ``blocked`` marks characters already decided."""
        if not self._fuzzy_index:
            return []
        out = []
        for run in _CAP_RUN.finditer(text):
            r_start, r_end = run.span()
            if blocked.find(0, r_start, r_end) == -1:
                continue  # wholly inside decided spans
            for rel_start, rel_end, query in self._run_queries(run.group()):
                start, end = r_start + rel_start, r_start + rel_end
                if blocked.find(1, start, end) != -1:
                    continue
                hit = self._fuzzy_cache.get(query, False)
                if hit is False:
                    hit = self._fuzzy_lookup(query)
                    if len(self._fuzzy_cache) < _CACHE_MAX:
                        self._fuzzy_cache[query] = hit
                if hit is not None:
                    out.append((start, end, hit[0], "fuzzy", hit[1]))
        return out

    def _run_queries(self, run: str) -> list[tuple[int, int, str]]:
        """The spans of a capitalised run fuzzy matching tries, with their folded keys."""
        cached = self._run_cache.get(run)
        if cached is not None:
            return cached
        found: list[tuple[int, int, str]] = []
        if not any(self._norm(w) in self._anchors for w in _RUN_WORD.findall(run)):
            if len(self._run_cache) < _CACHE_MAX:
                self._run_cache[run] = found
            return found
        for span in name_spans(run):
            if span.n_caps < 2 or span.n_words > _FUZZY_MAX_WORDS:
                continue
            surface = run[span.start : span.end]
            words = surface.translate(_HYPHEN_TO_SPACE).split()
            query = " ".join(self._exact(w) for w in words)
            # a near miss keeps at least one word of the name intact (up to
            # transliteration); spans without such a word are not looked up
            if len(query) >= _FUZZY_MIN_CHARS and any(self._norm(w) in self._anchors for w in words):
                found.append((span.start, span.end, query))
        if len(self._run_cache) < _CACHE_MAX:
            self._run_cache[run] = found
        return found

    def _fuzzy_lookup(self, query: str) -> tuple[str, float] | None:
        """Best entity for a folded span, if it scores well and clearly beats the rest."""
        block = self._fuzzy_index.get(query[0])
        if block is None:
            return None
        keys, ids, lens = block
        t = self.fuzzy_threshold
        floor = max(1.0, t - 2 * FUZZY_MARGIN)  # enough to see a close runner-up
        n = len(query)
        # ratio = 2*matches/(n+m) >= floor/100 bounds m
        lo = bisect.bisect_left(lens, int(n * floor / (200 - floor)))
        hi = bisect.bisect_right(lens, int(n * (200 - floor) / floor) + 1)
        if lo >= hi:
            return None
        hits = process.extract(query, keys[lo:hi], scorer=fuzz.ratio, score_cutoff=floor, limit=25)
        best: dict[str, float] = {}
        for _, score, idx in hits:
            eid = ids[lo + idx]
            if score > best.get(eid, -1.0):
                best[eid] = score
        if not best:
            return None
        ranked = sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))
        eid, score = ranked[0]
        if score < t:
            return None
        if len(ranked) > 1 and score - ranked[1][1] < FUZZY_MARGIN:
            return None
        return eid, round(float(score), 1)

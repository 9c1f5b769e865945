"""Matching keys for names written in Latin transliteration of Arabic and Persian.

Two keys, one stronger than the other:

* :func:`fold` removes what never tells two names apart: case, diacritics, the
  marks that transliterate ayn and hamza, the difference between a hyphen and a
  space, repeated whitespace. ``"Qays al-Khaz'ali"`` and ``"QAYS AL KHAZALI"`` fold
  to the same key.
* :func:`variant_key` also removes what *transliteration* changes: short vowels
  (``Yusif``/``Yusuf``, ``Ahmad``/``Ahmed``, ``Hezbollah``/``Hizballah``), doubled
  letters (``Haqq``/``Haq``, ``Khazaali``/``Khazali``), ``q``/``k`` (``Qais``/``Kais``,
  ``Quds``/``Qods``), a final ``h`` after a vowel (``Basrah``/``Basra``) and an ``y``
  standing for a vowel (``Qays``/``Qais``/``Qayis``, ``Jaysh``/``Jaish``). Each word
  keeps its first letter; a vowel-initial word keeps ``a`` as its first letter, so
  the article forms ``al``/``el``/``ul`` share one key.

The variant key is deliberately lossy: different names can share it (``Amir`` and
``Umar`` both give ``amr``). Callers must use it only to *find* candidates and let the
full name and :func:`fold` decide, which is what :class:`dashboard.ingest.linker.Linker`
does.

Examples
--------
>>> fold("Qays al-Khaz'ali")
'qays al khazali'
>>> variant_key("Qayis al-Khazaali") == variant_key("Qais al Khazali")
True
>>> variant_key("Hizballah") == variant_key("Hezbollah")
True
"""

from __future__ import annotations

import re
import unicodedata
from itertools import groupby

__all__ = ["fold", "variant_key", "AYN_HAMZA_MARKS", "HYPHENS"]

#: Characters written for ayn and hamza (and stray accents used the same way).
AYN_HAMZA_MARKS = "'’‘`ʿʾʼ′´ʹʻ"
#: Hyphen and dash characters treated as a space.
HYPHENS = "-‐‑‒–—―−"

_MARKS_AND_HYPHENS = {ord(c): None for c in AYN_HAMZA_MARKS}
_MARKS_AND_HYPHENS.update({ord(c): " " for c in HYPHENS})

_VOWELS = frozenset("aeiou")
_WORD = re.compile(r"[^\W_]+")


def _single(word: str) -> str:
    """The word with each run of one letter written once (``haqq`` -> ``haq``)."""
    return "".join(k for k, _ in groupby(word))


def _fold_once(text: str) -> str:
    text = text.translate(_MARKS_AND_HYPHENS)
    text = unicodedata.normalize("NFKD", text)
    # combining marks (diacritics) and invisible format characters (zero-width space/joiners,
    # BOM, soft hyphen, bidi controls) never tell two names apart
    text = "".join(c for c in text if not unicodedata.category(c).startswith("M") and unicodedata.category(c) != "Cf")
    text = text.casefold().translate(_MARKS_AND_HYPHENS)
    return " ".join(text.split())


def fold(text: str) -> str:
    """Return the matching key of ``text``: the same for spellings that differ only in form.

    NFKD decomposition, diacritics and invisible format characters (zero-width, soft
    hyphen, bidi controls) removed, ayn/hamza marks (``' ’ ‘ ` ʿ ʾ ʼ ′``)
    dropped, case folded, hyphens and dashes turned into spaces, whitespace collapsed.

    Parameters
    ----------
    text : str
        Any text; names are the intended input.

    Returns
    -------
    str
        The folded key; ``fold(fold(x)) == fold(x)``.

    Examples
    --------
    >>> fold("  ʿAṣāʾib  Ahl al-Ḥaqq ")
    'asaib ahl al haqq'
    """
    if text.isascii():
        return " ".join(text.translate(_MARKS_AND_HYPHENS).lower().split())
    # Case folding or decomposition can expose characters that fold further
    # (e.g. a compatibility character whose decomposition holds a mark); a few
    # rounds reach the fixed point, which keeps the key idempotent.
    current = _fold_once(text)
    for _ in range(3):
        again = _fold_once(current)
        if again == current:
            break
        current = again
    return current


def _skeleton(word: str) -> str:
    """Transliteration skeleton of one folded word (letters and digits only)."""
    if any(c.isdigit() for c in word):
        return word  # numbers are labels: "Unit 3800" is not "Unit 380"
    word = _single(word.replace("q", "k"))
    if len(word) > 2 and word[-1] == "h" and word[-2] in _VOWELS:
        word = word[:-1]  # Basrah -> Basra, Hezbollah -> Hezbolla
    first = word[0]
    if first in _VOWELS:
        first = "a"
    rest = "".join(c for c in word[1:] if c not in _VOWELS and c != "y")
    return _single(first + rest)


def variant_key(text: str) -> str:
    """Return a key that is equal for common transliteration variants of a name.

    The text is folded (:func:`fold`), split into words of letters and digits, and
    each word (unless it holds a digit) reduced to its skeleton: ``q`` read as ``k``; doubled letters single;
    a final ``h`` after a vowel dropped; then the first letter kept (any vowel
    becomes ``a``) followed by the word's consonants, ``y`` counting as a vowel
    after the first letter, with repeats collapsed.

    Parameters
    ----------
    text : str
        Any text; names are the intended input.

    Returns
    -------
    str
        Space-separated word skeletons, never longer than ``fold(text)``;
        ``variant_key(variant_key(x)) == variant_key(x)``.

    Examples
    --------
    >>> variant_key("Abu Mustafa al-Sheibani")
    'ab mstf al shbn'
    >>> variant_key("Shaybani") == variant_key("Shaibani") == variant_key("Sheibani")
    True
    >>> variant_key("Tehran") == variant_key("Teheran")
    True
    """
    return " ".join(_skeleton(w) for w in _WORD.findall(fold(text)))

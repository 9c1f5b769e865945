"""Names for synthetic entities: Arabic-style transliterations, spelling variants, and a
registry that keeps every entity's surface forms apart from every other entity's.

Two entities never share a surface form, and no form of one entity is a run of words
inside a form of another, under an aggressive normalisation (:func:`skeleton`) that
equates the spelling variants transliteration produces (al-/el-, Qais/Qays, Hassan/Hasan,
Muhammad/Mohammed, Basra/Basrah, apostrophes, case). Any linker that normalises less than
this therefore cannot confuse two generated entities unless a collision was asked for.

Examples
--------
>>> skeleton("Qays el-Khazzali") == skeleton("QAIS AL-KHAZALI")
True
>>> skeleton("Muhammad") == skeleton("Mohammed")
True
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from random import Random

__all__ = [
    "skeleton",
    "FormRegistry",
    "spelling_variants",
    "acronym",
    "syllable_word",
    "GIVEN",
    "FAMILY",
    "PLACES_REAL",
    "PLACE_PREFIXES",
    "PLACE_ROOTS",
    "ORG_HEADS",
    "ORG_QUALIFIERS",
    "ORG_SUFFIXES",
    "OPERATION_ADJ",
    "OPERATION_NOUN",
    "REAL_PEOPLE",
]

# --- name pools -------------------------------------------------------------------------

GIVEN = (
    "Qais Laith Ali Hassan Hussein Abbas Ahmad Muhammad Mahdi Hadi Hamid Ja'far Kadhim Karim "
    "Khalil Mustafa Mahmud Salih Sa'id Sa'ad Yusuf Ibrahim Isma'il Ammar Akram Adnan Basim "
    "Bashir Fadhil Faris Ghazi Haidar Hashim Hatim Husam Jabbar Jamal Jawad Kamal Khalid Majid "
    "Mansur Mazin Muhsin Munir Murtada Nabil Nadhim Najm Nasir Nuri Qasim Rafid Ra'ad Riyadh "
    "Sabah Sadiq Salam Sami Sattar Shakir Tahir Talib Tariq Thamir Wathiq Walid Wisam Yasin "
    "Zaid Zuhair Aqil Dawud Falah Ghassan Hamza Imad Kifah Luay Maytham Sajjad"
).split()

FAMILY = (
    "al-Khazali al-Amiri al-Sadr al-Hakim al-Maliki al-Jaburi al-Duri al-Tamimi al-Rubai'i "
    "al-Saidi al-Lami al-Ka'abi al-Fartusi al-Gharawi al-Musawi al-Husseini al-Zaidi al-Shibani "
    "al-Daraji al-Bahadli al-Bawi al-Kinani al-Khafaji al-Hilli al-Najafi al-Karbalai al-Basri "
    "al-Baghdadi al-Mayahi al-Sudani al-Obeidi al-Dulaimi al-Janabi al-Mashhadani al-Azzawi "
    "al-Ansari al-Asadi al-Atabi al-Fatlawi al-Ghanimi al-Hashimi al-Ja'afari al-Kubaisi "
    "al-Lahibi al-Mahdawi al-Mutairi al-Nasiri al-Rikabi al-Shammari al-Suwaidi al-Ubaidi "
    "al-Waili al-Yasiri al-Zubaidi al-Kharsan al-Abbasi al-Bayati al-Dabbagh al-Hamdani "
    "al-Issawi al-Khalisi al-Ma'amouri al-Muhammadawi al-Rawi al-Sharifi al-Umari al-Zamili "
    "al-Battat al-Darraji al-Fayyadh al-Hamadani al-Jazairi al-Khaqani al-Mohammedawi "
    "al-Nouri al-Qurayshi al-Sahlani al-Tai al-Uqaili al-Yaqubi al-Zurufi al-Hasnawi al-Sa'idi"
).split()

# Real people whose (first given name, family name) the generator never combines, so a
# synthetic corpus cannot put invented words in a real person's mouth.
REAL_PEOPLE = {
    ("Qais", "al-Khazali"), ("Laith", "al-Khazali"), ("Hadi", "al-Amiri"), ("Nuri", "al-Maliki"),
    ("Ammar", "al-Hakim"), ("Ja'far", "al-Sadr"), ("Muhammad", "al-Sadr"), ("Akram", "al-Ka'abi"),
    ("Ali", "al-Sudani"), ("Abbas", "al-Fartusi"), ("Mahdi", "al-Gharawi"), ("Hamid", "al-Sa'idi"),
}

PLACES_REAL = (
    "Basra Baghdad Najaf Karbala Hilla Kut Amara Nasiriya Diwaniya Samawa Kufa Kadhimiya "
    "Mahmudiya Iskandariya Baquba Tikrit Samarra Mosul Kirkuk Fallujah Ramadi Tehran Qom "
    "Mashhad Ahvaz Khorramshahr Mehran Ilam Damascus Beirut Zubair Shalamcheh Badra Jassan "
    "Taji Musayyib Suwaira Kermanshah Dezful Abadan Halabja Sulaymaniyah Erbil Tal'afar"
).split() + ["Sadr City", "Umm Qasr", "Abu Ghraib", "Camp Cropper", "Camp Bucca"]

PLACE_PREFIXES = ("Hayy", "Qaryat", "Tell", "Jisr", "Ain", "Nahr", "Suq", "Umm", "Mahallat", "Bab", "Wadi", "Jabal")
PLACE_ROOTS = (
    "Nur Salam Rashid Amil Shu'ala Hurriya Karrada Mansur Bayaa Dora Zafaraniya Ghazaliya Adil "
    "Khadra Furat Wahda Jamila Maqil Hartha Qibla Junaina Ashar Tannuma Jumhuriya Hayyaniya "
    "Khamsamil Abul Khasib Shatt Fida Rahma Zahra Ridwan Tahrir Hamra Sabunjiya Qadisiya"
).split()

ORG_HEADS = ("Kata'ib", "Jaysh", "Saraya", "Liwa", "Harakat", "Asa'ib", "Majlis", "Tanzim", "Firqat", "Jama'at")
ORG_QUALIFIERS = (
    "Ahl al-Haq|al-Mahdi|Hizballah al-Nujaba|al-Imam Ali|al-Shuhada|Sayyid al-Shuhada|Thar Allah|"
    "al-Abbas|Ansar al-Marjaiya|al-Wa'd al-Sadiq|al-Khorasani|al-Ashtar|al-Mukhtar|al-Salam|"
    "Jund al-Imam|al-Tayyar al-Risali|al-Yawm al-Maw'ud|Ahl al-Kahf|al-Fadl|al-Hamd|Abi al-Fadl|"
    "al-Jihad wa al-Bina|al-Karar|Ruh Allah|al-Qaim|Imam al-Hussein|al-Mujtaba|al-Zahra|al-Kafil|"
    "Sabiqun|Ansar al-Hujja|Dir' al-Shi'a|al-Tafuf|Ashab al-Kahf|Qabdat al-Huda|Usbat al-Tha'irin"
).split("|")
ORG_SUFFIXES = ("Network", "Brigades", "Battalion", "Cells", "Movement", "Front", "Council", "Committee")

OPERATION_ADJ = (
    "Iron Silent Northern Southern Black Red Golden Hidden Swift Steel Desert River Night "
    "Copper Stone Open Broken Amber Crimson Distant Early Frozen Grey Hollow Jade Last Long "
    "Marble Narrow Patient Quiet Rising Sharp Slow Tall Thin Velvet White Wide Yellow"
).split()
OPERATION_NOUN = (
    "Harvest Falcon Gate Lantern Anvil Bridge Compass Crossing Dawn Echo Ember Fortress "
    "Hammer Harbor Horizon Keystone Ladder Meadow Mirror Orchard Pillar Quarry Rampart "
    "Saber Shield Signal Spear Summit Thunder Tower Valley Vanguard Wall Willow Anchor"
).split()

_CONSONANTS = "b d f gh h j k kh l m n q r s sh t th w y z".split()
_VOWELS = ("a", "i", "u", "aa", "ii")


def syllable_word(rng: Random, n: int = 3) -> str:
    """Return a capitalised pseudo-Arabic word of ``n`` syllables (for overflow names)."""
    word = "".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(n - 1))
    word += rng.choice(_CONSONANTS) + rng.choice(("a", "i", "u")) + rng.choice("nrmlds")
    return word.capitalize()


# --- normalisation -------------------------------------------------------------------------

_APOSTROPHES = re.compile(r"['’ʿʾ`‘]")
_TOKEN = re.compile(r"[a-z]+")
_DOUBLE = re.compile(r"([a-z])\1+")
_ARTICLE = re.compile(r"^(?:al|el|ul|ar|as|ad|an|az|at|ash)-", re.I)
_ABD = {"abdul": "abd", "abdel": "abd", "abdal": "abd", "abdil": "abd"}


_VOWEL_MAP = str.maketrans("qyeo", "kiiu")


@lru_cache(maxsize=65536)
def _token_key(token: str) -> str:
    t = token.replace("ou", "u").replace("oo", "u").replace("ee", "i")
    t = t.translate(_VOWEL_MAP)
    t = _DOUBLE.sub(r"\1", t)
    if len(t) > 2 and t.endswith("ah"):
        t = t[:-1]
    return _ABD.get(t, t)


@lru_cache(maxsize=65536)
def skeleton_tokens(text: str) -> tuple[str, ...]:
    """Return the normalised word tuple of ``text`` (see :func:`skeleton`)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _APOSTROPHES.sub("", text).lower()
    words = []
    for raw in text.split():
        raw = _ARTICLE.sub("", raw)
        if raw in {"al", "el", "the"}:
            continue
        words.extend(_token_key(t) for t in _TOKEN.findall(raw))
    return tuple(w for w in words if w)


def skeleton(text: str) -> str:
    """Return a key that equates transliteration variants of the same name.

    Lower-cases, drops diacritics, apostrophes and the article (``al-``, ``el-``, ``ash-``),
    maps q→k, y→i, e→i, o→u, collapses doubled letters and a final ``-ah``.
    """
    return " ".join(skeleton_tokens(text))


def _runs(tokens: tuple[str, ...]):
    n = len(tokens)
    for i in range(n):
        for j in range(i + 1, n + 1):
            yield " ".join(tokens[i:j])


class FormRegistry:
    """Surface forms claimed so far, keyed by :func:`skeleton`, with their owners.

    A form is accepted for an owner when its key is not a run of words inside another
    owner's form and no other owner's form is a run of words inside it.
    """

    def __init__(self, reserved_words: set[str] | None = None):
        self._full: dict[str, str] = {}  # key of a whole form -> owner
        self._runs: dict[str, str] = {}  # key of any run of words -> owner ("" if several)
        self._reserved = {skeleton(w) for w in (reserved_words or ())}

    def owner(self, form: str) -> str | None:
        """Return the owner of ``form``'s key, if it is a whole claimed form."""
        return self._full.get(skeleton(form))

    def fits(self, form: str, owner: str) -> bool:
        """Whether ``form`` can be claimed by ``owner`` without touching another owner's forms."""
        tokens = skeleton_tokens(form)
        if not tokens:
            return False
        key = " ".join(tokens)
        if len(tokens) == 1 and (key in self._reserved or len(key) < 3):
            return False
        holder = self._runs.get(key)
        if holder is not None and holder != owner:
            return False
        return all(self._full.get(run, owner) == owner for run in _runs(tokens))

    def claim(self, form: str, owner: str, force: bool = False) -> bool:
        """Claim ``form`` for ``owner`` if it fits (or unconditionally with ``force``)."""
        if not force and not self.fits(form, owner):
            return False
        tokens = skeleton_tokens(form)
        self._full.setdefault(" ".join(tokens), owner)
        for run in _runs(tokens):
            holder = self._runs.get(run)
            self._runs[run] = owner if holder in (None, owner) else ""
        return True


# --- spelling variants -----------------------------------------------------------------------

_SWAPS = (
    ("ai", "ay"), ("ay", "ai"), ("Qa", "Ka"), ("Ka", "Qa"), ("u", "o"), ("i", "e"), ("ou", "u"),
    ("ss", "s"), ("mm", "m"), ("dd", "d"), ("bb", "b"), ("tt", "t"), ("rr", "r"), ("'", ""),
)


def _double_one(word: str, rng: Random) -> str:
    spots = [i for i in range(1, len(word) - 1) if word[i] in "bdhlmrstz" and word[i - 1] in "aiu" and word[i + 1] in "aiu"]
    if not spots:
        return word
    i = rng.choice(spots)
    return word[: i + 1] + word[i:]


def spelling_variants(name: str, rng: Random, k: int = 3) -> list[str]:
    """Return up to ``k`` distinct transliteration variants of ``name`` (same :func:`skeleton`).

    Variants swap the article (al-/el-, or drop it), the ``ai``/``ay`` diphthong
    (Qais/Qays), ``u``/``o``, ``i``/``e``, double or undouble a consonant
    (Hasan/Hassan), or drop an apostrophe (Sa'ad/Saad).
    """
    key = skeleton(name)
    out: list[str] = []
    words = name.split()
    for _ in range(4 * k):
        if len(out) >= k:
            break
        roll = rng.random()
        w = list(words)
        i = rng.randrange(len(w))
        if roll < 0.25 and any(x.startswith("al-") for x in w):
            j = rng.choice([n for n, x in enumerate(w) if x.startswith("al-")])
            w[j] = ("el-" + w[j][3:]) if rng.random() < 0.6 else w[j][3:]
        elif roll < 0.45:
            w[i] = _double_one(w[i], rng)
        else:
            old, new = rng.choice(_SWAPS)
            if old in w[i][1:] or (old[0].isupper() and w[i].startswith(old)):
                start = 0 if old[0].isupper() else 1
                w[i] = w[i][:start] + w[i][start:].replace(old, new, 1)
        candidate = " ".join(w)
        if candidate != name and candidate not in out and skeleton(candidate) == key:
            out.append(candidate)
    return out


def acronym(name: str) -> str | None:
    """Return the initials of the capitalised words of ``name`` (≥ 3 letters), else None.

    >>> acronym("Asa'ib Ahl al-Haq")
    'AAH'
    """
    letters = [w[0] for w in re.split(r"[\s-]+", name) if w and w[0].isupper()]
    return "".join(letters) if len(letters) >= 3 else None

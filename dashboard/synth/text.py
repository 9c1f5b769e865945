"""Sentences, relation phrasings and date expressions for synthetic passages.

Every sentence template names its entity slots ``{a}`` and ``{b}``; everything else is
fixed English, collected in :data:`VOCABULARY` so that no generated one-word name or
acronym can be one of these words (an ALL-CAPS report would otherwise "mention" it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from random import Random

__all__ = [
    "RELATIONS",
    "RELATIONS_BY_TYPES",
    "PAIR_SENTENCES",
    "SINGLE_SENTENCES",
    "FILLER_SENTENCES",
    "MONTHS",
    "VOCABULARY",
    "EventDate",
    "random_date",
    "date_tag_value",
    "date_phrase",
]

# (relation, source type, target type, phrasings)
RELATIONS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("member_of", "person", "organization", ("{a} was a member of {b}.", "{a} joined {b}.", "{a} served as a fighter in {b}.")),
    ("leads", "person", "organization", ("{a} led {b}.", "{a} was described as the head of {b}.")),
    ("founded", "person", "organization", ("{a} founded {b}.",)),
    ("commanded", "person", "person", ("{a} commanded {b}.", "{b} took orders from {a}.")),
    ("met_with", "person", "person", ("{a} met {b}.", "{a} held a meeting with {b}.")),
    ("trained_by", "person", "person", ("{a} was trained by {b}.",)),
    ("trained_by", "person", "organization", ("{a} received training from {b}.",)),
    ("funded_by", "organization", "organization", ("{a} received money from {b}.", "{b} paid the salaries of {a}.")),
    ("funded_by", "person", "organization", ("{a} was paid by {b}.",)),
    ("allied_with", "organization", "organization", ("{a} worked alongside {b}.",)),
    ("split_from", "organization", "organization", ("{a} broke away from {b}.",)),
    ("travelled_to", "person", "place", ("{a} travelled to {b}.", "{a} crossed into {b}.")),
    ("detained_in", "person", "place", ("{a} was held in {b}.",)),
    ("based_in", "organization", "place", ("{a} kept its headquarters in {b}.",)),
    ("took_part_in", "person", "event", ("{a} took part in {b}.",)),
    ("planned", "person", "event", ("{a} helped plan {b}.",)),
    ("claimed", "organization", "event", ("{a} claimed responsibility for {b}.",)),
    ("occurred_in", "event", "place", ("{a} took place in {b}.",)),
)

RELATIONS_BY_TYPES: dict[tuple[str, str], list[tuple[str, tuple[str, ...]]]] = {}
for _rel, _ta, _tb, _phr in RELATIONS:
    RELATIONS_BY_TYPES.setdefault((_ta, _tb), []).append((_rel, _phr))

PAIR_SENTENCES = (
    "{a} and {b} were named together in the report.",
    "{a} was mentioned alongside {b}.",
    "The detainee said {a} knew {b}.",
    "Both {a} and {b} appear in the same list of contacts.",
    "The detainee placed {a} and {b} at the same gathering.",
)

SINGLE_SENTENCES = {
    "person": (
        "{a} was described as a senior figure.",
        "The report names {a} in connection with weapons smuggling.",
        "The detainee spoke at length about {a}.",
        "{a} is said to have moved money through intermediaries.",
        "The detainee denied knowing {a}.",
        "{a} was mentioned in passing.",
    ),
    "organization": (
        "{a} was described as well funded.",
        "The detainee explained how {a} recruited new fighters.",
        "{a} was said to have split into smaller cells.",
    ),
    "place": (
        "The detainee described the roads around {a}.",
        "Weapons were said to be stored near {a}.",
        "A safe house was reported in {a}.",
    ),
    "event": (
        "The detainee gave his account of {a}.",
        "Several names came up in connection with {a}.",
    ),
    "other": ("{a} was mentioned in passing.",),
}

FILLER_SENTENCES = (
    "The detainee declined to answer further questions.",
    "The interrogator noted inconsistencies in the account.",
    "Details of the route were not recorded.",
    "This paragraph summarises earlier statements.",
    "The detainee asked for a break.",
    "No further information was provided on this point.",
    "The account could not be corroborated.",
)

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)

_EXTRA_WORDS = (
    "on in between and from to section report synthetic archive notes part summary "
    "interrogation analysis statement reference article document generated"
)


def _vocabulary() -> frozenset[str]:
    words: set[str] = set(_EXTRA_WORDS.split())
    texts = [t for _, _, _, phr in RELATIONS for t in phr] + list(PAIR_SENTENCES) + list(FILLER_SENTENCES)
    texts += [t for group in SINGLE_SENTENCES.values() for t in group]
    for text in texts:
        words.update(w.lower() for w in re.findall(r"[A-Za-z]+", text.replace("{a}", "").replace("{b}", "")))
    words.update(m.lower() for m in MONTHS)
    words.update(m[:3].lower() for m in MONTHS)
    return frozenset(words)


VOCABULARY = _vocabulary()


@dataclass(frozen=True)
class EventDate:
    """An event period: ``precision`` is day, month, year or range (years)."""

    precision: str
    year: int
    month: int = 1
    day: int = 1
    end_year: int | None = None

    @property
    def start(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


_YEARS = tuple(range(2003, 2012))
_YEAR_WEIGHTS = (4, 6, 8, 10, 12, 9, 6, 4, 3)


def random_date(rng: Random, near_year: int | None = None) -> EventDate:
    """Draw an event period between 2003 and 2011 (peaking in 2006-2007), near ``near_year``."""
    if near_year is not None and rng.random() < 0.7:
        year = min(max(near_year + rng.choice((-1, 0, 0, 0, 1)), _YEARS[0]), _YEARS[-1])
    else:
        year = rng.choices(_YEARS, weights=_YEAR_WEIGHTS)[0]
    roll = rng.random()
    if roll < 0.38:
        return EventDate("day", year, rng.randint(1, 12), rng.randint(1, 28))
    if roll < 0.68:
        return EventDate("month", year, rng.randint(1, 12))
    if roll < 0.86 or year >= _YEARS[-1]:
        return EventDate("year", year)
    return EventDate("range", year, end_year=rng.randint(year + 1, min(year + 3, _YEARS[-1])))


def date_tag_value(date: EventDate) -> str:
    """The ``date:`` value of a curated passage tag (``2007``, ``2007-03``, ``2004..2006``)."""
    if date.precision == "day":
        return date.start
    if date.precision == "month":
        return f"{date.year:04d}-{date.month:02d}"
    if date.precision == "year":
        return f"{date.year:04d}"
    return f"{date.year:04d}..{date.end_year:04d}"


def date_phrase(date: EventDate, rng: Random, military: bool = False) -> str:
    """A sentence opener stating ``date`` in prose: "On 20 March 2007,", "On 20MAR07,",
    "In March 2007,", "In 2005,", "Between 2004 and 2006,"."""
    if date.precision == "day":
        if military or rng.random() < 0.25:
            return f"On {date.day:02d}{MONTHS[date.month - 1][:3].upper()}{date.year % 100:02d},"
        return f"On {date.day} {MONTHS[date.month - 1]} {date.year},"
    if date.precision == "month":
        return f"In {MONTHS[date.month - 1]} {date.year},"
    if date.precision == "year":
        return f"In {date.year},"
    return f"Between {date.year} and {date.end_year},"

"""The synthetic gazetteer: persons, organizations, places and events with aliases,
memberships and a skewed popularity that drives how often each is mentioned."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import accumulate
from random import Random

from dashboard.synth import names as N
from dashboard.synth.text import VOCABULARY, EventDate, random_date

__all__ = ["SynthEntity", "Roster", "make_roster", "type_counts"]


@dataclass
class SynthEntity:
    """One generated entity.

    ``aliases`` are listed in ``entities.csv``; ``variants`` are spellings that appear in
    the text only (a linker has to normalise or fuzzy-match them); ``shared_aliases`` were
    deliberately given to two entities (``--collisions``) and link to neither.
    """

    entity_id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)
    shared_aliases: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    weight: float = 1.0
    date: EventDate | None = None
    members: list["SynthEntity"] = field(default_factory=list)

    @property
    def listed(self) -> list[str]:
        """Forms a linker must find exactly: the name and every non-shared alias."""
        return [self.name] + [a for a in self.aliases if a not in self.shared_aliases]


@dataclass
class Roster:
    entities: list[SynthEntity]
    by_type: dict[str, list[SynthEntity]]


def type_counts(n: int) -> dict[str, int]:
    """Split ``n`` entities into types: about 70 % persons, 8 % organizations, 12 % places, 10 % events."""
    if n < 10:
        raise ValueError("at least 10 entities are needed")
    orgs = max(3, round(0.08 * n))
    places = max(3, round(0.12 * n))
    events = max(2, round(0.10 * n))
    return {"person": n - orgs - places - events, "organization": orgs, "place": places, "event": events}


def _slug(name: str) -> str:
    return re.sub(r"-+", "-", re.sub(r"[^a-z0-9]+", "-", name.lower().replace("'", ""))).strip("-")


class _Maker:
    def __init__(self, rng: Random):
        self.rng = rng
        self.registry = N.FormRegistry(reserved_words=set(VOCABULARY))
        self.ids: set[str] = set()

    def new(self, name: str, type_: str) -> SynthEntity | None:
        slug = _slug(name)
        if slug in self.ids or not self.registry.fits(name, slug):
            return None
        self.registry.claim(name, slug)
        self.ids.add(slug)
        return SynthEntity(slug, name, type_)

    def alias(self, ent: SynthEntity, form: str, listed: bool = True) -> None:
        if form and form != ent.name and form not in ent.aliases and form not in ent.variants:
            if self.registry.claim(form, ent.entity_id):
                (ent.aliases if listed else ent.variants).append(form)

    def variants(self, ent: SynthEntity, n_listed: int, n_text: int) -> None:
        forms = N.spelling_variants(ent.name, self.rng, n_listed + n_text)
        for i, form in enumerate(forms):
            self.alias(ent, form, listed=i < n_listed)


def _organizations(mk: _Maker, count: int) -> list[SynthEntity]:
    rng, out = mk.rng, []
    combos = [f"{h} {q}" for h in N.ORG_HEADS for q in N.ORG_QUALIFIERS]
    rng.shuffle(combos)
    while len(out) < count:
        if combos:
            name = combos.pop()
        else:
            name = f"{rng.choice(N.ORG_HEADS)} al-{N.syllable_word(rng, rng.choice((2, 3)))}"
            if rng.random() < 0.4:
                name += " " + rng.choice(N.ORG_SUFFIXES)
        ent = mk.new(name, "organization")
        if ent is None:
            continue
        if (acr := N.acronym(name)) and acr.lower() not in VOCABULARY:
            mk.alias(ent, acr)
        mk.variants(ent, 1, 1)
        out.append(ent)
    return out


def _places(mk: _Maker, count: int) -> list[SynthEntity]:
    rng, out = mk.rng, []
    real = list(N.PLACES_REAL)
    rng.shuffle(real)
    combos = [f"{p} {r}" for p in N.PLACE_PREFIXES for r in N.PLACE_ROOTS]
    rng.shuffle(combos)
    pool = real + combos
    while len(out) < count:
        name = pool.pop(0) if pool else f"{rng.choice(N.PLACE_PREFIXES)} {N.syllable_word(rng, rng.choice((2, 3)))}"
        ent = mk.new(name, "place")
        if ent is None:
            continue
        if name[-1] in "aiu" and rng.random() < 0.5:
            mk.alias(ent, name + "h")  # Basra / Basrah
        if " " not in name and rng.random() < 0.3:
            mk.alias(ent, "al-" + name)  # Kut / al-Kut
        mk.variants(ent, 0, 1)
        out.append(ent)
    return out


def _events(mk: _Maker, count: int) -> list[SynthEntity]:
    rng, out = mk.rng, []
    combos = [f"{a} {b}" for a in N.OPERATION_ADJ for b in N.OPERATION_NOUN]
    rng.shuffle(combos)
    while len(out) < count:
        core = combos.pop() if combos else f"{rng.choice(N.OPERATION_ADJ)} {N.syllable_word(rng, 2)}"
        ent = mk.new(f"Operation {core}", "event")
        if ent is None:
            continue
        if rng.random() < 0.6:
            mk.alias(ent, core)
        ent.date = random_date(rng)
        out.append(ent)
    return out


def _persons(mk: _Maker, count: int) -> list[SynthEntity]:
    rng, out, attempts = mk.rng, [], 0
    while len(out) < count:
        attempts += 1
        if attempts > 50 * count + 1000:
            raise RuntimeError(f"could not invent {count} distinct person names")
        given = rng.choice(N.GIVEN)
        family = rng.choice(N.FAMILY)
        if (given, family) in N.REAL_PEOPLE:
            continue
        parts = [given]
        if rng.random() < 0.65:
            parts.append(rng.choice(N.GIVEN))
        if rng.random() < 0.15:
            parts.append(rng.choice(N.GIVEN))
        name = " ".join(parts + [family])
        ent = mk.new(name, "person")
        if ent is None:
            continue
        if len(parts) > 1 and rng.random() < 0.5:
            mk.alias(ent, f"{given} {family}")  # the short form reports use
        mk.variants(ent, rng.choice((0, 1, 1, 2)), 2)
        if rng.random() < 0.25:
            kunya = f"Abu {rng.choice(N.GIVEN)}" if rng.random() < 0.6 else f"Abu {N.syllable_word(rng, 2)}"
            mk.alias(ent, kunya)
        out.append(ent)
    families = Counter(p.name.split()[-1] for p in out)
    for p in out:
        family = p.name.split()[-1]
        if families[family] == 1 and rng.random() < 0.6:
            mk.alias(p, family.removeprefix("al-"))  # "Khazali" alone, when no relative is listed
    return out


def make_roster(n_entities: int, rng: Random, collisions: int = 0) -> Roster:
    """Generate ``n_entities`` entities with aliases, memberships and popularity weights.

    Parameters
    ----------
    n_entities : int
        Total number of entities (at least 10).
    rng : random.Random
        The seeded generator; the roster depends on nothing else.
    collisions : int
        Number of person pairs that deliberately share one extra alias.
    """
    counts = type_counts(n_entities)
    mk = _Maker(rng)
    orgs = _organizations(mk, counts["organization"])
    places = _places(mk, counts["place"])
    events = _events(mk, counts["event"])
    persons = _persons(mk, counts["person"])
    everyone = orgs + places + events + persons

    # Popularity: Zipf over a random ranking; organizations and places are more prominent.
    order = list(range(len(everyone)))
    rng.shuffle(order)
    boost = {"organization": 4.0, "place": 2.0, "event": 1.0, "person": 1.0}
    for rank, i in enumerate(order):
        everyone[i].weight = boost[everyone[i].type] / (rank + 1) ** 0.95

    # Memberships: preferential (big organizations attract members).
    org_cum = list(accumulate(o.weight for o in orgs))
    org_ix = range(len(orgs))
    for p in persons:
        if rng.random() < 0.85:
            picks = {rng.choices(org_ix, cum_weights=org_cum)[0]}
            if rng.random() < 0.15:
                picks.add(rng.choices(org_ix, cum_weights=org_cum)[0])
            for i in sorted(picks):
                p.affiliations.append(orgs[i].entity_id)
                orgs[i].members.append(p)
    by_rank = sorted(orgs, key=lambda o: -o.weight)
    for o in by_rank[3:]:
        if rng.random() < 0.25:
            parent = rng.choice(by_rank[: max(3, len(orgs) // 5)])
            if parent is not o:
                o.affiliations.append(parent.entity_id)

    for _ in range(min(collisions, len(persons) // 2)):
        a, b = rng.sample(persons, 2)
        for _try in range(20):
            shared = f"Abu {N.syllable_word(rng, 2)}"
            if mk.registry.fits(shared, "?shared"):
                break
        mk.registry.claim(shared, "?shared", force=True)
        for ent in (a, b):
            ent.aliases.append(shared)
            ent.shared_aliases.append(shared)

    everyone.sort(key=lambda e: e.entity_id)
    by_type: dict[str, list[SynthEntity]] = {t: [] for t in counts}
    for e in everyone:
        by_type[e.type].append(e)
    return Roster(everyone, by_type)

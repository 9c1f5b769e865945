"""Linking throughput on a synthetic gazetteer of ~5,000 entities and passages of ~60 words.

Run: ``/work/venv/bin/python bench/bench_linking.py [--entities 5000] [--passages 4000]``
Prints passages per second for :meth:`Linker.link_many` (and for :meth:`Linker.link`),
the gazetteer build time, and how many mentions were found.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.ingest.linker import Linker  # noqa: E402

SYLLABLES = "ba da fa ha ja ka la ma na ra sa ta wa za kha sha qa ghu di mi ni ri si ti zu bu du hu".split()
GIVEN = "Qais Laith Ali Hassan Hussein Ahmad Mohammed Mustafa Akram Abbas Hadi Jafar Karim Salim Yusif".split()
FILLER = (
    "the detainee stated that he met with in during and was a of to for from after before "
    "weapons training money group commander house meeting cell attack told interrogators "
    "about his role network supplied funds Iran Iraq Baghdad Basra March 2007 later earlier"
).split()


def make_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def gazetteer(n: int, rng: random.Random) -> pd.DataFrame:
    rows = []
    for i in range(n):
        kind = rng.random()
        if kind < 0.6:
            name = f"{rng.choice(GIVEN)} al-{make_name(rng)}"
            aliases = [f"Abu {make_name(rng)}"] if rng.random() < 0.3 else []
            rows.append((f"P{i}", name, "person", aliases))
        elif kind < 0.85:
            rows.append((f"O{i}", f"{make_name(rng)} {make_name(rng)} Brigade", "organization", [make_name(rng).upper()[:4]]))
        else:
            rows.append((f"L{i}", make_name(rng), "place", []))
    return pd.DataFrame(rows, columns=["entity_id", "name", "type", "aliases"])


def passages(ents: pd.DataFrame, n: int, rng: random.Random) -> list[str]:
    names = ents["name"].tolist()
    out = []
    for _ in range(n):
        words = [rng.choice(FILLER) for _ in range(52)]
        for _ in range(rng.randint(2, 4)):
            name = rng.choice(names)
            r = rng.random()
            if r < 0.2:
                name = name.upper()
            elif r < 0.3:
                name = name.replace("a", "e", 1)  # a transliteration variant
            elif r < 0.35:
                name = f"{make_name(rng)} {make_name(rng)}"  # an unknown capitalised name
            words.insert(rng.randrange(len(words)), name)
        out.append(" ".join(words) + ".")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entities", type=int, default=5000)
    ap.add_argument("--passages", type=int, default=20000)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    ents = gazetteer(args.entities, rng)
    texts = passages(ents, args.passages, rng)
    n_words = sum(len(t.split()) for t in texts) / len(texts)

    t0, c0 = time.perf_counter(), time.process_time()
    linker = Linker(ents)
    build, build_cpu = time.perf_counter() - t0, time.process_time() - c0

    t0, c0 = time.perf_counter(), time.process_time()
    result = linker.link_many(texts)
    many, many_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    again = linker.link_many(texts)
    warm, warm_cpu = time.perf_counter() - t0, time.process_time() - c0
    fresh = Linker(ents)
    t0, c0 = time.perf_counter(), time.process_time()
    single = [fresh.link(t) for t in texts]
    one, one_cpu = time.perf_counter() - t0, time.process_time() - c0
    assert single == result == again
    assert single == result
    n_mentions = sum(len(r) for r in result)
    print(f"command: {' '.join([Path(sys.executable).name] + sys.argv)}")
    print(f"gazetteer: {len(ents)} entities, built in {build:.2f} s ({build_cpu:.2f} s CPU)")
    print(f"passages: {len(texts)} of {n_words:.0f} words on average; {n_mentions} mentions")
    n = len(texts)
    print("passages/s (wall clock; per CPU second in brackets, the figure on an idle machine):")
    print(f"  link_many, cold linker: {n / many:,.0f} ({n / many_cpu:,.0f})")
    print(f"  link_many, warm caches: {n / warm:,.0f} ({n / warm_cpu:,.0f})")
    print(f"  link, cold linker:      {n / one:,.0f} ({n / one_cpu:,.0f})")
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

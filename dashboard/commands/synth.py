"""``python -m dashboard synth``: write a seeded synthetic corpus (see :mod:`dashboard.synth`)."""

from __future__ import annotations

import argparse

from dashboard.synth import SynthConfig, generate

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``synth`` command."""
    p = subparsers.add_parser(
        "synth",
        help="write a synthetic corpus (same arguments, same files)",
        description="Write a seeded synthetic corpus in the input format of `python -m dashboard build`.",
    )
    d = SynthConfig()
    p.add_argument("--entities", type=int, default=d.entities, help=f"number of entities (default {d.entities})")
    p.add_argument("--documents", type=int, default=d.documents, help=f"number of documents (default {d.documents})")
    p.add_argument("--passages-per-doc", type=int, default=d.passages_per_doc,
                   help=f"mean passages per document; the total is documents × this (default {d.passages_per_doc})")
    p.add_argument("--out", required=True, help="folder to write (must not exist or be empty, unless --force)")
    p.add_argument("--seed", type=int, default=d.seed, help=f"random seed (default {d.seed})")
    p.add_argument("--relation-rate", type=float, default=d.relation_rate,
                   help=f"share of multi-entity passages that state a typed relation (default {d.relation_rate})")
    p.add_argument("--variant-rate", type=float, default=d.variant_rate,
                   help=f"share of mentions written with an unlisted spelling variant (default {d.variant_rate})")
    p.add_argument("--collisions", type=int, default=d.collisions,
                   help="number of person pairs that deliberately share an alias (default 0: none)")
    p.add_argument("--truth", default=None, help="also write the planted mentions to this CSV (for linker evaluation)")
    p.add_argument("--force", action="store_true", help="replace --out if it already holds files")
    return p


def run(args: argparse.Namespace) -> int:
    """Generate the corpus and print a one-line summary."""
    cfg = SynthConfig(
        entities=args.entities,
        documents=args.documents,
        passages_per_doc=args.passages_per_doc,
        seed=args.seed,
        relation_rate=args.relation_rate,
        variant_rate=args.variant_rate,
        collisions=args.collisions,
    )
    print(generate(cfg, args.out, force=args.force, truth_path=args.truth))
    return 0

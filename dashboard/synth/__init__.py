"""Synthetic corpora in the input format, for tests and benchmarks at any scale.

``python -m dashboard synth --entities N --documents M --out SRC`` writes a seeded corpus:
Arabic-style transliterated names with listed aliases and unlisted spelling variants,
organizations with members, places and events, a skewed (Zipf) mention distribution,
dated passages (curated tags, prose dates such as "20 March 2007" and "20MAR07", ranges),
claim classes, ALL-CAPS interrogation reports, and ``relations.csv`` rows that are valid
by construction.
"""

from dashboard.synth.corpus import SynthConfig, SynthSummary, generate, write_corpus
from dashboard.synth.names import skeleton

__all__ = ["SynthConfig", "SynthSummary", "generate", "write_corpus", "skeleton"]

"""``python -m dashboard build SRC --out DST``: build the tables of a corpus folder."""

from __future__ import annotations

import argparse
import sys

from dashboard.ingest.build import BUILD_SETTINGS, STAGES, build
from dashboard.ingest.progress import Progress, format_summary
from dashboard.settings import SETTINGS, env_name

__all__ = ["add_parser", "run"]


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``build`` command."""
    p = subparsers.add_parser(
        "build",
        help="build the tables of a corpus folder",
        description="Read a corpus folder (entities.csv, relations.csv, documents/; see docs/corpus-format.md) "
        "and write the dataset folder the app opens. Input problems are listed one per line; "
        "nothing is written unless the whole build succeeds.",
    )
    p.add_argument("src", metavar="SRC", help="corpus folder")
    p.add_argument("--out", "-o", metavar="DST", required=True, help="dataset folder to create or replace")
    for name in BUILD_SETTINGS:
        s = SETTINGS[name]
        p.add_argument(
            "--" + name.replace("_", "-"),
            dest=name,
            default=None,
            metavar=type(s.default).__name__.upper(),
            help=f"{s.help} (env {env_name(name)}, default {s.default})",
        )
    bar = p.add_mutually_exclusive_group()
    bar.add_argument("--progress", dest="progress", action="store_true", default=None, help="always show a progress bar")
    bar.add_argument("--no-progress", dest="progress", action="store_false", help="never show a progress bar")
    p.add_argument("--quiet", "-q", action="store_true", help="print warnings only, no summary")
    return p


def run(args: argparse.Namespace) -> int:
    """Run the build; input problems propagate as InputError (exit 2 in ``__main__``)."""
    options = {name: getattr(args, name) for name in BUILD_SETTINGS if getattr(args, name, None) is not None}
    progress = Progress(STAGES, enabled=args.progress)
    try:
        result = build(args.src, args.out, options, progress)
    finally:
        progress.close()
    for problem in result.warnings:
        print(str(problem), file=sys.stderr)
    if not args.quiet:
        print(format_summary(result.manifest["counts"], progress.elapsed, args.out))
    return 0

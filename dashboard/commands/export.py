"""``python -m dashboard export``: write a figure, data file or briefing deck of a view, without a browser.

The view is built exactly as in the app: the options become a state dict, the state
goes through ``ViewCache.get`` (``make_view``), and :func:`dashboard.export.formats.export_view`
produces the same bytes as the in-app export menu.

Examples
--------
python -m dashboard export --org aah --start 2004-01-01 --end 2007-12-31 --claims reports \\
    --format png -o aah.png
python -m dashboard export --entity qais_al_khazali --depth 2 --format pptx -o briefing.pptx

Exit status: 0 written; 2 bad arguments or unknown ids (one line per problem); 1 the
export could not be produced (e.g. no Chromium for a timeline).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import sys
import tempfile
from pathlib import Path

from dashboard.errors import InputError, Problem
from dashboard.settings import resolve
from dashboard.tables import CLAIM_CLASSES, ENTITY_TYPES, LINK_KINDS

__all__ = ["add_parser", "run", "state_from_args"]

_FORMAT_NAMES = ("png", "svg", "pdf", "timeline-png", "timeline-svg", "timeline-pdf", "gexf", "graphml", "csv",
                 "evidence-csv", "pptx")


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register the ``export`` command."""
    p = subparsers.add_parser(
        "export", help="export a figure, network data or a briefing deck of a filtered view",
        description="Write a figure, network data or a briefing deck of a filtered view, without a browser. "
                    "The view is built by the app's own code, so the file shows what the app shows.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="formats: png/svg/pdf = graph figure; timeline-png/-svg/-pdf = timeline (needs Chromium); "
               "gexf (dynamic, Gephi timeline), graphml; csv = zip of nodes.csv + edges.csv; "
               "evidence-csv = cited passages; pptx = briefing deck.")
    p.add_argument("--data", metavar="DIR", help=f"built dataset folder (default: {resolve('data_dir')}; env KHAZALI_DATA_DIR)")
    p.add_argument("--org", action="extend", nargs="+", default=[], metavar="ID",
                   help="organization entity ids (several after one --org, or --org repeated)")
    p.add_argument("--hops", type=int, choices=(0, 1), default=0, help="also keep direct neighbours of the organizations")
    p.add_argument("--start", metavar="YYYY-MM-DD", help="period start (event dates)")
    p.add_argument("--end", metavar="YYYY-MM-DD", help="period end (event dates)")
    p.add_argument("--claims", nargs="+", choices=CLAIM_CLASSES, default=[], metavar="CLASS",
                   help=f"claim classes kept: {', '.join(CLAIM_CLASSES)}")
    p.add_argument("--type", dest="types", action="append", choices=ENTITY_TYPES, default=[], help="entity type kept (repeatable)")
    p.add_argument("--kind", dest="kinds", action="append", choices=LINK_KINDS, default=[], help="link kind kept (repeatable)")
    p.add_argument("--min-weight", type=int, default=1, metavar="N", help="links need evidence from at least N passages")
    p.add_argument("--entity", metavar="ID", help="focus: the ego network of this entity")
    p.add_argument("--depth", type=int, choices=(1, 2), default=1, help="steps around --entity")
    p.add_argument("--size-by", default="degree", help="node size measure (as in the app)")
    p.add_argument("--color-by", default="community", help="node color mode (as in the app)")
    p.add_argument("--time-axis", choices=("event", "published"), default="event",
                   help="timeline x axis: event dates or the report's publication date")
    p.add_argument("--scale", type=int, choices=(1, 2, 3), default=2, help="PNG pixel multiple (2 or 3 for slides/print)")
    p.add_argument("--format", required=True, choices=_FORMAT_NAMES, help="what to write")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="file to write (replaced atomically)")
    return p


def _check_date(value: str | None, option: str, problems: list[Problem]) -> None:
    if value is None:
        return
    try:
        _dt.date.fromisoformat(value)
        if len(value) != 10:
            raise ValueError
    except ValueError:
        problems.append(Problem(option, f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2006-03-01"))


def state_from_args(args: argparse.Namespace, data) -> dict:
    """Validate the options against the dataset and return the view state.

    Raises
    ------
    InputError
        One problem per bad option: malformed date, reversed period, unknown id, an id that
        is not an organization, a measure or color mode the app does not know.
    """
    problems: list[Problem] = []
    _check_date(args.start, "--start", problems)
    _check_date(args.end, "--end", problems)
    if args.start and args.end and not problems and args.start > args.end:
        problems.append(Problem("--start", f"{args.start} is after --end {args.end}; swap them"))
    entities = data.entities.set_index("entity_id")
    for org in args.org:
        if org not in entities.index:
            problems.append(Problem("--org", f"unknown entity id {org!r}; ids are in the entities table (entities.csv)"))
        elif entities.at[org, "type"] != "organization":
            problems.append(Problem("--org", f"{org!r} is a {entities.at[org, 'type']}, not an organization; "
                                             "use --entity to focus on it"))
    if args.entity and args.entity not in entities.index:
        problems.append(Problem("--entity", f"unknown entity id {args.entity!r}; ids are in the entities table (entities.csv)"))
    if args.min_weight < 1:
        problems.append(Problem("--min-weight", f"must be 1 or more, got {args.min_weight}"))
    from dashboard.state import COLOR_MODES, DEFAULT_STATE, SIZE_MEASURES, normalize_state

    if args.size_by not in SIZE_MEASURES:
        problems.append(Problem("--size-by", f"unknown measure {args.size_by!r}; choose one of {', '.join(SIZE_MEASURES)}"))
    if args.color_by not in COLOR_MODES:
        problems.append(Problem("--color-by", f"unknown color mode {args.color_by!r}; choose one of {', '.join(COLOR_MODES)}"))
    if problems:
        raise InputError(problems)
    state = dict(DEFAULT_STATE)
    state.update({
        "orgs": list(args.org), "hops": args.hops, "start": args.start, "end": args.end, "claims": list(args.claims),
        "types": list(args.types), "kinds": list(args.kinds), "min_weight": args.min_weight,
        "focus": args.entity, "depth": args.depth, "size_by": args.size_by, "color_by": args.color_by,
        "time_axis": args.time_axis,
    })
    return normalize_state(state)


def _write_atomically(path: Path, content: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def run(args: argparse.Namespace) -> int:
    """Build the view from the options and write the export; see the module docstring for exit codes."""
    from dashboard.analysis.cache import ViewCache
    from dashboard.export.formats import ChromiumNotFound, export_view
    from dashboard.tables import load_tables

    output = Path(args.output)
    if output.is_dir() or not output.parent.is_dir():
        raise InputError(Problem(str(output), "the output must be a file in an existing folder"))
    data = load_tables(resolve("data_dir", args.data))
    state = state_from_args(args, data)
    cache = ViewCache(data, 2)
    view = cache.get(state)
    try:
        result = export_view(args.format, data, view, state, scale=args.scale, view_of=cache.get)
    except ChromiumNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    _write_atomically(output, result.content)
    notes = " ".join(str(n) for n in (getattr(view, "notes", None) or []))
    print(f"wrote {output} ({args.format}, {len(result.content):,} bytes; {len(view.entities)} entities, "
          f"{len(view.links)} links){' — ' + notes if notes else ''}")
    return 0

"""Command line: ``python -m dashboard build|export|synth``.

Each command lives in ``dashboard/commands/<name>.py`` and exposes ``add_parser(subparsers)``
and ``run(args) -> int``. Input problems are printed one per line, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from dashboard.errors import InputError

COMMANDS = ("build", "export", "synth")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    modules = {}
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"dashboard.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"dashboard.commands.{name}":
                raise
            continue
        module.add_parser(sub)
        modules[name] = module
    args = parser.parse_args(argv)
    try:
        return int(modules[args.command].run(args) or 0)
    except InputError as exc:
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        print(f"{args.command}: stopped, {len([p for p in exc.problems if p.level == 'error'])} error(s).", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())

"""Serve the explorer: ``python app.py [--data DIR] [--host H] [--port P] [--debug]``.

Opens the embedded Khazali dataset by default (setting ``data_dir``) on 127.0.0.1:8050.
A dataset folder that is missing or broken prints one line per problem and exits 2.
"""

from __future__ import annotations

from dashboard.runtime import set_process_defaults

set_process_defaults()  # before numpy and pyarrow load (dashboard/runtime.py)

import argparse
import logging
import sys

from dashboard.errors import InputError
from dashboard.settings import SETTINGS, env_name, resolve


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    def helptext(name: str) -> str:
        s = SETTINGS[name]
        return f"{s.help} Default {s.default!r}; environment {env_name(name)}."

    parser = argparse.ArgumentParser(prog="python app.py", description="Khazali Papers network explorer (Dash app).")
    parser.add_argument("--data", metavar="DIR", default=None, help=helptext("data_dir"))
    parser.add_argument("--host", default=None, help=helptext("host"))
    parser.add_argument("--port", type=int, default=None, help=helptext("port"))
    parser.add_argument("--debug", action="store_true", default=None, help=helptext("debug"))
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        data_dir = resolve("data_dir", args.data)
        host, port, debug = resolve("host", args.host), resolve("port", args.port), resolve("debug", args.debug)
        for name in SETTINGS:  # every environment value parses before anything starts
            resolve(name)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from dashboard.malloc import limit_arenas

    limit_arenas(resolve("malloc_arenas"))  # before loading (Arrow's threads) and serving (request threads)
    from dashboard.tables import load_tables
    from dashboard.web import create_app

    try:
        data = load_tables(data_dir)
        app = create_app(data, host=host, port=port, debug=debug)
    except InputError as exc:
        for problem in exc.problems:
            print(str(problem), file=sys.stderr)
        return 2
    if not (debug or resolve("access_log")):  # the URL line still prints (Dash's logger)
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: serving on {host}: anyone on the network can reach the app", file=sys.stderr)
    app.run(host=host, port=port, debug=debug)
    return 0


if __name__ == "__main__":
    sys.exit(main())

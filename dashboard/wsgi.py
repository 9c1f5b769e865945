"""WSGI entry point for gunicorn: ``gunicorn 'dashboard.wsgi:server'``.

The dataset folder comes from the ``data_dir`` setting (environment ``KHAZALI_DATA_DIR``).
A bad folder prints one line per problem and exits with status 2.
"""

from __future__ import annotations

from dashboard.runtime import set_process_defaults

set_process_defaults()  # before numpy and pyarrow load (dashboard/runtime.py)

import sys

from dashboard.errors import InputError
from dashboard.malloc import limit_arenas
from dashboard.settings import resolve
from dashboard.tables import load_tables
from dashboard.web import create_app

__all__ = ["app", "server"]

try:
    _arenas = resolve("malloc_arenas")
except ValueError as exc:  # KHAZALI_MALLOC_ARENAS does not parse
    print(f"error: {exc}", file=sys.stderr)
    raise SystemExit(2) from None
# before loading (Arrow's threads) and serving (gunicorn's threads); see dashboard/malloc.py
limit_arenas(_arenas)

try:
    app = create_app(load_tables(resolve("data_dir")))
except InputError as exc:
    for problem in exc.problems:
        print(str(problem), file=sys.stderr)
    raise SystemExit(2) from None

server = app.server

"""Serve a Flask/Dash app on a free loopback port from a background thread, for tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server

__all__ = ["serve"]


@contextmanager
def serve(flask_app) -> Iterator[str]:
    """Run ``flask_app`` (``dash_app.server``) on 127.0.0.1 and yield its base URL."""
    server = make_server("127.0.0.1", 0, flask_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)

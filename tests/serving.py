"""Serve a Flask/Dash app on a free loopback port from a background thread, for tests."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from werkzeug.serving import make_server

__all__ = ["serve", "click_until"]


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


def click_until(page, target, selector: str, tries: int = 3, timeout_ms: int = 15_000) -> None:
    """Click ``target`` until ``selector`` shows up: the excerpt list can re-render just after the
    URL state lands, and a click on the card it replaced is lost (seen on a loaded machine)."""
    for attempt in range(tries):
        target.click()
        try:
            page.wait_for_selector(selector, timeout=timeout_ms)
            return
        except Exception:  # playwright's TimeoutError; retry, then let the last one raise
            if attempt == tries - 1:
                raise

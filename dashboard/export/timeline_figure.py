"""The timeline of a view as PNG, SVG or PDF: a Plotly figure rendered by kaleido in Chromium.

Kaleido (MIT) drives a headless Chromium. This module finds the browser (setting
``chromium``, then ``BROWSER_PATH``, then ``chromium``/``chromium-browser``/``google-chrome``
on PATH) and says clearly what to install when none is found. One browser per process
is kept warm between exports (the first export pays the start-up, about 3-5 s; later
ones take a few hundred milliseconds) and is closed at exit.

The figure itself is the timeline panel's (``dashboard.panels.timeline.logic``), dressed
for a slide by :func:`dashboard.export.figures.timeline_plotly`.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import threading
import plotly.graph_objects as go

from dashboard.settings import resolve

__all__ = [
    "ChromiumNotFound",
    "TIMELINE_FORMATS",
    "TIMELINE_SIZE_PX",
    "find_chromium",
    "render_plotly",
    "close_renderer",
]

TIMELINE_FORMATS = ("png", "svg", "pdf")
TIMELINE_SIZE_PX = (1200, 600)
_BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")


class ChromiumNotFound(RuntimeError):
    """No Chromium/Chrome executable was found for kaleido."""


def _which(name: str) -> str | None:
    return shutil.which(name)


def find_chromium() -> str:
    """Return the path of the Chromium executable kaleido will drive.

    Raises
    ------
    ChromiumNotFound
        With the message saying how to install Chromium or point to one.
    """
    configured = resolve("chromium") or os.environ.get("BROWSER_PATH")
    if configured:
        if os.path.isfile(configured) and os.access(configured, os.X_OK):
            return configured
        raise ChromiumNotFound(
            f"timeline export needs Chromium, but {configured!r} (KHAZALI_CHROMIUM / BROWSER_PATH) "
            "is not an executable file; fix the path or unset it")
    for name in _BROWSER_NAMES:
        path = _which(name)
        if path:
            return path
    raise ChromiumNotFound(
        "timeline export needs Chromium, and none was found on PATH (looked for "
        + ", ".join(_BROWSER_NAMES)
        + "); install it (Debian: apt-get install chromium, or `make chromium`) "
        "or set KHAZALI_CHROMIUM=/path/to/chrome")


class _WarmKaleido:
    """One kaleido browser per process, on its own event-loop thread, reused across exports."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido = None

    def _start(self, browser: str) -> None:
        import kaleido  # imported late: it registers encoders and checks plotly on import

        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="kaleido", daemon=True)
        thread.start()

        async def _open():
            k = kaleido.Kaleido(n=1, mathjax=False, path=browser)
            await k.open()
            return k

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(_open(), loop).result(timeout=60)
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=5)
            raise
        self._loop, self._thread = loop, thread

    def render(self, fig, opts: dict, timeout: float = 60) -> bytes:
        with self._lock:
            if self._kaleido is None:
                self._start(find_chromium())
            future = asyncio.run_coroutine_threadsafe(self._kaleido.calc_fig(fig, opts=opts), self._loop)
            try:
                return future.result(timeout=timeout)
            except BaseException:
                self._close_locked()  # a failed browser is not reused
                raise

    def _close_locked(self) -> None:
        if self._kaleido is not None and self._loop is not None:
            try:
                asyncio.run_coroutine_threadsafe(self._kaleido.close(), self._loop).result(timeout=10)
            except Exception:  # noqa: BLE001 best effort at shutdown
                pass
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._kaleido = self._loop = self._thread = None

    def close(self) -> None:
        with self._lock:
            self._close_locked()


_RENDERER = _WarmKaleido()
atexit.register(_RENDERER.close)


def render_plotly(fig: go.Figure, fmt: str = "png", scale: float = 2.0,
                  size: tuple[int, int] | None = None) -> bytes:
    """Render a Plotly figure with kaleido and return the file's bytes.

    Raises
    ------
    ChromiumNotFound
        If no browser is found (checked before kaleido starts, so the message is ours).
    ValueError
        For an unknown format.
    """
    if fmt not in TIMELINE_FORMATS:
        raise ValueError(f"unknown timeline format {fmt!r}; choose one of {', '.join(TIMELINE_FORMATS)}")
    find_chromium()
    size = size or (TIMELINE_SIZE_PX[0], int(fig.layout.height or TIMELINE_SIZE_PX[1]))
    opts = {"format": fmt, "width": size[0], "height": size[1], "scale": float(scale) if fmt == "png" else 1}
    return _RENDERER.render(fig, opts)


def close_renderer() -> None:
    """Close the warm browser (tests and benchmarks use it to measure a cold start)."""
    _RENDERER.close()

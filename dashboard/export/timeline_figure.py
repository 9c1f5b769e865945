"""The timeline of a view as PNG, SVG or PDF: a Plotly figure rendered by kaleido in Chromium.

Kaleido (MIT) drives a headless Chromium. This module finds the browser (setting
``chromium``, then ``BROWSER_PATH``, then ``chromium``/``chromium-browser``/``google-chrome``
on PATH) and says clearly what to install when none is found. One browser per process
is kept warm between exports (the first export pays the start-up, about 3-5 s; later
ones take a few hundred milliseconds) and is closed at exit.

The figure comes from the timeline panel's builder when the app provides one
(``dashboard.panels.timeline.logic``); :func:`timeline_figure` is the fallback used
otherwise: passages of the view per month, stacked by claim class.
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import threading
from typing import Mapping

import pandas as pd
import plotly.graph_objects as go

from dashboard.export.captions import describe_filters, entity_names, footer_text
from dashboard.settings import resolve

__all__ = [
    "ChromiumNotFound",
    "CLAIM_COLORS",
    "TIMELINE_FORMATS",
    "TIMELINE_SIZE_PX",
    "find_chromium",
    "timeline_frame",
    "timeline_figure",
    "render_plotly",
    "close_renderer",
]

TIMELINE_FORMATS = ("png", "svg", "pdf")
TIMELINE_SIZE_PX = (1200, 600)
CLAIM_COLORS = {"reports": "#1F77B4", "analysis": "#FF7F0E", "official": "#2CA02C", "background": "#7F7F7F"}
_MONTH_MS = 28 * 24 * 3600 * 1000  # bar width: one month, so sparse months do not make fat bars
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


def timeline_frame(view, data, time_axis: str = "event") -> pd.DataFrame:
    """Count the view's passages per month and claim class.

    Parameters
    ----------
    time_axis : {"event", "published"}
        Date passages by the events they speak of (``date_start``) or by their report's date.

    Returns
    -------
    DataFrame
        ``month`` (first day, ``YYYY-MM-01``), ``claim_class``, ``passages``; undated passages are left out.
    """
    ids = pd.Index(list(view.passage_ids))
    passages = data.passages[data.passages["passage_id"].isin(ids)]
    if time_axis in ("published", "report"):
        dates = passages[["passage_id", "doc_id", "claim_class"]].merge(
            data.documents[["doc_id", "published"]], on="doc_id", how="left")["published"]
        frame = pd.DataFrame({"date": dates.to_numpy(), "claim_class": passages["claim_class"].to_numpy()})
    else:
        frame = pd.DataFrame({"date": passages["date_start"].to_numpy(), "claim_class": passages["claim_class"].to_numpy()})
    frame = frame.dropna(subset=["date"])
    frame["month"] = frame["date"].astype(str).str.slice(0, 7) + "-01"
    counts = frame.groupby(["month", "claim_class"]).size().rename("passages").reset_index()
    return counts.sort_values(["month", "claim_class"]).reset_index(drop=True)


def timeline_figure(view, data, state: Mapping, exported=None) -> go.Figure:
    """Build the timeline figure: passages per month stacked by claim class, titled with the filters."""
    time_axis = state.get("time_axis") or "event"
    counts = timeline_frame(view, data, time_axis)
    fig = go.Figure()
    for claim, color in CLAIM_COLORS.items():
        part = counts[counts["claim_class"] == claim]
        if len(part):
            fig.add_bar(x=part["month"], y=part["passages"], name=claim, marker_color=color,
                        width=_MONTH_MS, offset=0)
    filters = describe_filters(state, entity_names(data))
    axis = "report date" if time_axis in ("published", "report") else "event date"
    fig.update_layout(
        barmode="stack", template="plotly_white", font={"family": "DejaVu Sans", "size": 13},
        title={"text": f"<b>{_plain(data.title)}</b> — passages over time<br><sup>{_plain(filters)}</sup>", "x": 0.01},
        xaxis={"title": f"month ({axis})", "type": "date"}, yaxis={"title": "passages"},
        legend={"title": {"text": "claim class"}}, margin={"t": 90, "b": 90, "l": 60, "r": 20},
        annotations=[{"text": _plain(footer_text(data.title, exported)), "xref": "paper", "yref": "paper",
                      "x": 0, "y": -0.22, "showarrow": False, "xanchor": "left", "font": {"size": 10, "color": "#555"}}],
    )
    if not len(counts):
        fig.add_annotation(text="no dated passages in this view", xref="paper", yref="paper", x=0.5, y=0.5,
                           showarrow=False, font={"size": 16, "color": "#777"})
    return fig


def _plain(text: str) -> str:
    """Escape text for Plotly's HTML-like label markup, so data shows as typed."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


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
                  size: tuple[int, int] = TIMELINE_SIZE_PX) -> bytes:
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
    opts = {"format": fmt, "width": size[0], "height": size[1], "scale": float(scale) if fmt == "png" else 1}
    return _RENDERER.render(fig, opts)


def close_renderer() -> None:
    """Close the warm browser (tests and benchmarks use it to measure a cold start)."""
    _RENDERER.close()

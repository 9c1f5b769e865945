"""Progress display and stage timings of the build, on standard error.

A tqdm bar is shown only when standard error is a terminal (so logs and tests stay clean);
stage timings are always recorded for the manifest and the closing summary.
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager

__all__ = ["Progress", "format_summary"]


class Progress:
    """Stage timer with an optional tqdm bar over the stages and the documents.

    Parameters
    ----------
    stages : list of str
        Names of the stages, in order.
    enabled : bool or None
        Show a bar; ``None`` means "when standard error is a terminal".
    stream : file
        Where the bar is drawn (standard error).
    """

    def __init__(self, stages: list[str], enabled: bool | None = None, stream=None):
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = enabled
        self.timings: dict[str, float] = {}
        self._bar = None
        self._stages = stages
        self._start = time.perf_counter()
        if enabled:
            from tqdm import tqdm

            self._bar = tqdm(total=len(stages), file=self.stream, unit="stage", leave=False, dynamic_ncols=True)

    @contextmanager
    def stage(self, name: str):
        """Time the block as stage ``name`` and advance the bar when it ends."""
        if self._bar is not None:
            self._bar.set_description(name)
        t0 = time.perf_counter()
        try:
            yield self
        finally:
            self.timings[name] = round(time.perf_counter() - t0, 3)
            if self._bar is not None:
                self._bar.update(1)

    def items(self, total: int, desc: str):
        """A nested bar for ``total`` items (documents); a no-op object when disabled."""
        if not self.enabled:
            return _NullBar()
        from tqdm import tqdm

        return tqdm(total=total, file=self.stream, desc=desc, unit="file", leave=False, position=1, dynamic_ncols=True)

    @property
    def elapsed(self) -> float:
        return round(time.perf_counter() - self._start, 3)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


class _NullBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def format_summary(counts: dict, seconds: float, dst: str) -> str:
    """The closing summary of a build, one line per fact.

    Examples
    --------
    >>> print(format_summary({"documents": 2, "passages": 5, "entities": 4, "entities_matched": 3,
    ...     "mentions": 9, "links": 6, "relations": 1, "candidates": 2}, 1.234, "out"))
    built out in 1.2 s
      documents   2
      passages    5
      entities    3 of 4 matched in the text
      mentions    9
      links       6
      relations   1
      candidates  2 unmatched names (candidates.csv)
    """
    return "\n".join(
        [
            f"built {dst} in {seconds:.1f} s",
            f"  documents   {counts['documents']}",
            f"  passages    {counts['passages']}",
            f"  entities    {counts['entities_matched']} of {counts['entities']} matched in the text",
            f"  mentions    {counts['mentions']}",
            f"  links       {counts['links']}",
            f"  relations   {counts['relations']}",
            f"  candidates  {counts['candidates']} unmatched names (candidates.csv)",
        ]
    )

"""Search box: find an entity by name or alias, with typos."""

from __future__ import annotations

from dash import dcc

__all__ = ["layout"]


def layout(data) -> dcc.Dropdown:
    """The search dropdown (options are filled as the user types)."""
    return dcc.Dropdown(id="search", options=[], placeholder="Search a name or alias…", searchable=True,
                        clearable=True, className="search-box")

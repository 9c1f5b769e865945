"""The rankings table: the view's entities and their measures, sortable and filterable (on the server)."""

from __future__ import annotations

from dash import dash_table, dcc, html

__all__ = ["layout", "PAGE_SIZE"]

PAGE_SIZE = 15


def layout(data=None) -> html.Div:
    """The rankings panel: a note line and a DataTable sorted, filtered and paged on the server
    (a view of 10,000 entities ships one page, not every row)."""
    return html.Div(
        [
            html.Div(
                [html.H6("Rankings", className="panel-title"), html.Span(id="rankings-note", className="small")],
                className="panel-head",
            ),
            dcc.Store(id="rankings-key"),
            dash_table.DataTable(
                id="rankings",
                columns=[{"name": "name", "id": "name"}],
                data=[],
                sort_action="custom",
                sort_mode="single",
                sort_by=[],
                filter_action="custom",
                filter_query="",
                filter_options={"case": "insensitive", "placeholder_text": "filter…"},
                page_action="custom",
                page_current=0,
                page_count=1,
                page_size=PAGE_SIZE,
                cell_selectable=True,
                style_table={"overflowX": "auto"},
                style_cell={"fontSize": "0.85rem", "fontFamily": "inherit", "padding": "2px 6px", "textAlign": "left",
                            "maxWidth": "220px", "overflow": "hidden", "textOverflow": "ellipsis"},
                style_header={"fontWeight": "600"},
                style_cell_conditional=[{"if": {"column_type": "numeric"}, "textAlign": "right"}],
                tooltip_delay=300,
            ),
        ],
        id="rankings-panel",
        className="panel rankings-panel",
    )

"""Wiring of the export menu: a click builds the file in memory and sends it to the browser."""

from __future__ import annotations

import logging

from dash import Input, Output, State, ctx, dcc, no_update
from dash.exceptions import PreventUpdate

from dashboard.export.formats import ChromiumNotFound
from dashboard.panels.export.logic import BUTTONS, build_download, success_message

__all__ = ["register_callbacks"]

_log = logging.getLogger(__name__)


def register_callbacks(app, data, cache) -> None:
    """Register the export callback on ``app`` (reads ``State("state", "data")``)."""

    @app.callback(
        Output("export-download", "data"),
        Output("export-status", "children"),
        [Input(button_id, "n_clicks") for button_id in BUTTONS],
        State("state", "data"),
        prevent_initial_call=True,
    )
    def export(*args):
        button_id = ctx.triggered_id
        if button_id not in BUTTONS or not ctx.triggered[0].get("value"):
            raise PreventUpdate
        try:
            result = build_download(button_id, data, cache, args[-1])
        except ChromiumNotFound as exc:
            return no_update, f"Export failed: {exc}"
        except Exception as exc:  # noqa: BLE001 - say so in the app; the traceback goes to the server log
            _log.exception("export %s failed", button_id)
            return no_update, f"Export failed ({type(exc).__name__}); the server log has the details."
        return dcc.send_bytes(result.content, result.filename, type=result.mime), success_message(result)

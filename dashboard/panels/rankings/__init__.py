"""The rankings panel: ``layout(data)`` builds its components, ``register_callbacks(app, data, cache)`` wires them.

``logic`` holds the pure functions (no Dash), ``layout`` the components, ``callbacks`` the wiring.
"""

from dashboard.panels.rankings.callbacks import register_callbacks
from dashboard.panels.rankings.layout import layout

__all__ = ["layout", "register_callbacks"]

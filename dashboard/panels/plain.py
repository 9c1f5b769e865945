"""Callback outputs as plain JSON data, so Dash's encoder takes its fast path.

Dash encodes every callback response with plotly's ``to_json_plotly``. With ``orjson``
installed (a dependency) a response of plain data (dicts, lists, strings, numbers, numpy
arrays) is encoded in one C call; a response holding a single Dash component is first copied
through a recursive Python walk of *all* its outputs (``clean_to_json_compatible``), so a legend
sent beside 1,500 graph elements made the elements cost 10 ms instead of 1. :func:`plain`
writes a component in the form the browser receives anyway (``{"type", "namespace",
"props"}``) without that walk, and :func:`plain_outputs` applies it to a callback's outputs.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

from dash.development.base_component import Component

__all__ = ["plain", "plain_top", "plain_outputs"]

_PROPS: dict[type, frozenset] = {}


def _prop_names(component: Component) -> frozenset:
    names = _PROPS.get(type(component))
    if names is None:  # one set per component class (Dash keeps the list on each instance)
        names = _PROPS[type(component)] = frozenset(component._prop_names)
    return names


def plain(value: Any) -> Any:
    """Return ``value`` with every Dash component in it replaced by its JSON form.

    The JSON form is what ``Component.to_plotly_json`` gives (the props that were set,
    wildcard ``data-*``/``aria-*`` attributes included), with children converted too.
    Lists, tuples and dicts are walked; anything else is returned as is.

    Parameters
    ----------
    value : Any
        A component, a list of children, or any callback output value.

    Returns
    -------
    Any
        A value made of dicts, lists and the original leaves.
    """
    if isinstance(value, Component):
        names = _prop_names(value)
        wildcards = tuple(value._valid_wildcard_attributes)
        props = {k: plain(v) for k, v in value.__dict__.items() if k in names or k.startswith(wildcards)}
        return {"props": props, "type": value._type, "namespace": value._namespace}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def plain_top(value: Any) -> Any:
    """:func:`plain` for one output value that holds components: a component or a list of
    children. Other outputs (graph elements, figures, table rows) are data already and are not
    walked."""
    if isinstance(value, Component):
        return plain(value)
    if isinstance(value, (list, tuple)) and value and not isinstance(value[0], dict):
        # a list of children (components, strings); a list of dicts is data (graph elements,
        # table rows, or children already in JSON form) and is not scanned: were a component
        # hidden in one, the encoder's own slow path would still write it correctly
        if any(isinstance(v, Component) for v in value):
            return plain(value)
    return value


def plain_outputs(func: Callable) -> Callable:
    """Decorate a callback so that the components among its outputs leave as plain data.

    Put it under ``@app.callback`` of a server callback that is not part of the state wave
    (:mod:`dashboard.wave` converts the panels' state callbacks' outputs itself). A
    multi-output callback's tuple is converted output by output; ``no_update`` and data
    outputs pass unchanged.
    """

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        out = func(*args, **kwargs)
        if isinstance(out, tuple):
            return tuple(plain_top(v) for v in out)
        return plain_top(out)

    return wrapper

"""A layout wrapper whose children are mounted in the browser once the graph has drawn its first
frame (``AfterGraph``), so the other panels do not compete with the graph on a cold page.

The browser side is ``window.khazali.AfterGraph`` in ``assets/khazali.js``: it renders an empty
``display: contents`` box until the graph's Cytoscape instance has drawn (or a few seconds have
passed without a graph), then its children. The children are in the page layout from the start:
Dash runs their callbacks and keeps their properties as for any component; only their drawing
waits. Server-side code sees an ordinary ``children`` property.
"""

from __future__ import annotations

from dash.development.base_component import Component

__all__ = ["AfterGraph"]


class AfterGraph(Component):
    """Children drawn after the graph's first frame (see the module docstring).

    Parameters
    ----------
    children : component or list of components
        What to draw once the graph has drawn.
    id : str, optional
        Id of the wrapper.
    """

    _children_props: list[str] = []
    _base_nodes = ["children"]
    _namespace = "khazali"
    _type = "AfterGraph"

    def __init__(self, children=None, id=None, **kwargs):  # noqa: A002 - Dash's property name
        self._prop_names = ["children", "id"]
        self._valid_wildcard_attributes = []
        self.available_properties = ["children", "id"]
        self.available_wildcard_properties = []
        args = {"id": id} if id is not None else {}
        super().__init__(children=children, **args, **kwargs)

"""One server request per state change: the panels' state callbacks answered together.

Every panel reads the state store (``Input("state", "data")``) and has its own thin callback.
Registered as they are written, a state change makes the browser send one request per panel
(8 on a filter change, 9 on a selection). On one server process those requests share the
interpreter lock: their work adds up anyway, and each request also pays HTTP and Dash
dispatch (~2 ms of CPU here) and waits for the lock after each socket read and write while
the others compute. :class:`StateWave` collects those callbacks while the panels register and
registers them as **one** Dash callback: the union of their outputs, inputs and states, whose
function calls each panel's own function with its own arguments, in registration order, and
concatenates their answers. Panels are written and tested exactly as before; each still
returns ``no_update`` for what did not change (their keys), so a trigger that concerns one
panel (a rankings page, the re-layout button) costs the others a key comparison.

What is collected: a server callback with ``Input("state", "data")`` among its inputs, given as
positional ``Output``/``Input``/``State`` arguments, with no keyword argument (so no
``prevent_initial_call``) and no ``allow_duplicate`` output. Anything else (callbacks that
write the state, clientside callbacks) is registered on the app as usual. A panel's ``State``
that another panel takes as an ``Input`` becomes an input of the combined callback (its value
is the same; that panel's key check answers ``no_update`` when it alone changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from dash import Input, Output, State

from dashboard.panels.plain import plain_top

__all__ = ["StateWave", "STATE_INPUT"]

STATE_INPUT = ("state", "data")


def _key(dep) -> tuple[str, str]:
    return (dep.component_id, dep.component_property)


@dataclass
class _Part:
    name: str
    outputs: list[Output]
    inputs: list[Input]
    states: list[State]
    func: Callable


class StateWave:
    """A stand-in for the Dash app while panels register their callbacks.

    Attribute access goes to the app, except ``callback``, which keeps the state callbacks
    (see the module docstring) for :meth:`register`.

    Parameters
    ----------
    app : dash.Dash
        The app the other callbacks, and finally the combined one, are registered on.
    """

    def __init__(self, app):
        self._app = app
        self.parts: list[_Part] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._app, name)

    def callback(self, *args, **kwargs):
        """``app.callback``, keeping the state callbacks for :meth:`register`."""
        if kwargs or not args or not self._collectable(args):
            return self._app.callback(*args, **kwargs)
        outputs = [a for a in args if isinstance(a, Output)]
        inputs = [a for a in args if isinstance(a, Input)]
        states = [a for a in args if isinstance(a, State)]

        def keep(func: Callable) -> Callable:
            self.parts.append(_Part(func.__qualname__, outputs, inputs, states, func))
            return func

        return keep

    @staticmethod
    def _collectable(args: tuple) -> bool:
        if not all(isinstance(a, (Output, Input, State)) for a in args):
            return False  # lists, ClientsideFunction, keyword-style dependencies: left to Dash
        if any(isinstance(a, Output) and a.allow_duplicate for a in args):
            return False
        return any(isinstance(a, Input) and _key(a) == STATE_INPUT for a in args)

    def register(self) -> int:
        """Register the kept callbacks on the app as one; return how many it combines."""
        if not self.parts:
            return 0
        parts = self.parts
        outputs = [o for p in parts for o in p.outputs]
        seen_out = [_key(o) for o in outputs]
        if len(set(seen_out)) != len(seen_out):
            raise ValueError(f"two panels write the same output: {sorted(k for k in seen_out if seen_out.count(k) > 1)}")
        inputs: dict[tuple, Input] = {}
        states: dict[tuple, State] = {}
        for p in parts:
            for i in p.inputs:
                inputs.setdefault(_key(i), i)
        for p in parts:
            for s in p.states:
                if _key(s) not in inputs:
                    states.setdefault(_key(s), s)
        in_keys, st_keys = list(inputs), list(states)
        position = {k: n for n, k in enumerate(in_keys + st_keys)}
        plans = [([position[_key(d)] for d in p.inputs + p.states], len(p.outputs), p.func) for p in parts]

        def state_wave(*values):
            answers: list = []
            for where, n_out, func in plans:
                out = func(*(values[i] for i in where))
                if n_out == 1:
                    out = (out,)
                answers.extend(plain_top(v) for v in out)
            return tuple(answers)

        state_wave.__doc__ = "The panels' state callbacks, as one: " + ", ".join(p.name for p in parts)
        self._app.callback(*outputs, *(inputs[k] for k in in_keys), *(states[k] for k in st_keys))(state_wave)
        return len(parts)

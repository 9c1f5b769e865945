"""Build ``/_dash-update-component`` request bodies from the app's ``/_dash-dependencies``."""

from __future__ import annotations

import json

__all__ = ["parse_output", "body_for", "find"]


def _split_id(text: str):
    """'graph.elements' -> ('graph', 'elements'); a JSON (pattern-matching) id is kept as a dict."""
    text = text.split("@", 1)[0]
    cid, _, prop = text.rpartition(".")
    return (json.loads(cid) if cid.startswith("{") else cid), prop


def parse_output(output: str):
    """The ``outputs`` field Dash expects: a dict for one output, a list for several."""
    if output.startswith("..") and output.endswith(".."):
        parts = output[2:-2].split("...")
        return [dict(zip(("id", "property"), _split_id(p))) for p in parts]
    cid, prop = _split_id(output)
    return {"id": cid, "property": prop}


def body_for(dep: dict, inputs: list | None = None, state: list | None = None, changed: int = 0) -> dict:
    """A request body for dependency ``dep`` with the given input/state values (None by default)."""
    inputs = inputs if inputs is not None else [None] * len(dep["inputs"])
    state = state if state is not None else [None] * len(dep["state"])

    def items(specs, values):
        return [{"id": s["id"] if not s["id"].startswith("{") else json.loads(s["id"]), "property": s["property"],
                 "value": v} for s, v in zip(specs, values)]

    ins = items(dep["inputs"], inputs)
    first = dep["inputs"][changed] if dep["inputs"] else None
    return {
        "output": dep["output"],
        "outputs": parse_output(dep["output"]),
        "inputs": ins,
        "state": items(dep["state"], state),
        "changedPropIds": [f"{first['id']}.{first['property']}"] if first else [],
    }


def find(deps: list[dict], output_part: str) -> dict:
    """The first dependency whose output string contains ``output_part``."""
    return next(d for d in deps if output_part in d["output"])

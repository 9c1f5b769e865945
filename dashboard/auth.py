"""Access control and request hygiene for a served app: basic auth, body cap, callback envelope check.

Basic auth (through dash-auth) is switched on when both settings ``auth_user`` and
``auth_password`` are set (environment ``KHAZALI_AUTH_USER`` / ``KHAZALI_AUTH_PASSWORD``);
then every request, the callbacks included, must carry the credentials. Setting only one of
the two is an error rather than a silently open app. Basic auth sends the password with
every request: put the app behind HTTPS (a reverse proxy) when it leaves the machine.

The body of a request is capped by ``max_request_kb`` (Flask ``MAX_CONTENT_LENGTH``), so a
forged callback request with a huge payload gets ``413`` before it is parsed.

:func:`guard_callbacks` checks the envelope of every ``/_dash-update-component`` request
before Dash dispatches it: JSON that parses (not nested past Python's recursion limit), an
``output`` that names a server-side callback, and ``inputs``/``state`` lists of the declared
length whose items carry ``id`` and ``property``. A forged envelope gets ``400`` instead of
an exception inside Dash (``500``). The value of the state store is normalized on the way in
(:func:`normalize_state_items`); other values are the callbacks' business.
"""

from __future__ import annotations

import hmac

from dashboard.errors import InputError, Problem
from dashboard.settings import env_name

__all__ = ["install_auth", "limit_requests", "guard_callbacks", "check_envelope", "normalize_state_items"]


def install_auth(app, user: str, password: str) -> bool:
    """Require HTTP basic auth on ``app`` when both ``user`` and ``password`` are set.

    Returns
    -------
    bool
        Whether auth was switched on.

    Raises
    ------
    InputError
        When only one of the two is set.
    """
    if not user and not password:
        return False
    if not (user and password):
        missing = "auth_password" if user else "auth_user"
        raise InputError(
            Problem(env_name(missing), f"basic auth needs both {env_name('auth_user')} and "
                    f"{env_name('auth_password')}; {env_name(missing)} is not set")
        )
    import dash_auth

    def check(username: str, supplied: str) -> bool:
        # compare in constant time, both fields always
        ok_user = hmac.compare_digest(str(username).encode(), user.encode())
        ok_pass = hmac.compare_digest(str(supplied).encode(), password.encode())
        return ok_user and ok_pass

    dash_auth.BasicAuth(app, auth_func=check)
    return True


def limit_requests(server, max_kb: int) -> None:
    """Cap request bodies of the Flask ``server`` at ``max_kb`` kilobytes (413 above it)."""
    server.config["MAX_CONTENT_LENGTH"] = int(max_kb) * 1024


def _is_item(item) -> bool:
    return isinstance(item, dict) and "id" in item and isinstance(item.get("property"), str)


def _items_ok(items, declared: list) -> bool:
    if not isinstance(items, list) or len(items) != len(declared):
        return False
    for item, spec in zip(items, declared):
        spec_id = str(spec.get("id", "")) if isinstance(spec, dict) else ""
        if '["ALL' in spec_id:  # a pattern-matching ALL/ALLSMALLER dependency sends a list of items
            if not isinstance(item, list) or not all(_is_item(i) for i in item):
                return False
        elif not _is_item(item):
            return False
    return True


def check_envelope(body, callback_map: dict) -> str | None:
    """Return what is wrong with a callback request body, or ``None`` when Dash can dispatch it.

    Examples
    --------
    >>> check_envelope([], {})
    'the body must be a JSON object'
    >>> cm = {"a.children": {"callback": len, "inputs": [{"id": "b", "property": "value"}], "state": []}}
    >>> check_envelope({"output": "a.children", "outputs": {"id": "a", "property": "children"},
    ...                 "inputs": [{"id": "b", "property": "value", "value": 1}]}, cm) is None
    True
    """
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map or "callback" not in callback_map[output]:
        return "'output' does not name a server-side callback"
    spec = callback_map[output]
    outputs = body.get("outputs")
    n_outputs = len(output[2:-2].split("...")) if output.startswith("..") else 1
    group = outputs if isinstance(outputs, list) and n_outputs > 1 else [outputs]
    if len(group) != n_outputs or not all(
        _is_item(o) or (isinstance(o, list) and all(_is_item(i) for i in o)) for o in group
    ):
        return "'outputs' must describe the callback's outputs"
    if n_outputs == 1 and not output.startswith("{") and not _is_item(outputs):
        # one plain output is one item: a list would make Dash expect a list back and fail
        return "'outputs' must describe the callback's output"
    if not _items_ok(body.get("inputs"), spec.get("inputs", [])):
        return "'inputs' must list the callback's inputs, each with id and property"
    if not _items_ok(body.get("state", []), spec.get("state", [])):
        return "'state' must list the callback's state, each with id and property"
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return "'changedPropIds' must be a list of strings"
    return None


def guard_callbacks(app) -> None:
    """Answer malformed ``/_dash-update-component`` requests with 400 before Dash dispatches them."""
    import flask

    path = app.config.requests_pathname_prefix.rstrip("/") + "/_dash-update-component"
    routes = {path, app.config.routes_pathname_prefix.rstrip("/") + "/_dash-update-component"}

    @app.server.before_request
    def _check_callback_request():
        request = flask.request
        if request.method != "POST" or request.path not in routes:
            return None
        try:
            body = request.get_json(force=True, silent=False)
        except RecursionError:
            return flask.jsonify(error="the JSON body is nested too deeply"), 400
        except Exception as exc:  # noqa: BLE001 - werkzeug raises BadRequest/UnicodeDecodeError/...
            if getattr(exc, "code", None) == 413:
                raise
            return flask.jsonify(error="the body is not valid JSON"), 400
        problem = check_envelope(body, app.callback_map)
        if problem:
            return flask.jsonify(error=problem), 400
        normalize_state_items(body)
        return None


def normalize_state_items(body: dict) -> None:
    """Replace, in place, every ``state.data`` value of a checked body by its normalized form.

    The state store is the one place the browser holds the app's state; whatever a forged
    request puts there reaches the callbacks as a valid state (:func:`dashboard.state.normalize_state`).
    Dash reads the same parsed body afterwards (Flask caches it).
    """
    from dashboard.state import normalize_state

    for key in ("inputs", "state"):
        for item in body.get(key, []):
            if isinstance(item, dict) and item.get("id") == "state" and item.get("property") == "data":
                item["value"] = normalize_state(item.get("value"))

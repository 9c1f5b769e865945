"""Optional HTTP basic auth and request-size limits for a served app.

Basic auth (through dash-auth) is switched on when both settings ``auth_user`` and
``auth_password`` are set (environment ``KHAZALI_AUTH_USER`` / ``KHAZALI_AUTH_PASSWORD``);
then every request, the callbacks included, must carry the credentials. Setting only one of
the two is an error rather than a silently open app. Basic auth sends the password with
every request: put the app behind HTTPS (a reverse proxy) when it leaves the machine.

The body of a request is capped by ``max_request_kb`` (Flask ``MAX_CONTENT_LENGTH``), so a
forged callback request with a huge payload gets ``413`` before it is parsed.
"""

from __future__ import annotations

import hmac

from dashboard.errors import InputError, Problem
from dashboard.settings import env_name

__all__ = ["install_auth", "limit_requests"]


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

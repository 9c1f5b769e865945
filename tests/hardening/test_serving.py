"""Safe serving defaults: loopback, debug off, optional basic auth, capped requests, exports from memory."""

from __future__ import annotations

import base64
import json
import importlib.util
import logging
import re
from pathlib import Path

import dash
import pytest

from dashboard.errors import InputError
from dashboard.web import create_app
from tests.analysis.tinydata import tiny_tables, write_tiny
from tests.hardening.dashreq import body_for, find

ROOT = Path(__file__).resolve().parents[2]


def _load_app_module():
    spec = importlib.util.spec_from_file_location("khazali_app_py", ROOT / "app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def served(monkeypatch, tmp_path):
    """Run app.py's main() with Dash.run replaced by a recorder; returns (run(argv) -> kwargs)."""
    for name in ("HOST", "PORT", "DEBUG", "AUTH_USER", "AUTH_PASSWORD", "DATA_DIR", "ACCESS_LOG"):
        monkeypatch.delenv(f"KHAZALI_{name}", raising=False)
    folder = write_tiny(tmp_path / "ds")
    calls = []
    monkeypatch.setattr(dash.Dash, "run", lambda self, **kw: calls.append(kw))
    module = _load_app_module()

    def run(argv):
        calls.clear()
        assert module.main(["--data", str(folder), *argv]) == 0
        return calls[-1]

    return run


def test_binds_loopback_with_debug_off_by_default(served):
    kw = served([])
    assert kw["host"] == "127.0.0.1" and kw["debug"] is False


def test_host_only_when_asked_and_then_warns(served, capsys):
    kw = served(["--host", "0.0.0.0"])
    assert kw["host"] == "0.0.0.0" and kw["debug"] is False
    assert "anyone on the network can reach the app" in capsys.readouterr().err


def test_debug_only_when_asked(served, monkeypatch):
    assert served(["--debug"])["debug"] is True
    monkeypatch.setenv("KHAZALI_DEBUG", "1")
    assert served([])["debug"] is True


@pytest.fixture
def werkzeug_log():
    logger = logging.getLogger("werkzeug")
    before = logger.level
    logger.setLevel(logging.NOTSET)
    yield logger
    logger.setLevel(before)


def test_no_access_log_by_default(served, werkzeug_log):
    served([])
    assert not werkzeug_log.isEnabledFor(logging.INFO)  # no line per request
    assert werkzeug_log.isEnabledFor(logging.WARNING)  # errors still show


@pytest.mark.parametrize("how", ["env", "debug"])
def test_access_log_when_asked_or_debugging(served, werkzeug_log, monkeypatch, how):
    if how == "env":
        monkeypatch.setenv("KHAZALI_ACCESS_LOG", "1")
    served(["--debug"] if how == "debug" else [])
    assert werkzeug_log.level <= logging.INFO  # left to werkzeug, which logs requests at INFO


def test_gunicorn_target_binds_loopback_by_default():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    serve = makefile.split("\nserve:", 1)[1].split("\n\n", 1)[0]
    assert "--bind $${KHAZALI_HOST:-127.0.0.1}" in serve


# ----------------------------------------------------------------------------- basic auth
def _auth(user, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.fixture(scope="module")
def tiny():
    return tiny_tables()


def test_no_auth_without_credentials(tiny, monkeypatch):
    monkeypatch.delenv("KHAZALI_AUTH_USER", raising=False)
    monkeypatch.delenv("KHAZALI_AUTH_PASSWORD", raising=False)
    assert create_app(tiny).server.test_client().get("/").status_code == 200


def test_basic_auth_from_environment(tiny, monkeypatch):
    monkeypatch.setenv("KHAZALI_AUTH_USER", "analyst")
    monkeypatch.setenv("KHAZALI_AUTH_PASSWORD", "s3cret pass")
    app = create_app(tiny)
    client = app.server.test_client()
    assert client.get("/").status_code == 401
    assert client.get("/", headers=_auth("analyst", "wrong")).status_code == 401
    assert client.get("/", headers=_auth("someone", "s3cret pass")).status_code == 401
    assert client.get("/", headers=_auth("analyst", "s3cret pass")).status_code == 200
    # the data endpoints are behind the same door
    assert client.get("/_dash-layout").status_code == 401
    assert client.get("/_dash-dependencies").status_code == 401
    deps = client.get("/_dash-dependencies", headers=_auth("analyst", "s3cret pass")).get_json()
    dep = find(deps, "stats.children")
    body = body_for(dep, inputs=[{}] + [None] * (len(dep["inputs"]) - 1))
    assert client.post("/_dash-update-component", json=body).status_code == 401
    ok = client.post("/_dash-update-component", json=body, headers=_auth("analyst", "s3cret pass"))
    assert ok.status_code == 200 and "stats" in ok.get_json()["response"]


@pytest.mark.parametrize("env", [{"KHAZALI_AUTH_USER": "analyst"}, {"KHAZALI_AUTH_PASSWORD": "pw"}])
def test_half_configured_auth_refuses_to_serve(tiny, monkeypatch, env):
    monkeypatch.delenv("KHAZALI_AUTH_USER", raising=False)
    monkeypatch.delenv("KHAZALI_AUTH_PASSWORD", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(InputError, match="needs both KHAZALI_AUTH_USER and KHAZALI_AUTH_PASSWORD"):
        create_app(tiny)


def test_half_configured_auth_in_app_py_is_one_line_exit_2(zygote, tmp_path):
    folder = write_tiny(tmp_path / "ds")
    result = zygote.run(["--data", str(folder)], script="app.py", env={"KHAZALI_AUTH_USER": "analyst"}, timeout=60)
    assert result.returncode == 2 and not result.timed_out and "Traceback" not in result.output
    assert result.stderr.startswith("error: KHAZALI_AUTH_PASSWORD: basic auth needs both")


# ----------------------------------------------------------------------------- request size
def test_request_body_is_capped(tiny):
    client = create_app(tiny, max_request_kb=64).server.test_client()
    big = b'{"output": "stats.children", "inputs": [' + b'1,' * 40_000 + b'1]}'
    response = client.post("/_dash-update-component", data=big, content_type="application/json")
    assert response.status_code == 413
    assert client.get("/").status_code == 200


def test_a_single_output_sent_as_a_list_is_refused_not_a_server_error(tiny):
    """A forged envelope giving a one-output callback a list of outputs gets 400, not a 500 from Dash."""
    app = create_app(tiny)
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    single = [d for d in deps if not d["output"].startswith("..") and not d["output"].startswith("{")
              and not d.get("clientside_function")]
    assert single
    for dep in single:
        body = body_for(dep)
        body["outputs"] = [body["outputs"]]
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 400, dep["output"]
        assert "outputs" in response.get_json()["error"]


def test_default_cap_is_set(tiny):
    assert create_app(tiny).server.config["MAX_CONTENT_LENGTH"] == 1024 * 1024


# ----------------------------------------------------------------------------- exports
CALLBACKS = sorted((ROOT / "dashboard" / "panels").glob("*/callbacks.py"))


def test_downloads_are_sent_from_memory():
    """Every callback module that feeds a dcc.Download uses dcc.send_bytes/send_string, never a server path."""
    senders = []
    for path in CALLBACKS:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"send_file|send_from_directory|send_data_frame\(.*path", text), path
        assert not re.search(r"\bopen\(|\.read_bytes\(|\.read_text\(", text), f"{path} reads files in a callback"
        if re.search(r"dcc\.send_(bytes|string)\(", text):
            senders.append(path.parent.name)
    assert "export" in senders


def test_export_names_no_server_path_from_the_request(tiny):
    """A forged state full of path tricks still gets an in-memory file with a harmless name."""
    client = create_app(tiny).server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    dep = find(deps, "export-download.data")
    names = [i["id"] for i in dep["inputs"]]
    i = names.index("export-evidence-csv")
    values = [None] * len(names)
    values[i] = 1
    state = {"orgs": ["../../../../etc/passwd"], "q": "/etc/passwd", "entity": "../../etc/shadow",
             "start": "/dev/zero", "sel": "file:///etc/passwd"}
    body = body_for(dep, inputs=values, state=[state], changed=i)
    response = client.post("/_dash-update-component", json=body)
    assert response.status_code == 200, response.data[:300]
    data = response.get_json()["response"]["export-download"]["data"]
    assert data["base64"] is True and base64.b64decode(data["content"])
    assert "/" not in data["filename"] and ".." not in data["filename"] and "passwd" not in data["filename"]
    assert b"root:" not in base64.b64decode(data["content"])


@pytest.mark.parametrize("input_id, value", [("time-axis", 2**70), ("time-axis", "sideways"),
                                             ("excerpts-pages", 2**70)])
def test_forged_values_never_reach_the_state(tiny, input_id, value):
    """Values a control cannot hold are not written into the state: a number beyond 64 bits
    could not even be encoded (orjson), and the request would fail with a 500."""
    app = create_app(tiny)
    client = app.server.test_client()
    deps = client.get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["output"].startswith("state.data") and [i["id"] for i in d["inputs"]] == [input_id])
    response = client.post("/_dash-update-component", json=body_for(dep, [value], [{"page": 1, "time_axis": "event"}]))
    assert response.status_code in (200, 204)
    if response.status_code == 200:
        written = json.dumps(response.get_json())
        assert str(2**70) not in written and "sideways" not in written

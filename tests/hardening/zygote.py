"""Fork server for the hardening suite: import the package once, then fork one child per CLI run.

Protocol (one JSON object per line): the parent writes ``{"args", "stdout", "stderr", "timeout"}``
(optionally ``"script"``, e.g. ``app.py``, and ``"env"``) on stdin; the zygote forks a child that
points its stdout/stderr at those files and runs ``dashboard/__main__.py`` exactly as
``python -m dashboard ARGS`` would (or ``python SCRIPT ARGS``) (an uncaught exception
prints its traceback and exits 1, like the interpreter). The zygote replies
``{"code", "peak_rss", "timed_out"}`` once the child has exited.
"""

from __future__ import annotations

import io
import json
import os
import runpy
import sys
import time
import traceback

sys.path.insert(0, os.getcwd())

import dashboard.commands.export  # noqa: E402,F401  (import everything the CLI needs, once)
import dashboard.commands.build  # noqa: E402,F401
import dashboard.ingest.build  # noqa: E402,F401
import dashboard.web  # noqa: E402,F401  (app.py)


def warm_up() -> None:
    """Build the base corpus once, so lazy imports and compiled regexes (spaCy's tokenizer) are inherited."""
    import tempfile
    from pathlib import Path

    from tests.hardening.kit import write_base_corpus

    with tempfile.TemporaryDirectory() as tmp:
        src = write_base_corpus(Path(tmp) / "corpus")
        dashboard.ingest.build.build(src, Path(tmp) / "out")


def child(request: dict) -> None:
    for fd, path in ((1, request["stdout"]), (2, request["stderr"])):
        target = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(target, fd)
        os.close(target)
    sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", closefd=False), encoding="utf-8", line_buffering=True)
    sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", closefd=False), encoding="utf-8", line_buffering=True)
    os.environ.update(request.get("env") or {})
    script = request.get("script")
    sys.argv = [script or "python -m dashboard", *request["args"]]
    code = 0
    try:
        if script:
            runpy.run_path(script, run_name="__main__")
        else:
            runpy.run_module("dashboard", run_name="__main__", alter_sys=True)
    except SystemExit as exc:
        if exc.code is None:
            code = 0
        elif isinstance(exc.code, int):
            code = exc.code
        else:
            print(exc.code, file=sys.stderr)
            code = 1
    except BaseException:  # noqa: BLE001 - report like the interpreter does
        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def main() -> None:
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    warm_up()
    print("ready", file=proto, flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            proto.close()
            child(request)
        deadline = time.monotonic() + float(request.get("timeout", 120))
        timed_out = False
        while True:
            done, status, usage = os.wait4(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline and not timed_out:
                os.kill(pid, 9)
                timed_out = True
            time.sleep(0.005)
        reply = {"code": os.waitstatus_to_exitcode(status), "peak_rss": usage.ru_maxrss * 1024, "timed_out": timed_out}
        print(json.dumps(reply), file=proto, flush=True)


if __name__ == "__main__":
    main()

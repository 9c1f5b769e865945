"""Helpers of the hardening suite: a small valid corpus, folder hashes, and the CLI in a child process.

The base corpus is written by :func:`write_base_corpus` (four entities, two relations, three
documents) so malformed variants can be derived from it without touching the shared fixtures.

:func:`run_cli` runs ``python -m dashboard ARGS`` in a child process and returns its exit
code, output and peak resident memory. By default the child is forked from a *zygote*
(:mod:`tests.hardening.zygote`) that has already imported the package, which saves the ~3 s
of imports per run; the child still executes the real ``dashboard/__main__.py`` with its own
``sys.argv``, file descriptors and exit status. ``real=True`` (or the environment variable
``KHAZALI_HARDENING_REAL_CLI=1`` for every call) spawns a fresh interpreter instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ROOT", "CliResult", "Zygote", "run_real", "write_base_corpus", "hash_tree", "ENTITIES", "RELATIONS"]

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable

ENTITIES = """entity_id,name,type,aliases,affiliations,description
qais-al-khazali,Qais al-Khazali,person,Qayis al-Khazali;Qais Khazali,aah,Founder of the group.
aah,Asa'ib Ahl al-Haq,organization,AAH;League of the Righteous,,Iraqi Shia militia.
hajj-yusif,Hajj Yusif,person,Hajji Yusif,,Qods Force handler.
basra,Basra,place,Basrah,,Southern Iraqi city.
"""

RELATIONS = """source,target,relation,doc_id,passage,claim_class
qais-al-khazali,aah,leads,report-one,1,
qais-al-khazali,hajj-yusif,handled_by,report-one,2,reports
"""

REPORT_ONE = """---
title: Report one
publisher: Test Publisher
url: https://example.org/report-one
published: 2018-08-30
kind: article
claim_class: reports
---

# Heading

<!-- date: 2003-06; claim: reports -->
Qais al-Khazali said Asa'ib Ahl al-Haq grew out of his movement in June 2003.

<!-- date: 2005..2006 -->
Qais Khazali told his interrogators that Hajj Yusif handled the requests.

AAH men were seen in Basra on 20 March 2007.
"""

NOTES = """Background notes on Basrah and the League of the Righteous in 2006.

Hajji Yusif is named once more here, between 2004 and 2006.
"""

ANALYSIS = """---
title: Analysis
claim_class: analysis
---

Analysts infer that Qayis al-Khazali answered to Hajj Yusif.
"""


def write_base_corpus(root: Path) -> Path:
    """Write the small valid corpus into ``root`` (created) and return it."""
    root = Path(root)
    (root / "documents").mkdir(parents=True, exist_ok=True)
    (root / "entities.csv").write_text(ENTITIES, encoding="utf-8")
    (root / "relations.csv").write_text(RELATIONS, encoding="utf-8")
    (root / "dataset.yml").write_text("title: Hardening base\ndescription: small valid corpus\n", encoding="utf-8")
    (root / "documents" / "report-one.md").write_text(REPORT_ONE, encoding="utf-8")
    (root / "documents" / "notes.txt").write_text(NOTES, encoding="utf-8")
    (root / "documents" / "analysis.md").write_text(ANALYSIS, encoding="utf-8")
    return root


def hash_tree(folder: Path) -> dict[str, str]:
    """Map every file under ``folder`` (relative path) to the SHA-256 of its bytes; {} if absent."""
    folder = Path(folder)
    if not folder.exists():
        return {}
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            out[path.relative_to(folder).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@dataclass
class CliResult:
    """Outcome of one CLI run in a child process."""

    returncode: int
    stdout: str
    stderr: str
    peak_rss: int  # bytes, the child's peak resident set size
    seconds: float
    timed_out: bool = False

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def _wait(pid: int, timeout: float) -> tuple[int, int, bool]:
    """Wait for ``pid`` (killing it after ``timeout``); return (exit code, peak RSS bytes, timed out)."""
    deadline = time.monotonic() + timeout
    timed_out = False
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), usage.ru_maxrss * 1024, timed_out
        if time.monotonic() > deadline and not timed_out:
            os.kill(pid, 9)
            timed_out = True
        time.sleep(0.01)


def run_real(args: list[str], timeout: float = 120, env: dict | None = None, script: str | None = None) -> CliResult:
    """Run ``python -m dashboard ARGS`` (or ``python SCRIPT ARGS``) in a fresh interpreter (cwd: the repository root)."""
    start = time.monotonic()
    command = [PYTHON, script, *args] if script else [PYTHON, "-m", "dashboard", *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err,
                                env={**os.environ, **(env or {})})
        code, rss, timed_out = _wait(proc.pid, timeout)
        proc.returncode = code  # reaped by wait4; keep Popen from waiting again
        out.seek(0), err.seek(0)
        return CliResult(code, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                         rss, time.monotonic() - start, timed_out)


class Zygote:
    """A child interpreter that has imported the package and forks one grandchild per CLI run."""

    def __init__(self):
        self.proc = subprocess.Popen([PYTHON, str(Path(__file__).with_name("zygote.py"))], cwd=ROOT,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        ready = self.proc.stdout.readline()
        if ready.strip() != "ready":
            raise RuntimeError(f"zygote did not start: {ready!r}")

    def run(self, args: list[str], timeout: float = 120, script: str | None = None,
            env: dict | None = None) -> CliResult:
        """Run ``python -m dashboard ARGS`` (or ``python SCRIPT ARGS``) in a forked child."""
        if os.environ.get("KHAZALI_HARDENING_REAL_CLI") == "1":
            return run_real(args, timeout, env=env, script=script)
        with tempfile.TemporaryDirectory() as tmp:
            out, err = Path(tmp, "out"), Path(tmp, "err")
            start = time.monotonic()
            self.proc.stdin.write(json.dumps({"args": args, "stdout": str(out), "stderr": str(err),
                                              "timeout": timeout, "script": script, "env": env or {}}) + "\n")
            reply = json.loads(self.proc.stdout.readline())
            return CliResult(reply["code"], out.read_text("utf-8", "replace"), err.read_text("utf-8", "replace"),
                             reply["peak_rss"], time.monotonic() - start, reply["timed_out"])

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

"""``python app.py --data X`` with a bad X: one clear line per problem, exit 2, no traceback, no server.

Each case damages a copy of a good build, then runs app.py in a child process (forked from the
zygote, one case in a fresh interpreter). A case that wrongly starts the server would run until
the timeout, which the test reports as a hang.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from dashboard.tables import write_table
from tests.hardening.kit import run_real


def _null_entity_id(d: Path) -> None:
    ents = pd.read_parquet(d / "entities.parquet")
    ents.loc[0, "entity_id"] = None
    write_table(ents, "entities", d)


def _garbage_dates(d: Path) -> None:
    passages = pd.read_parquet(d / "passages.parquet")
    passages["date_start"] = "last Tuesday"
    write_table(passages, "passages", d)


# (id, damage(folder) -> path given to --data, file named by the message, words)
CASES = [
    ("missing-folder", lambda d: d.parent / "nowhere", None, "no such dataset folder"),
    ("folder-is-a-file", lambda d: (shutil.rmtree(d), d.write_text("x"), d)[-1], None, "no such dataset folder"),
    ("empty-folder", lambda d: ([p.unlink() for p in d.iterdir()], d)[-1], "entities.parquet", "is missing"),
    ("partial-table-deleted", lambda d: ((d / "links.parquet").unlink(), d)[-1], "links.parquet", "is missing"),
    ("corrupt-garbage-parquet", lambda d: ((d / "passages.parquet").write_bytes(b"PAR1 garbage PAR1"), d)[-1],
     "passages.parquet", "cannot read Parquet"),
    ("corrupt-truncated-parquet",
     lambda d: ((d / "entities.parquet").write_bytes((d / "entities.parquet").read_bytes()[:100]), d)[-1],
     "entities.parquet", "cannot read Parquet"),
    ("wrong-schema-swapped-tables", lambda d: (shutil.copy(d / "links.parquet", d / "entities.parquet"), d)[-1],
     "entities.parquet", "missing columns"),
    ("wrong-values-null-id", lambda d: (_null_entity_id(d), d)[-1], "entities.parquet", "have no value"),
    ("wrong-values-dates", lambda d: (_garbage_dates(d), d)[-1], "passages.parquet", "are not YYYY-MM-DD dates"),
    ("manifest-not-json", lambda d: ((d / "manifest.json").write_text("{nope", encoding="utf-8"), d)[-1],
     "manifest.json", "not valid JSON"),
    ("manifest-not-an-object", lambda d: ((d / "manifest.json").write_text("[]", encoding="utf-8"), d)[-1],
     "manifest.json", "expected a JSON object"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_app_refuses_bad_data(case, zygote, prebuilt):
    _, damage, file, words = case
    target = damage(prebuilt)
    result = zygote.run(["--data", str(target), "--port", "0"], script="app.py", timeout=60)
    assert not result.timed_out, "the app started (or hung) on bad data"
    assert result.returncode == 2, result.output
    assert "Traceback" not in result.output, result.output
    lines = result.stderr.strip().splitlines()
    assert lines and all(ln.startswith("error: ") for ln in lines), result.stderr
    place = str(target / file) if file else str(target)
    assert any(ln.startswith(f"error: {place}") and words in ln for ln in lines), result.stderr


@pytest.mark.parametrize(
    ("args", "env", "words"),
    [
        (["--port", "eighty"], {}, "invalid int value"),
        ([], {"KHAZALI_PORT": "eighty"}, "KHAZALI_PORT"),
        ([], {"KHAZALI_DEBUG": "perhaps"}, "KHAZALI_DEBUG"),
    ],
    ids=["port-argument", "port-env", "debug-env"],
)
def test_app_refuses_bad_settings(zygote, args, env, words):
    result = zygote.run(args, script="app.py", env=env, timeout=60)
    assert result.returncode == 2 and not result.timed_out, result.output
    assert "Traceback" not in result.output and words in result.stderr, result.output


def test_app_in_a_fresh_interpreter(prebuilt):
    (prebuilt / "evidence.parquet").write_bytes(b"\x00" * 64)
    result = run_real(["--data", str(prebuilt)], script="app.py", timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.output, result.output
    assert f"error: {prebuilt / 'evidence.parquet'}: cannot read Parquet" in result.stderr

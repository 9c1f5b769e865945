"""Fixtures of the hardening suite: the CLI zygote and a pre-built output folder of the base corpus."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.hardening.kit import Zygote, write_base_corpus


@pytest.fixture(scope="session")
def zygote():
    z = Zygote()
    yield z
    z.close()


@pytest.fixture(scope="session")
def base_built(tmp_path_factory, zygote) -> Path:
    """The base corpus built by the CLI once per session (read-only template)."""
    root = tmp_path_factory.mktemp("base")
    src = write_base_corpus(root / "corpus")
    out = root / "built"
    result = zygote.run(["build", str(src), "--out", str(out), "--no-progress"])
    assert result.returncode == 0, result.output
    return out


@pytest.fixture
def prebuilt(tmp_path, base_built) -> Path:
    """A writable copy of :func:`base_built`: the 'existing output folder' a failed build must leave alone."""
    out = tmp_path / "out"
    shutil.copytree(base_built, out)
    return out

"""Write a built dataset atomically: all or nothing, never a half-written folder.

Everything is written into a temporary folder beside ``DST`` (same file system, so renames
are atomic). Only then is ``DST`` replaced: files of ``DST`` that the build does not own
(e.g. ``data/khazali/corpus/`` when the corpus lives inside the output folder) are moved
into the new folder, the old folder is renamed away, the new one renamed in, and the old
one deleted. A failure before the swap leaves ``DST`` exactly as it was; a failure during
the (quick) swap moves everything back.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from dashboard.errors import InputError, Problem
from dashboard.tables import TABLE_NAMES, write_table

__all__ = ["OUTPUT_FILES", "write_dataset", "check_destination"]

OUTPUT_FILES = tuple(f"{name}.parquet" for name in TABLE_NAMES) + ("manifest.json", "candidates.csv")


def check_destination(dst: Path, src: Path | None = None) -> None:
    """Refuse destinations the build must not replace.

    Raises
    ------
    InputError
        If ``dst`` is a file, the corpus folder itself, or a non-empty folder that holds no
        ``manifest.json`` (not a dataset built by this tool, so we will not replace it).
    """
    dst = Path(dst)
    if dst.exists() and not dst.is_dir():
        raise InputError(Problem(str(dst), "--out is a file, not a folder; choose a folder for the built tables"))
    if src is not None and dst.exists() and dst.resolve() == Path(src).resolve():
        raise InputError(Problem(str(dst), "--out is the corpus folder itself; choose another folder"))
    if dst.is_dir() and not (dst / "manifest.json").is_file():
        foreign = [p.name for p in dst.iterdir()]
        inside = src is not None and Path(src).resolve().parent == dst.resolve()
        if foreign and not inside:
            raise InputError(
                Problem(
                    str(dst),
                    "--out is a non-empty folder that is not a built dataset (no manifest.json); "
                    "choose an empty or new folder so nothing of yours is replaced",
                )
            )


def _json(obj) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_dataset(dst: Path, tables: dict[str, pd.DataFrame], candidates: pd.DataFrame, manifest: dict) -> Path:
    """Write every table, ``candidates.csv`` and ``manifest.json`` into ``dst`` atomically."""
    dst = Path(dst)
    parent = dst.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dst.name}.new-", dir=parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; a dataset folder is an ordinary folder
    try:
        for name in TABLE_NAMES:
            write_table(tables[name], name, tmp)
        candidates.to_csv(tmp / "candidates.csv", index=False, lineterminator="\n")
        (tmp / "manifest.json").write_text(_json(manifest), encoding="utf-8")
        _swap(tmp, dst.resolve())
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dst


def _swap(new: Path, dst: Path) -> None:
    if not dst.exists():
        os.rename(new, dst)
        return
    moved: list[str] = []
    old = Path(tempfile.mkdtemp(prefix=f".{dst.name}.old-", dir=dst.parent))
    os.rmdir(old)
    try:
        for entry in sorted(os.listdir(dst)):
            if entry not in OUTPUT_FILES:
                os.rename(dst / entry, new / entry)
                moved.append(entry)
        os.rename(dst, old)
    except BaseException:
        for entry in moved:  # put the user's files back where they were
            os.rename(new / entry, dst / entry)
        raise
    try:
        os.rename(new, dst)
    except BaseException:
        os.rename(old, dst)
        for entry in moved:
            os.rename(new / entry, dst / entry)
        raise
    shutil.rmtree(old, ignore_errors=True)

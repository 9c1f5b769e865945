"""Random corruptions of a built dataset folder: ``load_tables`` raises InputError and nothing else.

Hypothesis picks a corruption (truncate a file, overwrite a stretch with random bytes, swap two
tables, replace a file with random bytes, write a manifest that is valid JSON but not an
object, delete a column) and applies it to a fresh copy of a good build.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.errors import InputError
from dashboard.tables import SCHEMAS, TABLE_NAMES, load_tables

FILES = [f"{t}.parquet" for t in TABLE_NAMES] + ["manifest.json"]


def _truncate(folder: Path, name: str, frac: float, _data: bytes) -> None:
    path = folder / name
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * frac)])


def _scribble(folder: Path, name: str, frac: float, junk: bytes) -> None:
    path = folder / name
    data = bytearray(path.read_bytes())
    at = int(len(data) * frac)
    data[at : at + len(junk)] = junk
    path.write_bytes(bytes(data))


def _replace(folder: Path, name: str, _frac: float, junk: bytes) -> None:
    (folder / name).write_bytes(junk)


def _swap(folder: Path, name: str, frac: float, _data: bytes) -> None:
    other = FILES[int(frac * (len(FILES) - 1))]
    if other == name:
        other = FILES[(FILES.index(name) + 1) % len(FILES)]
    a, b = folder / name, folder / other
    if not b.exists():  # an earlier corruption deleted it: a plain move then
        a.rename(b)
        return
    if not b.is_file():  # made a folder by an earlier corruption: leave both as they are
        return
    tmp = folder / "swap.tmp"
    a.rename(tmp), b.rename(a), tmp.rename(b)


def _readable(path: Path) -> pa.Table | None:
    try:
        return pq.read_table(path)
    except Exception:  # already corrupted by an earlier step
        return None


def _drop_column(folder: Path, name: str, frac: float, _data: bytes) -> None:
    if not name.endswith(".parquet"):
        return _truncate(folder, name, frac, _data)
    path = folder / name
    if (table := _readable(path)) is None:
        return
    col = table.column_names[int(frac * (len(table.column_names) - 1))]
    pq.write_table(table.drop_columns([col]), path)


def _retype_column(folder: Path, name: str, frac: float, _data: bytes) -> None:
    if not name.endswith(".parquet"):
        (folder / name).write_text(json.dumps([1, 2, 3]) if frac < 0.5 else '"just a string"', encoding="utf-8")
        return
    path = folder / name
    if (table := _readable(path)) is None:
        return
    i = int(frac * (len(table.column_names) - 1))
    field = table.schema.field(i)
    if pa.types.is_string(field.type):
        new = pa.array([[1]] * len(table), type=pa.list_(pa.int64()))
    else:
        new = pa.array(["not a number"] * len(table), type=pa.string())
    pq.write_table(table.set_column(i, field.name, new), path)


def _delete(folder: Path, name: str, _frac: float, _data: bytes) -> None:
    (folder / name).unlink()


def _make_dir(folder: Path, name: str, _frac: float, _data: bytes) -> None:
    (folder / name).unlink()
    (folder / name).mkdir()


CORRUPTIONS = [_truncate, _scribble, _replace, _swap, _drop_column, _retype_column, _delete, _make_dir]


@pytest.fixture(scope="module")
def template(base_built) -> Path:
    return base_built


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    corruptions=st.lists(
        st.tuples(st.sampled_from(CORRUPTIONS), st.sampled_from(FILES), st.floats(0, 1),
                  st.binary(min_size=1, max_size=64)),
        min_size=1, max_size=3,
    )
)
def test_corrupted_folder_raises_input_error_only(template, tmp_path_factory, corruptions):
    folder = tmp_path_factory.mktemp("corrupt") / "data"
    shutil.copytree(template, folder)
    for corrupt, name, frac, junk in corruptions:
        if (folder / name).is_file():
            corrupt(folder, name, frac, junk)
    try:
        data = load_tables(folder)
    except InputError as exc:
        assert exc.problems and all(str(p).startswith(("error: ", "warning: ")) for p in exc.problems)
        assert all(str(folder) in p.file for p in exc.problems)
        return
    # a corruption that leaves every table readable (e.g. a scribble inside padding) must still
    # give a dataset with the contract's columns and a usable title
    for name, schema in SCHEMAS.items():
        assert list(getattr(data, name).columns) == schema.names
    assert isinstance(data.title, str)

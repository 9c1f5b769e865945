"""Process environment defaults of the server entry points."""

from dashboard.runtime import set_process_defaults


def test_defaults_are_set_and_the_environment_still_wins(monkeypatch):
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "ARROW_DEFAULT_MEMORY_POOL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("OMP_NUM_THREADS", "4")
    set_process_defaults()
    import os

    assert os.environ["OPENBLAS_NUM_THREADS"] == "1" and os.environ["MKL_NUM_THREADS"] == "1"
    assert os.environ["OMP_NUM_THREADS"] == "4"  # set by the user: kept
    assert os.environ["ARROW_DEFAULT_MEMORY_POOL"] == "system"

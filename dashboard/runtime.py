"""Environment defaults a server process sets before numpy and pyarrow load.

Both entry points (``app.py`` and ``dashboard/wsgi.py``) call :func:`set_process_defaults`
first thing; every value is a default, so the environment still overrides it.
"""

from __future__ import annotations

import os

__all__ = ["set_process_defaults"]


def set_process_defaults() -> None:
    """Set the process environment defaults (read when numpy/pyarrow are first imported).

    - One BLAS/OpenMP thread: the linear algebra per request is small, and threads per
      worker would oversubscribe the cores.
    - Arrow's buffers from the C allocator instead of Arrow's own mimalloc pool, which kept the
      pages freed after reading the tables and building views (about 100 MB of peak RSS at 10k
      entities).
    """
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

"""Tune the C allocator of the server process (glibc ``malloc``) for a threaded server.

glibc gives each thread that contends for the heap its own arena (up to 8 per core), and
memory freed in one arena is only reused by that arena, so a threaded server that builds a
large view on one thread and the next on another keeps several high-water marks at once.
Capping the arenas (setting ``malloc_arenas``) keeps the server's resident memory close to
what it holds. It must run before the server starts its threads; other C libraries (and
non-glibc systems) are left alone.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys

__all__ = ["limit_arenas"]

_M_ARENA_MAX = -8  # mallopt parameter, <malloc.h>


def limit_arenas(n: int) -> bool:
    """Cap glibc's malloc arenas at ``n`` (0 leaves the default); True when applied.

    Parameters
    ----------
    n : int
        Most arenas; 1 or 2 suits a server whose threads mostly wait for the GIL.
    """
    if n <= 0 or not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):  # musl and others have no mallopt
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_ARENA_MAX, int(n)))

"""Keeping a long day's process small on glibc: fewer allocator arenas, and freed memory
handed back to the system after each stage.

glibc gives each thread that allocates under contention an arena of its own (up to eight
per core) and keeps freed memory in them for reuse. A day runs gather's threads, then
refine, then brief and signal, so memory freed by one stage stayed in arenas
the next did not use: at scale 3 of ``bench/bank_day.py`` two arenas took the peak from
820 to 730 MB at the same speed. ``MI_MALLOC_ARENAS`` (default 2; 0 leaves glibc's
default) is applied when ``mi`` is imported: from then on, so a process that starts
threads before it imports ``mi`` (a Prefect worker's flow run may) gets the setting from
the environment instead (the ``daily`` deployment sets ``MALLOC_ARENA_MAX=2``). Where the
C library is not glibc (musl, macOS, Windows) both calls do nothing.
"""
from __future__ import annotations

import ctypes
import os
import sys
from functools import lru_cache
from typing import Any

_M_ARENA_MAX = -8  # mallopt parameter (malloc.h)
DEFAULT_ARENAS = 2


@lru_cache(maxsize=1)
def _glibc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt.argtypes, libc.malloc_trim.argtypes = [ctypes.c_int, ctypes.c_int], [ctypes.c_size_t]
    except (OSError, AttributeError):  # not glibc
        return None
    return libc


def arenas_from_environment() -> int:
    """``MI_MALLOC_ARENAS`` as a number of arenas (0: glibc's default); a value that is not a
    whole number is an error, not a silent default."""
    raw = os.environ.get("MI_MALLOC_ARENAS", "").strip()
    if not raw:
        return DEFAULT_ARENAS
    try:
        count = int(raw)
    except ValueError:
        raise ValueError(f"MI_MALLOC_ARENAS must be a whole number of arenas (0: glibc's default), not {raw!r}") \
            from None
    if count < 0:
        raise ValueError(f"MI_MALLOC_ARENAS must be 0 or more, not {count}")
    return count


def limit_arenas(count: int) -> bool:
    """At most ``count`` malloc arenas from now on (0 changes nothing); True when applied."""
    libc = _glibc()
    if libc is None or count <= 0:
        return False
    return bool(libc.mallopt(_M_ARENA_MAX, count))


def release_freed_memory() -> bool:
    """Hand the allocator's free pages back to the system; True when any were. About a
    millisecond; no ``gc.collect()`` (180 ms on a day's heap): what a stage dropped was
    freed when its last reference went."""
    libc = _glibc()
    return bool(libc.malloc_trim(0)) if libc is not None else False

"""mi.memory: the allocator settings a long day's process runs with (glibc only)."""
from __future__ import annotations

import os

import pytest

from mi import memory


def _resident_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_the_arena_count_comes_from_the_environment_and_a_bad_value_is_refused(monkeypatch) -> None:
    monkeypatch.delenv("MI_MALLOC_ARENAS", raising=False)
    assert memory.arenas_from_environment() == memory.DEFAULT_ARENAS
    monkeypatch.setenv("MI_MALLOC_ARENAS", "0")
    assert memory.arenas_from_environment() == 0 and memory.limit_arenas(0) is False  # glibc's default kept
    for bad in ("two", "-1", "1.5"):
        monkeypatch.setenv("MI_MALLOC_ARENAS", bad)
        with pytest.raises(ValueError, match="MI_MALLOC_ARENAS"):
            memory.arenas_from_environment()


@pytest.mark.skipif(memory._glibc() is None, reason="the allocator calls exist on glibc (Linux) only")
def test_freed_memory_goes_back_to_the_system_after_a_stage() -> None:
    assert memory.limit_arenas(memory.DEFAULT_ARENAS) is True
    memory.release_freed_memory()
    before = _resident_mb()
    # 200 MB of 2 kB strings: above Python's small-object size, so each comes from malloc,
    # and freed they stay in the allocator's free lists until trimmed
    held = [os.urandom(16) * 128 + bytes([n % 256]) for n in range(100_000)]
    grown = _resident_mb()
    assert grown - before > 150
    held = held[50_000:]  # the older half freed: below the live half, where free() returns nothing
    assert _resident_mb() > grown - 20
    assert memory.release_freed_memory() is True
    assert _resident_mb() < grown - 60
    del held

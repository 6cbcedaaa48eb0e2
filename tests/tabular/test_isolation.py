"""Running a parse in a child process under memory and time limits (real child processes)."""

from __future__ import annotations

import time

import pytest

from trellis.tabular import LimitExceeded, Limits, open_spreadsheet
from trellis.tabular.isolation import ResourceLimitExceeded, run_limited

MEMORY = 512 * 1024 * 1024


def allocate(megabytes: int) -> int:
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)


def sleep(seconds: float) -> str:
    time.sleep(seconds)
    return "woke"


def count_rows(data: bytes, name: str, limits: Limits) -> int:
    with open_spreadsheet(data, name, limits=limits) as spreadsheet:
        return sum(1 for _ in spreadsheet.rows())


def test_the_result_comes_back() -> None:
    assert run_limited(count_rows, b"a,b\nc,d\n", "f.csv", Limits(), memory_bytes=MEMORY, seconds=30) == 2


def test_a_refusal_comes_back_as_itself() -> None:
    with pytest.raises(LimitExceeded) as raised:
        run_limited(count_rows, b"a\n" * 20, "f.csv", Limits(rows=10), memory_bytes=MEMORY, seconds=30)
    assert (raised.value.limit, raised.value.reason) == (
        "rows",
        "the file has more than 10 rows (limit: rows)",
    )


def test_too_much_memory_is_refused() -> None:
    with pytest.raises(ResourceLimitExceeded) as raised:
        run_limited(allocate, 2048, memory_bytes=MEMORY, seconds=30)
    assert (raised.value.limit, str(raised.value)) == (
        "memory",
        "the work needed more than 512 MB of memory (limit: memory)",
    )
    assert run_limited(allocate, 16, memory_bytes=MEMORY, seconds=30) == 16 * 1024 * 1024


def test_too_much_time_is_refused_and_the_child_killed() -> None:
    started = time.monotonic()
    with pytest.raises(ResourceLimitExceeded) as raised:
        run_limited(sleep, 60, memory_bytes=MEMORY, seconds=1)
    assert (raised.value.limit, str(raised.value)) == (
        "time",
        "the work took longer than 1 seconds (limit: time)",
    )
    # Not a timing assertion on speed: the child was killed rather than waited for (it sleeps 60 s).
    assert time.monotonic() - started < 30

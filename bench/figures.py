"""What every benchmark shares: printing a figure, and reading a process's peak memory.

Every figure is printed once as a readable line and once as ``bench: <name> <value> <unit>`` so runs
can be compared over time (``make bench | grep '^bench:'``).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any


def emit(name: str, value: float, unit: str, label: str) -> None:
    """Print one figure: a readable line, then the ``bench:`` line."""
    print(f"  {label:<52} {value:>10.3f} {unit}")
    print(f"bench: {name} {value:.4f} {unit}")


def peak_resident_bytes() -> int:
    """The largest peak resident memory of this process and of any process it started and waited
    for (a PDF may be typeset in a child process), in bytes.

    Linux carries ``ru_maxrss`` across exec, so a child started from a large parent reports at least
    the parent's size at the fork; `bench.uploads` reads VmHWM instead where that matters.
    """
    return (
        max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
        * 1024
    )


def p95(times: list[float]) -> float:
    """The 95th percentile of `times` (nearest rank), in the same unit."""
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, max(round(0.95 * len(ordered)) - 1, 0))]


def run_python_for_json(
    code: str, *, environment: dict[str, str], cwd: Path, what: str, timeout: float = 600
) -> Any:
    """Run `code` in a fresh Python process and return the JSON of the last line it prints; a
    failure raises RuntimeError naming `what` with the end of the child's error output."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])

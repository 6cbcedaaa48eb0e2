"""What every benchmark shares: printing a figure, and reading a process's peak memory.

Every figure is printed once as a readable line and once as ``bench: <name> <value> <unit>`` so runs
can be compared over time (``make bench | grep '^bench:'``).
"""

from __future__ import annotations

import resource


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

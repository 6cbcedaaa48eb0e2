"""Parsing an uploaded spreadsheet in a child process under a memory and time limit.

Every upload the web app parses (a people import's HRIS export, a framework matrix) goes through
:func:`parse_bounded`, so a file that slips past the reader's size limits, or a parser bug, costs
the site at most ``UPLOAD_PARSE_LIMITS`` (see settings.py and docs/deploy.md) and never the worker
process itself. Crossing the limit raises :class:`ResourceLimitExceeded`; :func:`refusal` words it
for the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypedDict, TypeVar

from django.conf import settings

from trellis.framework.matrix import MatrixResult, read_matrix
from trellis.tabular.isolation import (
    DEFAULT_MEMORY_BYTES,
    DEFAULT_SECONDS,
    ResourceLimitExceeded,
    run_limited,
)

Result = TypeVar("Result")

__all__ = ["DEFAULT_PARSE_LIMITS", "ParseLimits", "ResourceLimitExceeded", "parse_bounded", "refusal"]


class ParseLimits(TypedDict):
    #: Address space of the child process that parses one upload, interpreter included.
    memory_bytes: int
    #: Wall time the parse may take before the child is killed.
    seconds: float


DEFAULT_PARSE_LIMITS: ParseLimits = {"memory_bytes": DEFAULT_MEMORY_BYTES, "seconds": DEFAULT_SECONDS}


def parse_limits() -> ParseLimits:
    """The configured ``UPLOAD_PARSE_LIMITS``, each missing key at its default."""
    configured = getattr(settings, "UPLOAD_PARSE_LIMITS", {})
    return {
        "memory_bytes": int(configured.get("memory_bytes", DEFAULT_PARSE_LIMITS["memory_bytes"])),
        "seconds": float(configured.get("seconds", DEFAULT_PARSE_LIMITS["seconds"])),
    }


def parse_bounded(function: Callable[..., Result], *arguments: object) -> Result:
    """``function(*arguments)`` in a child process under ``UPLOAD_PARSE_LIMITS``: its result, the
    exception it raised, or :class:`ResourceLimitExceeded` naming the limit crossed. The function,
    its arguments and its result must pickle; the function must be importable by name."""
    limits = parse_limits()
    return run_limited(function, *arguments, memory_bytes=limits["memory_bytes"], seconds=limits["seconds"])


def refusal(file_name: str, exceeded: ResourceLimitExceeded) -> str:
    """How a form says that parsing `file_name` crossed a limit: ``people.xlsx: reading the file
    took longer than 60 seconds (limit: time)``; nothing is stored then."""
    return f"{file_name}: reading the file {str(exceeded).removeprefix('the work ')}"


def read_matrix_positional(data: bytes, file_name: str, family: str, track: str | None) -> MatrixResult:
    """:func:`trellis.framework.matrix.read_matrix` with positional arguments, for
    :func:`parse_bounded` (which passes no keywords)."""
    return read_matrix(data, file_name, family=family, track=track)

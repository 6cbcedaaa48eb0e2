"""Running a parse in a child process under a memory and a wall-time limit.

A bug or an unforeseen input in a parser must not take the worker down with it: the child gets an
address-space limit (``RLIMIT_AS``) and is killed when its time is up, and the caller gets the
result, the exception the function raised, or a :class:`ResourceLimitExceeded` naming the limit.
Linux and macOS only (``resource``). The function and its arguments and result must pickle.
"""

from __future__ import annotations

import multiprocessing
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Literal, TypeVar

Result = TypeVar("Result")

#: Defaults for parsing one upload: room for the interpreter and a parse well under its targets.
DEFAULT_MEMORY_BYTES = 1024 * 1024 * 1024
DEFAULT_SECONDS = 60.0

Limit = Literal["memory", "time"]


class ResourceLimitExceeded(Exception):
    """The child crossed a limit: `limit` is ``memory`` or ``time``, `value` its value (bytes or
    seconds)."""

    def __init__(self, limit: Limit, value: float) -> None:
        self.limit: Limit = limit
        self.value = value
        if limit == "memory":
            text = f"the work needed more than {value / 2**20:,.0f} MB of memory (limit: memory)"
        else:
            text = f"the work took longer than {value:g} seconds (limit: time)"
        super().__init__(text)

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.limit, self.value))


def _child(
    connection: Connection,
    function: Callable[..., object],
    arguments: tuple[object, ...],
    memory_bytes: int,
) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    try:
        outcome: tuple[str, object] = ("result", function(*arguments))
    except MemoryError:
        outcome = ("memory", None)
    except Exception as error:
        outcome = ("error", error)
    try:
        connection.send(outcome)
    except MemoryError:
        connection.send(("memory", None))
    finally:
        connection.close()


def run_limited(
    function: Callable[..., Result],
    *arguments: object,
    memory_bytes: int = DEFAULT_MEMORY_BYTES,
    seconds: float = DEFAULT_SECONDS,
    start_method: Literal["fork", "forkserver", "spawn"] = "forkserver",
) -> Result:
    """``function(*arguments)`` run in a child process whose address space is limited to
    `memory_bytes` and which is killed after `seconds` of wall time.

    Returns the function's result; re-raises the exception it raised (a
    :class:`~trellis.tabular.TabularError` arrives intact); raises :class:`ResourceLimitExceeded`
    when the child ran out of memory (a MemoryError, or it died without an answer) or of time.
    ``forkserver`` starts children from a clean server process, safe in a threaded worker; the
    function must be importable by name.
    """
    context = multiprocessing.get_context(start_method)
    receiver, sender = context.Pipe(duplex=False)
    process: BaseProcess = context.Process(  # type: ignore[attr-defined]  # the stubs type the context loosely
        target=_child, args=(sender, function, arguments, memory_bytes), daemon=True
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise ResourceLimitExceeded("time", seconds)
        try:
            kind, value = receiver.recv()
        except EOFError:
            # The child died without answering: the allocator aborted under the address-space limit.
            raise ResourceLimitExceeded("memory", memory_bytes) from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join()
    if kind == "memory":
        raise ResourceLimitExceeded("memory", memory_bytes)
    if kind == "error":
        assert isinstance(value, BaseException)
        raise value
    return value  # type: ignore[no-any-return]

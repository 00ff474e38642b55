"""Parsing a user's file where it cannot hurt the site: in a child process with a time and a memory limit, so a
hostile spreadsheet fails with a message instead of holding a web worker until its timeout (or taking its memory)."""
import multiprocessing
import os
import resource

from .errors import DomainError


class TooCostly(Exception):
    """The work did not finish within its time or memory."""


def _child(connection, function, args, memory_bytes):
    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        connection.send(("ok", function(*args)))
    except DomainError as error:  # rebuilt in the parent: lazy messages do not travel, their text does
        connection.send(("refused", (type(error), str(error), error.status)))
    except MemoryError:
        connection.send(("costly", None))
    except BaseException as error:  # noqa: BLE001 - whatever the parser raised, the parent answers for it
        connection.send(("failed", repr(error)[:500]))
    finally:
        connection.close()
        os._exit(0)  # nothing inherited from the worker (database connections, logging) is touched


def run_bounded(function, *args, seconds: float, memory_bytes: int):
    """`function(*args)` in a forked child: its result, the DomainError it raised, or TooCostly when it ran past
    `seconds` or `memory_bytes` (the child is killed). The function and its result must be picklable."""
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, function, args, memory_bytes), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(seconds):
            raise TooCostly()
        try:
            kind, value = receiver.recv()
        except EOFError:  # killed by the kernel, or died without a word
            raise TooCostly() from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)
        receiver.close()
    if kind == "ok":
        return value
    if kind == "refused":
        error_class, message, status = value
        error = error_class.__new__(error_class)
        DomainError.__init__(error, "import_refused", message, status=status)
        raise error
    if kind == "costly":
        raise TooCostly()
    raise RuntimeError(f"bounded work failed: {value}")

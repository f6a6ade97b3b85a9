"""datamodel-code-generator in a second process, importing itself while this one reads the document.

Most of a cold run is the library's: on our spec about 0.55 s to import it and its lazily
imported parts, and 0.3 s to run, against 0.3 s for everything else (reading, checking and
reshaping the document before; rendering and verifying the package after). The import does not
depend on the document. So ``python -m generator`` forks before it imports anything but pydantic
(which both processes need); the child imports the library (and, if the parent is not ready yet,
warms it on a one-schema document), waits for the one request the parent sends when its models
document is ready, runs the library on it and sends back a :class:`~generator.models.LibraryRun`,
the same value the in-process run gives. On two CPUs the import overlaps the parent's own work.

Only where it can help and cannot hurt: Linux (``fork`` elsewhere is unsafe or missing), at least
two usable CPUs, and neither ``--single-process`` nor ``--debug``/``GENERATOR_DEBUG`` given (a
traceback should cover the whole run). Whenever the child is not there to answer (it could not be
started, died, or cut its answer short) the parent runs the library itself: a worker can make a
run slower by its fork only, never fail it. A run that does not need the library (answered from
the models cache, or refused before) kills it, and the kernel kills it with its parent.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import select
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from generator import DEBUG_VARIABLE

if TYPE_CHECKING:  # the worker is imported before the rest of the generator: stdlib only
    from collections.abc import Mapping, Sequence

    from generator.models import LibraryRun, Running

#: The command-line flag that keeps the library in the one process.
SINGLE_PROCESS = "--single-process"
#: What the child warms the library on while it waits: what a first run imports lazily.
_WARM_UP = (
    '{"openapi": "3.0.3", "info": {"title": "warm-up", "version": "0"}, "paths": {},'
    ' "components": {"schemas": {"Warm": {"type": "object", "properties":'
    ' {"up": {"type": "string"}}}}}}'
)


class ModelWorker:
    """A forked child that runs datamodel-code-generator once; a
    :data:`~generator.models.Runner`. Close it when done."""

    def __init__(self, pid: int, requests: int, answers: int) -> None:
        self.pid = pid
        self._requests: int | None = requests
        self._answers: int | None = answers

    @classmethod
    def start(cls, argv: Sequence[str] = ()) -> ModelWorker | None:
        """A worker already importing the library, or ``None`` where one cannot help (see the
        module's docstring); ``argv`` is the command line, read for the flags that decline one."""
        if not _helps(argv):
            return None
        import pydantic  # noqa: F401 - both processes need it: imported once, before the fork

        requests_read, requests_write = os.pipe()
        answers_read, answers_write = os.pipe()
        # Whatever sits in the buffers would otherwise be written twice, once by each process.
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(AttributeError, OSError, ValueError):  # None, or closed
                stream.flush()
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            for fd in (requests_read, requests_write, answers_read, answers_write):
                os.close(fd)
            return None
        if pid == 0:
            os.close(requests_write)
            os.close(answers_read)
            _serve(parent, requests_read, answers_write)
        os.close(requests_read)
        os.close(answers_write)
        return cls(pid, requests_write, answers_read)

    def __call__(self, text: str, base_path: Path | None, options: Mapping[str, Any]) -> Running:
        """Send the child the library's run on ``text``; the returned function waits for its
        answer, or runs the library in this process when the child cannot give one."""
        from generator.models import LibraryRun, run_library

        sent = self._send((text, base_path, dict(options)))

        def answer() -> LibraryRun:
            nonlocal sent
            received, sent = (self._receive() if sent else None), False
            if isinstance(received, LibraryRun):
                return received
            return run_library(text, base_path, options)

        return answer

    def _send(self, request: tuple[str, Path | None, dict[str, Any]]) -> bool:
        """Whether the child has the request; it takes one only."""
        if self._requests is None:
            return False
        requests, self._requests = self._requests, None
        try:
            # Blocks only for a request larger than the pipe's buffer, until the child reads it.
            with os.fdopen(requests, "wb") as outgoing:
                pickle.dump(request, outgoing, protocol=pickle.HIGHEST_PROTOCOL)
        except OSError:  # the child is gone (EPIPE): nobody reads the request
            self.close()
            return False
        return True

    def _receive(self) -> object:
        answers, self._answers = self._answers, None
        if answers is None:
            return None
        try:
            with os.fdopen(answers, "rb") as incoming:
                # The child is this very program, forked: its answer is as trusted as our memory.
                return pickle.load(incoming)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
            return None  # died before answering, or cut its answer short
        finally:
            self.close()

    def close(self) -> None:
        """Stop the child (if it still runs) and reap it; closing twice does nothing."""
        for fd in (self._requests, self._answers):
            if fd is not None:
                os.close(fd)
        self._requests = self._answers = None
        if self.pid:
            # Killed, not asked: it may be deep in an import, and it holds nothing to save.
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)
            self.pid = 0


def _helps(argv: Sequence[str]) -> bool:
    if sys.platform != "linux" or not hasattr(os, "fork"):
        return False
    if SINGLE_PROCESS in argv or "--debug" in argv or os.environ.get(DEBUG_VARIABLE):
        return False
    return len(os.sched_getaffinity(0)) >= 2


def _serve(parent: int, requests: int, answers: int) -> NoReturn:
    """The child: import and warm the library, answer one request, and exit without running
    anything of the parent's (``atexit`` handlers, buffered output)."""
    status = 1
    try:
        # The parent stops it with SIGKILL; an interrupt from the terminal is the parent's to tell.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        _die_with(parent)
        from generator.models import OPTIONS, run_library

        _import_library()
        if not select.select([requests], [], [], 0)[0]:
            # The parent is still reading its document: the lazy imports and the templates the
            # library compiles on a first run are done now rather than on the real run.
            run_library(_WARM_UP, None, OPTIONS)
        with os.fdopen(requests, "rb") as incoming:
            text, base_path, options = pickle.load(incoming)
        answer = run_library(text, base_path, options)
        with os.fdopen(answers, "wb") as outgoing:
            pickle.dump(answer, outgoing, protocol=pickle.HIGHEST_PROTOCOL)
        status = 0
    except BaseException:  # noqa: BLE001, S110 - the parent notices the missing answer and runs it
        pass
    finally:
        os._exit(status)


def _import_library() -> None:
    """The bulk of the library's import: its parser and its pydantic models (the rest it imports
    on its first run)."""
    with contextlib.suppress(ImportError):  # another version may be laid out otherwise
        import datamodel_code_generator.model.pydantic_v2
        import datamodel_code_generator.parser.openapi  # noqa: F401


#: prctl(2)'s option that has the kernel signal a process when its parent ends.
_PR_SET_PDEATHSIG = 1


def _die_with(parent: int) -> None:
    """Have the kernel kill this child when ``parent`` ends, however it ends: a parent stopped by
    SIGTERM or SIGKILL cannot close it, and a child left running the library on a large document
    would go on for seconds with nobody to answer."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # ended before the request to the kernel: nothing would tell
        os._exit(1)

"""Work run aside: a function in a forked process while the main one goes on.

The comparison (compare.py) keeps one core busy, and the second only part of the time;
the shared-run search (runs.py) needs nothing the comparison makes, so on Linux it runs
in a process forked beside it, which inherits the words instead of being sent them, and
sends back its plain rows. Also the process watching helpers of prepare.py's workers.

A function may also be a generator: its parts are sent one by one as they are made,
so that the main process takes the first as soon as it needs it while the child goes
on with the rest (the phrase stage's echoes are read while the main process groups).

Where there is no fork (or one process is asked for), the work is too small to repay
one, or no core is likely free (spare_core), the function runs in this process when
its result is asked for. A child that fails or dies sends nothing more: the function
then runs here, so that a bug raises where its traceback is shown, and a child killed
by the OOM killer costs time only.
"""

from __future__ import annotations

import gc
import inspect
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Generic, TypeVar

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

T = TypeVar("T")
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
PARENT_POLL_S = 1.0  # where the kernel cannot signal a child, how often it checks its parent


class Aside(Generic[T]):
    """``fn(*args)``, computed in a forked child when ``fork`` is true (and the platform
    forks), else in this process when ``result`` is called. When ``fn`` is a generator,
    each ``result`` is its next part. Use it as a context manager: leaving the block
    ends a child whose parts were not all asked for."""

    def __init__(self, fork: bool, fn: Callable[..., T | Iterator[T]], *args: object) -> None:
        self.fn, self.args = fn, args
        self.process: BaseProcess | None = None
        self.frozen = False
        self.taken = 0  # parts received so far
        self.here: Iterator[T] | None = None  # the parts computed in this process, once needed
        if fork and sys.platform.startswith("linux"):
            import multiprocessing

            context = multiprocessing.get_context("fork")
            # Objects the child inherits are left out of this process's collections
            # meanwhile: a collection writes to every object it scans, and each page
            # written while shared with the child is copied. (A caller that froze
            # objects first thaws them all itself.)
            self.frozen = gc.get_freeze_count() == 0
            gc.freeze()
            self.conn, sender = context.Pipe(duplex=False)
            process = context.Process(target=_child, args=(sender, os.getpid(), fn, args), daemon=True,
                                      name="dedupe-aside")
            try:
                process.start()  # flushes stdout and stderr first: the child never writes them twice
            except OSError:  # no fork now (out of memory, process limit): computed here
                self.conn.close()
                self._thaw()
            else:
                self.process = process
            finally:
                sender.close()

    def result(self) -> T:
        """The function's result (its next part): from the child, or computed here when
        there is no child or it sent no more."""
        if self.process is not None:
            try:
                found: T = self.conn.recv()
                self.taken += 1
                return found
            except (EOFError, OSError):
                self._end()  # the child failed or was killed: compute here instead
        if self.here is None:
            self.here = _parts(self.fn(*self.args))
            for _ in range(self.taken):  # what the child sent already
                next(self.here)
        return next(self.here)

    def _end(self) -> None:
        assert self.process is not None
        self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.process = None
        self._thaw()

    def _thaw(self) -> None:
        if self.frozen:
            gc.unfreeze()
            self.frozen = False

    def __enter__(self) -> Aside[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self._end()


BUSY_LOAD_PER_CORE = 2  # a 1-minute load average of this many processes a core is busy


def spare_core() -> bool:
    """Whether a child is likely to get a core's share of time: fewer processes were
    runnable over the last minute, on average, than BUSY_LOAD_PER_CORE a core. On a
    machine that busy a second process gains no time and its forking costs CPU (~0.1 s
    for BBC: the pages it writes are copied), so the work is done here instead. Below
    it the child still gains (BBC on 2 cores at load average 2.5-3.2, 6 alternating
    rounds: 2.59 s wall with the child, 2.72 s without; docs/tuning.md section 12)."""
    try:
        return os.getloadavg()[0] < BUSY_LOAD_PER_CORE * (os.cpu_count() or 1)
    except OSError:  # no load average to read
        return True


def _parts(out: T | Iterator[T]) -> Iterator[T]:
    """A function's result as parts: a generator's own, or the one result."""
    if inspect.isgenerator(out):
        yield from out
    else:
        yield out  # type: ignore[misc]


def _child(sender: Connection, parent: int, fn: Callable[..., object], args: tuple[object, ...]) -> None:
    """The forked child: compute and send each part. Ctrl-C is the parent's to handle
    (it ends the child as it leaves); a failure sends nothing more and exits quietly,
    and the parent computes the result itself."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.disable()  # a collection would touch every object inherited, copying each page it is on
    exit_with_parent(parent)
    code = 1
    try:
        _send_all(sender, _parts(fn(*args)))
        code = 0
    finally:
        os._exit(code)  # on failure too: no traceback here, the parent raises it


def _send_all(sender: Connection, parts: Iterator[object]) -> None:
    """Send each part as it is made. A part waits in the pipe until the parent asks for
    it, so a thread writes it while the next is made (writing releases the GIL)."""
    import queue
    from multiprocessing.reduction import ForkingPickler

    pending: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

    def write() -> None:
        while (data := pending.get()) is not None:
            sender.send_bytes(data)

    writer = threading.Thread(target=write, name="dedupe-aside-send", daemon=True)
    writer.start()
    try:
        for part in parts:
            pending.put(bytes(ForkingPickler.dumps(part)))
    finally:
        pending.put(None)
    writer.join()


def exit_with_parent(parent: int) -> None:
    """A child's start-up: exit when the main process dies.

    Killed alone (the OOM killer, ``kill -9``), the main process leaves its children
    adopted by PID 1, blocked for ever writing results to a pipe nobody reads. On
    Linux the kernel kills the child when its parent dies (PR_SET_PDEATHSIG);
    elsewhere a thread watches the parent id. The check after the request covers a
    parent that died before it took effect."""
    if not (sys.platform.startswith("linux") and _parent_death_signal(signal.SIGKILL)):
        threading.Thread(target=_watch_parent, args=(parent,), name="dedupe-parent-watch", daemon=True).start()
    if os.getppid() != parent:
        os._exit(1)


def _parent_death_signal(signum: int) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent dies; False if it cannot."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return bool(libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_POLL_S)
    os._exit(1)

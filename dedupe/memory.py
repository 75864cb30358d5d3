"""The memory budget: what a run may hold (``--max-memory``, else what the machine has
free), what its input is likely to need, and so whether the shared-run search may run
in a process of its own beside the comparison (aside.py).

A forked child shares its parent's pages only until either of them writes one, and
both do (reference counts are writes), so the two hold more together than either
alone. At four and eight times BBC (8,900 and 17,800 articles, 20 and 40 MB of text)
the run's processes held 773 and 1,320 MB together with the search forked, 563 and
1,003 MB with it in the main process after the comparison (``python bench/scale.py
--sizes 1 4 8``, all processes' Pss; docs/tuning.md section 16). The estimate is
linear in the characters of text, with those slopes and a base above both; a run
whose estimate with the child would pass the budget searches in its own process,
slower and within less memory. One whose estimate passes the budget even so is
warned, and goes on with the comparison's shingle sets and signatures in
memory-mapped files (``Spill``): pages the kernel can write out and take back under
pressure, where memory of the process's own can only be paid for by killing it. An
estimate is no measure, and a run stopped before it starts helps nobody.
"""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dedupe.model import DedupeError

if TYPE_CHECKING:
    import numpy as np

MIB = 1 << 20
BASE_BYTES = 120 * MIB  # the interpreter, numpy and dedupe's modules, and what does not grow with the text
PER_TEXT_BYTE = 22  # bytes held at the peak per character of text, the shared-run search in this process ...
PER_TEXT_BYTE_FORKED = 33  # ... and by all processes together, with it in a forked child
MACHINE_SHARE = 0.8  # of what the machine (or the run's control group) has available: the default budget
_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", re.IGNORECASE)
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


def parse_size(text: str | int) -> int:
    """Bytes from ``2G``, ``512M``, ``1.5 GB``, ``300MiB`` or a plain number of bytes
    (units are powers of 1,024). Raises ValueError for anything else."""
    if isinstance(text, int) and not isinstance(text, bool):
        if text < 0:
            raise ValueError(f"a size cannot be negative: {text}")
        return text
    m = _SIZE.fullmatch(str(text))
    if m is None:
        raise ValueError(f"not a size: {text!r} (write it as 2G, 512M or a number of bytes)")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


def machine_budget(meminfo: str = "/proc/meminfo", cgroup_limits: tuple[str, ...] | None = None) -> int:
    """MACHINE_SHARE of the memory available now: the lesser of the kernel's estimate
    of what can be had without swapping (MemAvailable) and the memory limits of the
    run's control group and its parents (a container's, a CI job's: ``cgroup_limits``,
    found from /proc/self/cgroup when not given). 0 when none of them can be read
    (another system than Linux): no budget."""
    found: list[int] = []
    try:
        with open(meminfo) as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    found.append(int(line.split()[1]) * 1024)
                    break
    except (OSError, ValueError, IndexError):
        pass
    for path in cgroup_limits if cgroup_limits is not None else cgroup_limit_files():
        try:
            with open(path) as f:
                value = f.read().strip()
        except OSError:
            continue
        if value.isdigit() and int(value) < 1 << 60:  # "max", or v1's huge number: no limit
            found.append(int(value))
    return int(min(found) * MACHINE_SHARE) if found else 0


def cgroup_limit_files(own: str = "/proc/self/cgroup", root: str = "/sys/fs/cgroup") -> list[str]:
    """The files holding the memory limits of this process's control group and of each
    of its parents, for cgroup v2 (``0::/path``: memory.max) and v1 (``N:memory:/path``:
    memory.limit_in_bytes), under the hierarchy's usual mount points."""
    try:
        with open(own) as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    out: list[str] = []
    for line in lines:
        number, controllers, path = (line.split(":", 2) + ["", ""])[:3]
        mounts: tuple[str, ...]
        if number == "0" and not controllers:
            mounts, name = (root, f"{root}/unified"), "memory.max"
        elif "memory" in controllers.split(","):
            mounts, name = (f"{root}/memory",), "memory.limit_in_bytes"
        else:
            continue
        parts = [p for p in path.split("/") if p]
        for mount in mounts:
            out.extend("/".join([mount, *parts[:n], name]) for n in range(len(parts), -1, -1))
    return out


def budget(max_memory: int) -> int:
    """The run's budget in bytes: ``max_memory`` when set, else the machine's (0: none)."""
    return max_memory or machine_budget()


def estimate(text_bytes: int, forked: bool) -> int:
    """The bytes a run over this much text is likely to hold at its peak, all its
    processes together, with the shared-run search forked or not."""
    return BASE_BYTES + text_bytes * (PER_TEXT_BYTE_FORKED if forked else PER_TEXT_BYTE)


@dataclass(frozen=True, slots=True)
class Plan:
    """How a comparison keeps to its budget: may the shared-run search be forked, must
    the comparison's arrays be spilled to files, and the warning that says so."""

    fork: bool
    spill: bool
    warning: str | None


def plan(text_bytes: int, articles: int, max_memory: int) -> Plan:
    """The run's plan for this much text: the budget read once (the machine's figures,
    when ``max_memory`` is 0), set against both estimates. The search is forked while
    the forked estimate fits (or there is no budget); past the leaner estimate too, the
    comparison spills, and a warning says so."""
    limit = budget(max_memory)
    if not limit:
        return Plan(True, False, None)
    need = estimate(text_bytes, forked=False)
    if need <= limit:
        return Plan(estimate(text_bytes, forked=True) <= limit, False, None)
    given = "--max-memory" if max_memory else "the default, a share of the memory available"
    return Plan(False, True, f"{articles:,} articles ({text_bytes / MIB:,.0f} MB of text) are likely to need about "
                             f"{_size(need)} of memory, more than the budget of {_size(limit)} ({given}); checking "
                             f"anyway, with the comparison's sets and signatures in memory-mapped files")


def checked_size(where: str, raw_key: str, value: object) -> int:
    """A config or command-line value for ``max_memory``, in bytes (DedupeError naming
    where it came from otherwise)."""
    try:
        return parse_size(value)  # type: ignore[arg-type]
    except (ValueError, TypeError):
        raise DedupeError(f"{where} {raw_key} must be a size such as 2G or 512M (0: from the machine), "
                          f"got {value!r}") from None


def _size(n: int) -> str:
    return f"{n / (1 << 30):.1f} GB" if n >= 1 << 30 else f"{n / MIB:,.0f} MB"


class Spill:
    """Arrays kept in memory-mapped files of a temporary folder rather than in the
    process's memory: the comparison's shingle sets and signatures, when the run's
    estimate passes its budget. The kernel writes their pages out and drops them when
    memory runs short (a control group's limit included), where it could only kill a
    process holding them as its own; they are read back as LSH and verification need
    them. The folder should be on disk (the cache's, or TMPDIR), not in a RAM-backed
    tmpfs. Each file's blocks are reserved when it is made (posix_fallocate): a full
    disk then leaves that array in memory, where writing to a sparse mapping would
    kill the process with SIGBUS. A folder that cannot be made (the cache's, then the
    system's temporary one) leaves them all in memory. Removed on ``close``; one left
    by a run that was killed is removed by the next run that spills there, once it is
    STALE_S old (a comparison takes minutes, not a day)."""

    PREFIX = "dedupe-spill-"
    STALE_S = 24 * 3600

    def __init__(self, parent: str | None) -> None:
        import tempfile

        self.folder: str | None = None
        self.files = 0  # arrays kept in files
        for where in dict.fromkeys((parent or None, None)):
            try:
                if where:
                    os.makedirs(where, exist_ok=True)
                self.folder = tempfile.mkdtemp(prefix=self.PREFIX, dir=where)
                break
            except OSError:
                continue
        if self.folder is not None:
            self._remove_stale(os.path.dirname(self.folder))

    def _remove_stale(self, parent: str) -> None:
        """Spill folders in ``parent`` left by runs that were killed (STALE_S old)."""
        import shutil
        import time

        with contextlib.suppress(OSError):
            for entry in os.scandir(parent):
                if (entry.name.startswith(self.PREFIX) and entry.path != self.folder
                        and entry.stat().st_mtime < time.time() - self.STALE_S):
                    shutil.rmtree(entry.path, ignore_errors=True)

    def empty(self, shape: tuple[int, ...], dtype: object, order: str = "C") -> np.ndarray:
        """A new zero-filled array, in a file of its own where there is room for it."""
        import numpy as np

        size = int(np.prod(shape)) * np.dtype(dtype).itemsize  # type: ignore[call-overload]
        if self.folder is None or not size:  # a memory map cannot be empty
            return np.zeros(shape, dtype=dtype, order=order)  # type: ignore[call-overload,no-any-return]
        path = os.path.join(self.folder, f"{self.files + 1}.bin")
        try:
            with open(path, "wb") as f:
                reserve = getattr(os, "posix_fallocate", None)
                reserve(f.fileno(), 0, size) if reserve else f.truncate(size)
        except OSError:  # no room on the disk: this one stays in memory
            with contextlib.suppress(OSError):
                os.unlink(path)
            return np.zeros(shape, dtype=dtype, order=order)  # type: ignore[call-overload,no-any-return]
        self.files += 1
        return np.memmap(path, dtype=dtype, mode="r+", shape=shape, order=order)  # type: ignore[call-overload]

    def kept(self, array: np.ndarray) -> np.ndarray:
        """``array`` copied into a file (the caller drops the original)."""
        out = self.empty(array.shape, array.dtype)
        out[...] = array
        return out

    def close(self) -> None:
        import shutil

        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
